"""Folding signals into a profile: incremental, so a new batch never re-reads the old ones.

Artists are scored straight from the signals. Genres, eras and the audio-feature centre come
"through the catalog": Spotify no longer tells a development-mode app an artist's genres, so a
track's (or an artist's) catalog rows say what it sounds like.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from aidj.catalog import Catalog, artist_key
from aidj.taste.neighbours import artist_index
from aidj.taste.profile import SIGNAL_WEIGHT, Entry, Source, TasteProfile
from aidj.taste.signals import Signal

# Audio features the centre keeps (the 0..1 ones a prompt can target).
CENTRE_FEATURES = ("energy", "valence", "danceability", "acousticness", "instrumentalness")
ROWS_PER_ARTIST = 100  # an artist's sound, from an even sample of its catalog rows
GENRES_PER_SIGNAL = 3  # the genres that describe one track or artist; the rest is noise
FEATURED_SHARE = 0.5  # a featured artist counts half as much as the first credited one
RANK_HALF = 25  # a ranked list's item at this position counts half as much as the first


def fold(profile: TasteProfile, signals: Sequence[Signal], catalog: Catalog) -> TasteProfile:
    """``profile`` with ``signals`` added, in their order."""
    artists = dict(profile.artists)
    genres = dict(profile.genres)
    eras = dict(profile.eras)
    centre = dict(profile.centre)
    centre_weight = profile.centre_weight
    never_artists = set(profile.never_artists)
    never_genres = set(profile.never_genres)
    rows_of = _artist_rows(catalog, {s.artists[0] for s in signals if s.artists})
    for signal in signals:
        weight = SIGNAL_WEIGHT[signal.source] / (1.0 + signal.rank / RANK_HALF)
        if signal.genre is not None:
            if signal.source is Source.NEVER:
                never_genres.add(signal.genre)
                continue
            if signal.source is Source.MORE:
                never_genres.discard(signal.genre)
            genres[signal.genre] = genres.get(signal.genre, Entry(signal.genre, 0.0)).add(
                weight, signal.source
            )
            continue
        if not signal.artists:
            continue
        names = [_display(catalog, name) for name in signal.artists]
        if signal.source is Source.NEVER:
            never_artists.update(names)
            continue
        if signal.source is Source.MORE:
            never_artists.difference_update(names)
        for n, name in enumerate(names):
            key = artist_key(name)
            share = 1.0 if n == 0 else FEATURED_SHARE
            entry = artists.get(key, Entry(name, 0.0))
            artists[key] = entry.add(
                weight * share, signal.source, int(signal.source is Source.EXCLUDED)
            )
        if weight <= 0:
            continue  # what someone removes says who they skip, not what their genres are
        rows = _signal_rows(catalog, signal, rows_of)
        if len(rows) == 0:
            continue
        for slug, share in _genre_shares(catalog, rows):
            genres[slug] = genres.get(slug, Entry(slug, 0.0)).add(weight * share, signal.source)
        years = catalog.year[rows]
        years = years[years > 0]
        if len(years):
            decades, counts = np.unique((years // 10) * 10, return_counts=True)
            for decade, count in zip(decades.tolist(), counts.tolist(), strict=True):
                eras[int(decade)] = round(
                    eras.get(int(decade), 0.0) + weight * count / len(years), 6
                )
        for name in CENTRE_FEATURES:
            value = float(np.mean(catalog.features[name][rows]))
            centre[name] = round(centre.get(name, 0.0) + weight * value, 6)
        centre_weight = round(centre_weight + weight, 6)
    return replace(
        profile,
        artists=artists,
        genres=genres,
        eras=eras,
        centre=centre,
        centre_weight=centre_weight,
        never_artists=tuple(sorted(never_artists, key=lambda a: (a.casefold(), a))),
        never_genres=tuple(sorted(never_genres)),
        signals=profile.signals + len(signals),
    )


def build(signals: Sequence[Signal], catalog: Catalog) -> TasteProfile:
    """A profile from nothing but ``signals``."""
    return fold(TasteProfile(), signals, catalog)


def _display(catalog: Catalog, name: str) -> str:
    """The catalog's spelling of an artist ("beyonce" -> "Beyoncé"), or the name as given."""
    ids = catalog.artist_ids_matching(name)
    return catalog.artist_names[ids[0]] if ids else name


def _signal_rows(catalog: Catalog, signal: Signal, rows_of: dict[str, np.ndarray]) -> np.ndarray:
    """The catalog rows a signal speaks for: its track when the catalog has it, else its artist's."""
    if signal.track_id is not None:
        row = catalog.index_of(signal.track_id)
        if row is not None:
            return np.asarray([row], dtype=np.int64)
    if signal.artists:
        return rows_of.get(signal.artists[0], np.zeros(0, dtype=np.int64))
    return np.zeros(0, dtype=np.int64)


def _artist_rows(catalog: Catalog, names: Iterable[str]) -> dict[str, np.ndarray]:
    """Rows of each named artist (any credit), an even sample of at most ROWS_PER_ARTIST,
    found with one pass over the credits for the whole batch."""
    ids_of = {name: catalog.artist_ids_matching(name) for name in sorted(names)}
    wanted = np.asarray(sorted({a for ids in ids_of.values() for a in ids}), dtype=np.int32)
    if len(wanted) == 0:
        return {}
    credits = np.flatnonzero(np.isin(catalog.artist_idx, wanted))
    owners = catalog.artist_idx[credits]
    rows = np.searchsorted(catalog.artist_ptr, credits, side="right") - 1
    order = np.argsort(owners, kind="stable")
    owners, rows = owners[order], rows[order]
    bounds = np.searchsorted(owners, wanted, side="left"), np.searchsorted(owners, wanted, "right")
    by_id = {int(a): rows[lo:hi] for a, lo, hi in zip(wanted.tolist(), *bounds, strict=True)}
    out: dict[str, np.ndarray] = {}
    for name, ids in ids_of.items():
        if not ids:
            continue
        found = np.unique(np.concatenate([by_id[a] for a in ids]))
        if len(found) > ROWS_PER_ARTIST:
            found = found[np.linspace(0, len(found) - 1, ROWS_PER_ARTIST).astype(np.int64)]
        out[name] = found.astype(np.int64)
    return out


def _genre_shares(catalog: Catalog, rows: np.ndarray) -> list[tuple[str, float]]:
    """The few genres that describe ``rows`` (frequent there, specific in the catalog: "heavy
    metal" before its parent "rock"), each with its share (summing to 1)."""
    main = artist_index(catalog).main_genres(rows, GENRES_PER_SIGNAL)
    return [(catalog.genres[g], share) for g, share in main]
