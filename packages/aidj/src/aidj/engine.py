"""From intent to ordered playlist: score the catalog, pick with variety, sequence like a DJ."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import numpy as np

from aidj.catalog import Catalog
from aidj.intent import Intent
from aidj.playlist import Playlist, PlaylistTrack
from aidj.scoring import Scored, fit_scores
from aidj.selection import Variety, candidate_pool, fit_duration, harmonise, select, wanted_count
from aidj.sequencing import camelot, order, transition_stats


def build_playlist(
    catalog: Catalog,
    intent: Intent,
    *,
    exclude_ids: Iterable[str] = (),
    keep_ids: Sequence[str] = (),
    fixed_ids: Sequence[str] | None = None,
) -> Playlist:
    """Build the playlist an intent asks for. Never raises for an odd intent: it may come back short.

    ``keep_ids``: tracks that must stay (locked, or still fitting a refined prompt); the rest is
    chosen around them and everything is sequenced together. ``fixed_ids``: exactly these tracks
    in exactly this order (an edited playlist), only scored, described and measured.
    """
    started = time.perf_counter()
    intent = with_seed_profile(catalog, intent)
    need = wanted_count(catalog, intent)
    exclude = None
    excluded_ids = [i for tid in exclude_ids if (i := catalog.index_of(tid)) is not None]
    if excluded_ids:
        exclude = np.zeros(len(catalog), dtype=bool)
        exclude[excluded_ids] = True
    scored, pool = score_and_rank(catalog, intent, need, exclude)
    seeds = frozenset(a for name in intent.seed_artists for a in catalog.artist_ids_matching(name))
    variety = Variety(catalog, seed_artist_ids=seeds)
    kept = _rows(catalog, fixed_ids if fixed_ids is not None else keep_ids)
    for i in kept:
        variety.add(i)
    if fixed_ids is not None:
        chosen = kept
    elif kept:
        # length fitting and key swaps may drop any pick: with kept tracks only new ones are chosen
        chosen = kept + select(catalog, intent, scored, pool, max(0, need - len(kept)), variety)
    else:
        chosen = select(catalog, intent, scored, pool, need, variety)
        chosen = fit_duration(catalog, intent, pool, chosen, variety)
        chosen = harmonise(catalog, intent, scored.scores, pool, chosen, variety)

    tempos = [float(catalog.features["tempo"][i]) for i in chosen]
    keys = [camelot(int(catalog.key[i]), int(catalog.mode[i])) for i in chosen]
    energies = [float(catalog.features["energy"][i]) for i in chosen]
    if fixed_ids is not None:
        play_order = list(range(len(chosen)))
    else:
        play_order = order(tempos, keys, energies, intent.arc, by_tempo=intent.arc_by == "tempo")
    tracks = [_track(catalog, intent, chosen[p], float(scored.scores[chosen[p]])) for p in play_order]

    stats = transition_stats([tempos[p] for p in play_order], [keys[p] for p in play_order])
    duration_ms = sum(t.duration_ms for t in tracks)
    genre_hits = sum(bool(scored.genre_match[chosen[p]]) for p in play_order) if intent.genres else len(tracks)
    stats.update(
        tracks=len(tracks),
        duration_ms=duration_ms,
        duration_minutes=round(duration_ms / 60_000, 1),
        genre_match_share=round(genre_hits / len(tracks), 3) if tracks else 0.0,
        mean_energy=round(float(np.mean(energies)), 3) if tracks else 0.0,
        mean_tempo=round(float(np.mean(tempos)), 1) if tracks else 0.0,
        energy_curve=[round(t.energy, 2) for t in tracks],
        candidates=int(len(pool)),
        build_ms=round((time.perf_counter() - started) * 1000, 2),
    )
    return Playlist(intent=intent, tracks=tracks, stats=stats)


def _rows(catalog: Catalog, ids: Sequence[str]) -> list[int]:
    """Catalog rows of ``ids`` in their order; unknown ids and repeats are dropped."""
    rows: list[int] = []
    for tid in ids:
        i = catalog.index_of(tid)
        if i is not None and i not in rows:
            rows.append(i)
    return rows


# Above this share of the catalog, reading the genre's rows costs about what scoring all does.
GENRE_INDEX_MAX_SHARE = 0.25


def score_and_rank(
    catalog: Catalog, intent: Intent, need: int, exclude: np.ndarray | None
) -> tuple[Scored, np.ndarray]:
    """Scores and the ranked candidate pool (catalog rows, best first).

    With a genre index (large catalogs) and a prompt naming genres, only those genres' rows
    are scored; the pool is the same as scoring everything, and whenever that cannot be
    guaranteed (a genre too thin for the soft constraints) the whole catalog is scored.
    """
    if intent.genres:
        rows = catalog.rows_with_genres(intent.genres)
        if rows is not None and len(rows) <= GENRE_INDEX_MAX_SHARE * len(catalog):
            subset = catalog.subset(rows)
            scored = fit_scores(subset, intent)
            picked = candidate_pool(
                subset, intent, scored, need, None if exclude is None else exclude[rows], genre_rows_only=True
            )
            if picked is not None:
                return scored.scatter(rows, picked, len(catalog)), rows[picked]
    scored = fit_scores(catalog, intent)
    pool = candidate_pool(catalog, intent, scored, need, exclude)
    assert pool is not None  # only the genre-rows path declines
    return scored, pool


_BROAD_GENRES = frozenset({"pop", "rock", "dance", "hip-hop", "indie", "alternative", "electronic", "happy", "sad",
                           "chill", "party", "acoustic", "singer-songwriter", "songwriter"})


def with_seed_profile(catalog: Catalog, intent: Intent) -> Intent:
    """'Music like Daft Punk': borrow the named artists' genres and sound for what is unset."""
    if not intent.seed_artists:
        return intent
    mask = catalog.artist_mask(intent.seed_artists)
    if not mask.any():
        return intent
    idx = np.flatnonzero(mask)
    update: dict[str, object] = {}
    if not intent.genres:
        # unpack the genre bits of the seed rows only: a full (n x genres) matrix is 1 GB at 10M tracks
        bits = np.unpackbits(catalog.genre_bits[idx], axis=1, bitorder="little")[:, : len(catalog.genres)]
        counts = bits.sum(axis=0)
        ranked = [catalog.genres[g] for g in np.argsort(-counts, kind="stable") if counts[g] > 0]
        # specific styles first: "pop" describes half the catalog, "electro"/"house" describe Daft Punk
        ranked.sort(key=lambda g: g in _BROAD_GENRES)
        update["genres"] = ranked[:3]
    for name in ("energy", "danceability", "valence", "acousticness"):
        if getattr(intent, name) is None:
            update[name] = round(float(np.median(catalog.features[name][idx])), 3)
    return Intent.model_validate({**intent.model_dump(), **update})


def _track(catalog: Catalog, intent: Intent, i: int, score: float) -> PlaylistTrack:
    f = catalog.features
    genres = catalog.genres_of(i)
    return PlaylistTrack(
        id=catalog.ids[i],
        name=catalog.names[i],
        artists=catalog.artists_of(i),
        album=catalog.albums[i],
        duration_ms=int(catalog.duration_ms[i]),
        explicit=bool(catalog.explicit[i]),
        popularity=int(catalog.popularity[i]),
        genres=genres,
        tempo=round(float(f["tempo"][i]), 1),
        key=int(catalog.key[i]),
        mode=int(catalog.mode[i]),
        camelot=camelot(int(catalog.key[i]), int(catalog.mode[i])),
        energy=round(float(f["energy"][i]), 3),
        danceability=round(float(f["danceability"][i]), 3),
        valence=round(float(f["valence"][i]), 3),
        score=round(score, 4),
        reason=_reason(catalog, intent, i, genres),
    )


_SHORT = {"danceability": "dance", "instrumentalness": "instrumental", "acousticness": "acoustic",
          "speechiness": "speech"}


def _reason(catalog: Catalog, intent: Intent, i: int, genres: list[str]) -> str:
    """A short human explanation of why this track fits: genre, the closest targets, tempo."""
    f = catalog.features
    parts: list[str] = []
    matched = [g for g in genres if g in intent.genres]
    if matched:
        parts.append("/".join(matched[:2]))
    if intent.seed_artists and any(a in intent.seed_artists for a in catalog.artists_of(i)):
        parts.append("an artist you named")
    close = sorted(
        (abs(float(f[name][i]) - target), name, float(f[name][i]), target)
        for name, target in intent.targets().items()
        if abs(float(f[name][i]) - target) <= 0.15
    )
    parts += [f"{_SHORT.get(name, name)} {value:.2f} (want {target:.2f})" for _, name, value, target in close[:2]]
    if intent.tempo is not None:
        bpm = float(f["tempo"][i])
        half = abs(bpm * 2 - intent.tempo) < abs(bpm - intent.tempo)
        parts.append(f"{bpm:.0f} BPM" + (" (half-time)" if half else ""))
    if intent.popularity is not None and catalog.popularity[i] >= 60:
        parts.append(f"popular ({catalog.popularity[i]})")
    return ", ".join(parts[:4]) or "close overall match"
