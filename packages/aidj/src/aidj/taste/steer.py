"""Taste in the engine: lean the ranking towards a listener, never past what the prompt allows.

A profile only reorders tracks that already fit and fills open slots with fitting ones the
ranking left just outside the pool: favoured artists and their catalog neighbours rise, disliked
ones sink, "never" ones are masked out like a prompt's own exclusions. Every hard constraint and
soft limit the prompt set is checked on a newcomer, so the playlist keeps every promise it made.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from aidj.catalog import Catalog
from aidj.intent import Intent
from aidj.scoring import Scored
from aidj.taste.asks import Ask
from aidj.taste.build import CENTRE_FEATURES
from aidj.taste.explain import FAVOURITE, LONG_AGO, MORE, NEIGHBOUR, NEW, sentence
from aidj.taste.neighbours import artist_index
from aidj.taste.profile import LATELY, Source, TasteProfile

if TYPE_CHECKING:
    from aidj.playlist import PlaylistTrack

DEFAULT_DISCOVER = 0.3
ARTIST_BONUS = 0.3  # the score a weight-1 favourite gains at discover 0 (a feature fit is 0..1)
NEIGHBOUR_SHARE = 0.6  # a neighbour gains this share of its artist's bonus, at discover 1
GENRE_BONUS = 0.03  # a favoured genre's tracks, within what fits
FAVOURED_ARTISTS = 40  # the strongest this many favourites lean the ranking
FAVOURITES_BOOST = 1.5  # "my favourites": the favourites count this much more
DEEP_CUT_BONUS = 0.06  # "deep cuts": a favourite's track gains this much more per unit of obscurity
TASTE_GENRES = 3  # genres a genre-free ask for the listener's own taste borrows
FULL_WEIGHT = 0.25  # a favourite this strong (or the listener's strongest) leans fully
REGION_PREFERENCE = 0.15  # a weight-1 genre's pull on the choice of a genre-free set's region
REACH = 8  # a newcomer must rank, with its bonus, within this many times the wanted count


@dataclass(frozen=True, slots=True)
class Taste:
    """A listener's profile as one request uses it."""

    profile: TasteProfile
    discover: float = DEFAULT_DISCOVER  # 0 familiar .. 1 new to me
    ask: Ask | None = None


@dataclass(frozen=True, slots=True)
class Leaning:
    """What a taste does to one catalog: per-row bonuses and why, and the rows it rules out."""

    rows: np.ndarray  # int64, sorted: rows a bonus applies to
    bonus: np.ndarray  # float32, per row of ``rows``
    because: tuple[tuple[str, str], ...]  # per row of ``rows``: (reason kind, artist)
    genre_bonus: dict[str, float]  # slug -> bonus for its tracks (within the pool)
    never: np.ndarray | None  # bool over the catalog, or None when nothing is banned
    ask: Ask | None
    # (G,) per catalog genre: how much a genre-free set leans to be built around it
    genre_preference: np.ndarray | None = None

    def bonus_of(self, row: int) -> tuple[float, tuple[str, str] | None]:
        at = int(np.searchsorted(self.rows, row))
        if at < len(self.rows) and self.rows[at] == row:
            return float(self.bonus[at]), self.because[at]
        return 0.0, None


def active(taste: Taste | None) -> bool:
    return taste is not None and taste.profile.use and not taste.profile.empty


# Leanings by (catalog, what of the taste they depend on): a listener's next prompt reuses one.
_LEANINGS: dict[tuple[int, tuple[object, ...]], tuple[Catalog, Leaning]] = {}
_KEEP_LEANINGS = 64


def lean(catalog: Catalog, taste: Taste) -> Leaning:
    """The per-row bonuses a taste gives; the same taste's come from a small cache."""
    profile = taste.profile
    key = (
        id(catalog),
        (
            tuple((e.name, e.weight, e.sources) for e in profile.ranked_artists() if e.weight),
            tuple((e.name, profile.genre_weight(e.name)) for e in profile.ranked_genres()),
            profile.never_artists,
            profile.never_genres,
            taste.discover,
            taste.ask,
        ),
    )
    held = _LEANINGS.get(key)
    if held is not None and held[0] is catalog:
        return held[1]
    leaning = _lean(catalog, taste)
    for array in (leaning.rows, leaning.bonus, leaning.never, leaning.genre_preference):
        if array is not None:
            array.flags.writeable = False  # shared by every request that reuses it
    while len(_LEANINGS) >= _KEEP_LEANINGS:
        del _LEANINGS[next(iter(_LEANINGS))]
    _LEANINGS[key] = (catalog, leaning)
    return leaning


def forget_leanings() -> None:
    """Empty the cache of leanings (benchmarks time a changed profile with it)."""
    _LEANINGS.clear()


def _lean(catalog: Catalog, taste: Taste) -> Leaning:
    """The per-row bonuses a taste gives (rows and neighbours are cached per artist)."""
    profile, discover, ask = taste.profile, min(1.0, max(0.0, taste.discover)), taste.ask
    if ask is Ask.NEW_TO_ME:
        discover = 1.0
    elif ask in (Ask.FAVOURITES, Ask.DEEP_CUTS):
        discover = 0.0
    familiar = 1.0 - discover
    index = artist_index(catalog)
    parts: list[tuple[np.ndarray, float, int]] = []  # rows, gain, index into whys
    whys: list[tuple[str, str]] = []

    def give(rows: np.ndarray, gain: float, why: tuple[str, str]) -> None:
        if len(rows):
            parts.append((rows, gain, len(whys)))
            whys.append(why)

    favourites = [e for e in profile.ranked_artists() if e.weight > 0][:FAVOURED_ARTISTS]
    # relative to the strongest favourite (the listener's own scale), but a profile of a few
    # weak signals stays weak
    top = max([FULL_WEIGHT, *(e.weight for e in favourites)])
    for entry in favourites:
        explicit = Source.MORE.value in entry.sources
        lately = bool(set(entry.sources) & {s.value for s in LATELY})
        scale = ARTIST_BONUS * entry.weight / top
        # "new to me" sinks every favourite; "not lately" those played lately
        sunk = ask is Ask.NEW_TO_ME or (ask is Ask.NOT_LATELY and lately)
        if sunk and not explicit:
            give(index.rows_of(entry.name), -scale * 0.5, ("", entry.name))
        else:
            boost = FAVOURITES_BOOST if ask is Ask.FAVOURITES else 1.0
            gain = scale * max(familiar, 1.0 if explicit else 0.0) * boost
            kind = MORE if explicit else LONG_AGO if ask is Ask.NOT_LATELY else FAVOURITE
            give(index.rows_of(entry.name), gain, (kind, entry.name))
        if ask not in (Ask.FAVOURITES, Ask.DEEP_CUTS):
            gain = scale * NEIGHBOUR_SHARE * (0.5 + 0.5 * discover)
            kind = NEW if ask is Ask.NEW_TO_ME else NEIGHBOUR
            for other in index.neighbours_of(entry.name):
                give(index.rows_of(other), gain, (kind, entry.name))
    for entry in profile.ranked_artists():
        if entry.weight < 0:
            give(index.rows_of(entry.name), ARTIST_BONUS * entry.weight, ("", entry.name))
    rows, bonus, because = _resolve(parts)
    if ask is Ask.DEEP_CUTS and len(rows):
        rise = bonus > 0
        bonus[rise] += DEEP_CUT_BONUS * (1.0 - catalog.popularity[rows[rise]] / 100.0)
    genre_bonus = {
        e.name: GENRE_BONUS * w * (familiar if w > 0 else 1.0)
        for e in profile.ranked_genres()
        if (w := profile.genre_weight(e.name)) != 0 and catalog.genre_index(e.name) is not None
    }
    preference = np.zeros(len(catalog.genres), dtype=np.float64)
    for slug, gain in genre_bonus.items():
        g = catalog.genre_index(slug)
        if g is not None:
            preference[g] = REGION_PREFERENCE * gain / GENRE_BONUS
    return Leaning(
        genre_preference=preference if preference.any() else None,
        rows=rows,
        bonus=bonus,
        because=tuple(whys[k] for k in because.tolist()),
        genre_bonus=genre_bonus,
        never=_never(catalog, profile),
        ask=ask,
    )


def _resolve(
    parts: list[tuple[np.ndarray, float, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One gain per row: a sink beats any rise (the most negative wins), else the largest rise."""
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.int64)
    rows = np.concatenate([p[0] for p in parts])
    gain = np.concatenate([np.full(len(p[0]), p[1], dtype=np.float32) for p in parts])
    why = np.concatenate([np.full(len(p[0]), p[2], dtype=np.int64) for p in parts])
    rank = np.where(gain < 0, gain - 10.0, -gain)  # ascending: sinks first, then larger rises
    order = np.lexsort((why, rank, rows))
    rows, gain, why = rows[order], gain[order], why[order]
    first = np.concatenate(([True], rows[1:] != rows[:-1]))
    return rows[first], gain[first].copy(), why[first]


def _never(catalog: Catalog, profile: TasteProfile) -> np.ndarray | None:
    if not profile.never_artists and not profile.never_genres:
        return None
    mask = catalog.genre_mask(profile.never_genres) if profile.never_genres else None
    artists = catalog.artist_mask(profile.never_artists) if profile.never_artists else None
    if mask is None:
        return artists
    return mask if artists is None else mask | artists


def shape(catalog: Catalog, intent: Intent, taste: Taste) -> Intent:
    """An ask for the listener's own taste fills in what the prompt left open: their genres
    (a genre-free ask), their sound ("like what I usually play"), obscurity for deep cuts."""
    if taste.ask is None:
        return intent
    profile = taste.profile
    update: dict[str, object] = {}
    if not intent.genres and not intent.seed_artists:
        genres = [
            e.name
            for e in profile.ranked_genres()
            if e.score > 0
            and e.name not in profile.never_genres
            and e.name not in intent.exclude_genres
            and catalog.genre_index(e.name) is not None
        ][:TASTE_GENRES]
        if genres:
            update["genres"] = genres
    if taste.ask is Ask.USUAL:
        centre = profile.centre_features()
        for name in CENTRE_FEATURES:
            if getattr(intent, name) is None and name in centre:
                update[name] = centre[name]
    if taste.ask is Ask.DEEP_CUTS and intent.popularity is None:
        update["popularity"] = 30
    return intent.replace(**update) if update else intent


def steer(
    catalog: Catalog,
    intent: Intent,
    scored: Scored,
    pool: np.ndarray,
    need: int,
    exclude: np.ndarray | None,
    anchor: str | None,
    leaning: Leaning,
    *,
    keep_order: bool = False,
) -> tuple[Scored, np.ndarray]:
    """Scores with the taste's bonuses and the pool with fitting favourites added, best first.

    ``anchor``: the genre a genre-free set was drawn around (newcomers must sit well with it);
    ``keep_order``: the pool's order is meaningful (a mix taking styles in turn) and stays.
    """
    scores = scored.scores.copy()
    if len(pool) == 0:
        return scored, pool
    cut = float(scores[pool[min(len(pool) - 1, REACH * need)]])
    rise = leaning.bonus > 0
    newcomers = leaning.rows[rise]
    gain = leaning.bonus[rise]
    ok = scored.allowed[newcomers] & (scores[newcomers] + gain >= cut)
    if exclude is not None:
        ok &= ~exclude[newcomers]
    if intent.genres:
        # the genre map narrows a label to the style strangers mean by it; a favourite's own
        # track carrying the asked label is what this listener means (Coltrane is jazz even
        # where the map's jazz core, drawn from the other file, leaves him out)
        labelled = catalog.genre_mask(intent.genres)[newcomers]
        ok &= scored.genre_match[newcomers] | labelled
    ok &= _soft_limits(catalog, intent, newcomers)
    if anchor is not None:
        ok &= _related_to(catalog, anchor, newcomers)
    added = newcomers[ok & ~np.isin(newcomers, pool)]
    merged = np.concatenate([pool, added]) if len(added) else pool
    scores[leaning.rows] += leaning.bonus
    if leaning.genre_bonus:
        for slug, bonus in leaning.genre_bonus.items():
            g = catalog.genre_index(slug)
            if g is None:
                continue
            has = (catalog.genre_bits[merged, g >> 3] >> (g & 7)) & 1
            scores[merged] += has.astype(np.float32) * np.float32(bonus)
    if not keep_order:
        merged = merged[np.argsort(-scores[merged], kind="stable")]
    return replace(scored, scores=scores), merged


def _soft_limits(catalog: Catalog, intent: Intent, rows: np.ndarray) -> np.ndarray:
    """The limits candidate_pool applies softly, applied strictly to newcomers."""
    ok = np.ones(len(rows), dtype=bool)
    tempo = catalog.features["tempo"][rows]
    if intent.tempo_min is not None:
        ok &= tempo >= intent.tempo_min
    if intent.tempo_max is not None:
        ok &= tempo <= intent.tempo_max
    if intent.min_popularity is not None:
        ok &= catalog.popularity[rows] >= intent.min_popularity
    if intent.mode is not None:
        ok &= catalog.mode[rows] == (1 if intent.mode == "major" else 0)
    return ok


def _related_to(catalog: Catalog, anchor: str, rows: np.ndarray) -> np.ndarray:
    """Rows carrying the anchor genre or one related to it (the checker's flow relation)."""
    g = catalog.genre_index(anchor)
    if g is None or catalog.genre_related is None or len(rows) == 0:
        return np.zeros(len(rows), dtype=bool)
    bits = np.unpackbits(catalog.genre_bits[rows], axis=1, bitorder="little")[
        :, : len(catalog.genres)
    ]
    return bits[:, catalog.genre_related[g]].any(axis=1) | bits[:, g].astype(bool)


def explain(
    tracks: list[PlaylistTrack], catalog: Catalog, leaning: Leaning, language: str | None
) -> list[PlaylistTrack]:
    """Each track taste chose says so in its reason, in the prompt's language."""
    out = []
    for track in tracks:
        row = catalog.index_of(track.id)
        gain, why = (0.0, None) if row is None else leaning.bonus_of(row)
        if gain > 0 and why is not None and why[0]:
            said = sentence(why[0], language, artist=why[1])
            track = replace(track, reason=f"{track.reason}, {said}" if track.reason else said)
        out.append(track)
    return out
