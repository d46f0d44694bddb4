"""How well each catalog track fits an intent, computed for the whole catalog at once.

``fit_scores`` weighs distances over every feature the intent sets, tempo included, plus a
mild popularity prior so that, all else equal, a DJ plays songs people know. Hard constraints (exclusions, explicit, tempo range, mode) are masks, not scores.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from aidj.catalog import Catalog, CatalogRows, derived_table
from aidj.covers import renditions
from aidj.genre_map import (
    excluded_styles,
    local_labels,
    scene_language,
    scene_match,
    style_core,
    vouched_by_other_file,
)
from aidj.genres import local_genres
from aidj.intent import EnergyArc, Intent
from aidj.learning import is_sleep_set, learning_songs
from aidj.seasons import out_of_season, seasonal_mask

# Relative importance of each targeted feature; speechiness and instrumentalness live in a
# narrow band for most music, so their distances are scaled up (see SCALE).
WEIGHTS = {
    "energy": 1.0,
    "valence": 1.0,
    "danceability": 0.8,
    "acousticness": 0.6,
    "instrumentalness": 0.7,
    "speechiness": 0.7,
}
SCALE = {"speechiness": 3.0}
TEMPO_WEIGHT = 0.7
TEMPO_SPAN = 40.0  # BPM difference that counts as a complete miss
FAMILIAR_FLOOR_FROM = 0.7  # familiarity at which a popularity floor applies (softly)
FAMILIAR_POPULARITY = 50
TYPICAL_TRACK_MS = 215_000  # a track's usual length: how many tracks a duration asks for
# A style's core counts as deep enough only with enough tracks this close to the request's
# instrumentalness target ("sans paroles").
WINDOW_SPAN = 0.25
# Lent scratch arrays kept per catalog: one per request served at once (server threads).
SCRATCH_KEPT = 4


@dataclass(slots=True)
class Scored:
    scores: np.ndarray  # float32, higher is better
    allowed: np.ndarray  # bool: passes every hard constraint
    genre_match: np.ndarray  # bool: carries a wanted genre (all True when none asked)


class Scratch:
    """Catalog-sized (scores, allowed, genre_match) arrays, all zero, lent to one request at a time.

    A genre-free prompt on a huge catalog scores a few hundred thousand rows but hands the later
    steps catalog-sized arrays holding a few thousand of them. Fresh zeroed arrays cost a page
    fault per row written (~10 ms at 10M tracks for three arrays); lent ones are zeroed again
    at those rows when given back, so their pages stay mapped and a request pays only its rows.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self._free: list[Scored] = []
        self._lock = threading.Lock()

    def lend(self, scored: Scored, picked: np.ndarray, at: np.ndarray) -> Scored:
        """``scored``'s ``picked`` rows (a subset's) placed at their catalog rows ``at``, in lent
        arrays: everything after candidate ranking reads the candidates' scores only, and the
        rest reads zero."""
        with self._lock:
            out = self._free.pop() if self._free else None
        if out is None:
            out = Scored(
                np.zeros(self.n, np.float32), np.zeros(self.n, bool), np.zeros(self.n, bool)
            )
        out.scores[at], out.allowed[at], out.genre_match[at] = (
            scored.scores[picked],
            scored.allowed[picked],
            scored.genre_match[picked],
        )
        return out

    def give_back(self, scored: Scored, at: np.ndarray) -> None:
        """Take back arrays :meth:`lend` gave with rows ``at`` written; nothing may read them after."""
        scored.scores[at], scored.allowed[at], scored.genre_match[at] = 0, False, False
        with self._lock:
            if len(self._free) < SCRATCH_KEPT:
                self._free.append(scored)


def scratch_for(catalog: Catalog) -> Scratch:
    """The catalog's lent score arrays: a genre prompt's rows' scores are handed on in them
    (:func:`aidj.engine.score_and_rank`), and so are a sampled region's
    (:mod:`aidj.sampled_region`). One pool per catalog, living as long as it."""
    return derived_table(catalog, "lent scores", _new_scratch)


def _new_scratch(catalog: Catalog) -> Scratch:
    return Scratch(len(catalog))


def hard_mask(catalog: Catalog | CatalogRows, intent: Intent) -> np.ndarray:
    """Tracks every playlist for this intent may contain (read-only: it may be the kept
    standing limits themselves)."""
    # (the limits are ANDed: their order does not matter, so the standing ones come kept)
    limits = era(catalog, intent)
    if intent.max_track_seconds is not None:
        limits.append(catalog.duration_ms <= intent.max_track_seconds * 1000)
    if intent.exclude_artists:
        limits.append(~catalog.artist_mask(intent.exclude_artists))
    if intent.exclude_genres:
        # "no rap" also means the other file's labels ("gangster rap") and the style's artists
        limits.append(~excluded_styles(catalog, intent.exclude_genres))
    allowed = standing_limits(catalog, intent)
    if not limits:
        return allowed  # most requests: no copy of the kept mask
    allowed = allowed.copy()
    for mask in limits:
        allowed &= mask
    return allowed


def standing_limits(catalog: Catalog | CatalogRows, intent: Intent) -> np.ndarray:
    """The hard limits that depend on a few switches only (clean, seasons asked, a sleep set):
    playable, no explicit tracks, no other season's songs, no learning songs in a sleep set.
    Read-only, kept in the catalog's (or kept subset's) ``masks``: every request reads them."""
    sleep = is_sleep_set(intent)
    seasons = tuple(sorted(set(intent.seasons)))

    def build() -> np.ndarray:
        allowed = catalog.playable().copy()
        for mask in clean_only(catalog, intent):
            allowed &= mask
        seasonal = out_of_season(catalog, seasons)
        if seasonal is not None:
            # "Winter Wonderland" in a soul set: seasonal songs play only when their season is asked
            allowed &= ~seasonal
        if sleep and (learning := learning_songs(catalog)) is not None:
            allowed &= ~learning  # a lullaby is a soft song for sleep, not a phonics song
        return allowed

    masks = getattr(catalog, "masks", None)
    if masks is None:
        return build()
    return masks.get(("standing", intent.explicit, seasons, sleep), build)


def era(catalog: Catalog | CatalogRows, intent: Intent) -> list[np.ndarray]:
    """The hard limit the era, as masks (empty without one)."""
    out: list[np.ndarray] = []
    if intent.year_min is not None or intent.year_max is not None:
        year = catalog.year
        out.append(year > 0)  # an era asks for tracks known to be from it
        if intent.year_min is not None:
            out.append(year >= intent.year_min)
        if intent.year_max is not None:
            out.append(year <= intent.year_max)
    return out


def clean_only(catalog: Catalog | CatalogRows, intent: Intent) -> list[np.ndarray]:
    """No explicit tracks, when asked, as masks (empty otherwise)."""
    if intent.explicit:
        return []
    out = [~catalog.explicit]
    if catalog.explicit_known is not None:
        # "nothing explicit": a track nobody vouched for is out
        out.append(catalog.explicit_known)
    return out


# Rows per block in feature_fit: small enough that a block's scratch arrays stay in the CPU
# cache while every feature is folded in, large enough that the Python loop costs nothing.
_BLOCK = 1 << 16


def feature_fit(catalog: Catalog | CatalogRows, intent: Intent) -> np.ndarray:
    """1 - weighted mean distance to every target the intent sets (1.0 when none)."""
    f = catalog.features
    n = len(catalog)
    targets = intent.targets()
    for name, (lo, hi) in intent.bounds.items():
        # any interpreter's targets sit inside its hedges' limits ("sad but not too slow")
        if name in targets:
            targets[name] = min(hi if hi is not None else 1.0, max(lo or 0.0, targets[name]))
    if intent.arc != EnergyArc.FLAT and intent.arc_by == "energy":
        targets.pop("energy", None)  # the arc sets energy slot by slot, around this value
    terms = [
        (f[name], np.float32(target), np.float32(SCALE.get(name, 1.0)), np.float32(WEIGHTS[name]))
        for name, target in targets.items()
    ]
    weight = sum(WEIGHTS[name] for name in targets)
    tempo = None if intent.tempo is None else np.float32(intent.tempo)
    if tempo is not None:
        weight += TEMPO_WEIGHT
    if weight == 0:
        return np.ones(n, dtype=np.float32)
    out = np.empty(n, dtype=np.float32)
    size = min(n, _BLOCK)
    acc, part, other = (np.empty(size, dtype=np.float32) for _ in range(3))
    # block by block, all features at once: at millions of tracks, feature by feature over the
    # whole catalog is bound by memory traffic, not arithmetic
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        m = stop - start
        a, p, q = acc[:m], part[:m], other[:m]
        # the first term is written into the sum itself: 0 + a distance (never -0.0) is itself
        into = a
        for column, target, scale, w in terms:
            np.subtract(column[start:stop], target, out=into)
            np.abs(into, out=into)
            if scale != 1:
                into *= scale
            np.minimum(into, np.float32(1.0), out=into)
            into *= w
            if into is p:
                a += p
            into = p
        if tempo is not None:
            bpm = f["tempo"][start:stop]
            # a track at half or double the tempo mixes just as well (the DJ plays it in half-time)
            np.subtract(bpm, tempo, out=into)
            np.abs(into, out=into)
            np.multiply(bpm, np.float32(2.0), out=q)
            q -= tempo
            np.abs(q, out=q)
            np.minimum(into, q, out=into)
            np.multiply(bpm, np.float32(0.5), out=q)
            q -= tempo
            np.abs(q, out=q)
            np.minimum(into, q, out=into)
            into *= np.float32(1.0 / TEMPO_SPAN)
            np.minimum(into, np.float32(1.0), out=into)
            into *= np.float32(TEMPO_WEIGHT)
            if into is p:
                a += p
        block = out[start:stop]
        np.multiply(a, np.float32(-1.0 / weight), out=block)
        block += np.float32(1.0)
    return out


def popularity_prior(catalog: Catalog | CatalogRows, intent: Intent) -> np.ndarray:
    pop = catalog.popularity.astype(np.float32)
    pop *= np.float32(0.01)
    if intent.popularity is None:
        pop *= np.float32(0.12)  # mild: a known song wins a tie
        return pop
    target = intent.popularity / 100.0
    if target >= 0.5:
        # "hits": reaching the target is what matters; beyond it, more popular still wins ties
        reach = pop * np.float32(1.0 / target)
        np.minimum(reach, np.float32(1.0), out=reach)
        reach *= np.float32(0.3)
        pop *= np.float32(0.05)
        pop += reach
        return pop
    return 0.35 * (1.0 - np.abs(pop - target))


# How strongly an asked season's songs lead, and how far familiarity moves the known songs
SEASON_BONUS = 0.6
COVERS_BONUS = 0.15
FAMILIARITY_WEIGHT = 0.6
KNOWN_POPULARITY = 75.0  # popularity at which a track counts as fully known


def familiarity_term(catalog: Catalog | CatalogRows, familiarity: float) -> np.ndarray:
    """Score shift towards songs people know (familiarity > 0.5) or away from them (< 0.5).

    A track is known by its popularity and by being in the hits-oriented file (the one that dates
    its tracks: a release year is known only there)."""
    known = catalog.popularity.astype(np.float32)
    known *= np.float32(0.8 / KNOWN_POPULARITY)
    np.minimum(known, np.float32(0.8), out=known)
    known += (catalog.year > 0) * np.float32(0.2)
    known *= np.float32((familiarity - 0.5) * FAMILIARITY_WEIGHT)
    return known


def genre_match(catalog: Catalog | CatalogRows, intent: Intent) -> np.ndarray:
    """Tracks that count as 'in genre' (see :mod:`aidj.genre_map`).

    A style without a place is its core as listeners know it, in their own or no scene (the
    114k file's Indian "hip-hop" is not what "hip hop" means in English). A place next to a
    style (``scenes``: "Swedish metal") means both; where too few tracks are both, the style
    fills the rest from elsewhere, never the place's other styles.
    """
    return _in_genre(catalog, intent)[0]


def _in_genre(
    catalog: Catalog | CatalogRows, intent: Intent
) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`genre_match`, and the tracks that are both style and scene (None without scenes).

    Kept in the catalog's (or kept subset's) ``masks``: it depends on the styles, scenes and
    seeds asked, the depth wanted and the request's windows only, and requests ask the same
    styles again and again (the style's tiers and their artist counts are the cost)."""
    # (a two-hour set needs a deeper core than twenty tracks do)
    wanted = intent.track_count
    if intent.duration_minutes is not None:
        wanted = max(1, round(intent.duration_minutes * 60_000 / TYPICAL_TRACK_MS))
    enough = max(15, 3 * wanted)
    both = scene_match(catalog, intent.genres, intent.scenes) if intent.scenes else None
    key = (
        "in_genre",
        tuple(intent.genres),
        intent.language,
        enough,
        tuple(intent.scenes),
        tuple(intent.seed_artists),
        _window_key(intent),
    )
    masks = getattr(catalog, "masks", None)
    if masks is None:
        return _genre_core(catalog, intent, enough, both), both
    return masks.get(key, lambda: _genre_core(catalog, intent, enough, both)), both


def _genre_core(
    catalog: Catalog | CatalogRows, intent: Intent, enough: int, both: np.ndarray | None
) -> np.ndarray:
    """:func:`genre_match` as computed (see :func:`_in_genre`); ``both``: the scene's match."""
    windows = request_windows(catalog, intent)
    if both is not None:
        # the combination alone must hold enough inside the request's numbers too
        inside = both & catalog.playable()
        if windows:
            inside &= windows[-1]
        if int(np.count_nonzero(inside)) >= enough:
            return both
    core = style_core(catalog, intent.genres, intent.language, enough, windows)
    if intent.seed_artists:
        # "like Daft Punk": the seed's own tracks are in genre whatever scene they are from
        core = core | catalog.artist_mask(intent.seed_artists)
    return core if both is None else both | core


def _popularity_floor(intent: Intent) -> int | None:
    """The popularity floor the request's windows hold (its own, or a familiar set's)."""
    floor = intent.min_popularity
    if intent.familiarity is not None and intent.familiarity >= FAMILIAR_FLOOR_FROM:
        floor = max(floor or 0, FAMILIAR_POPULARITY)
    return floor


def _window_key(intent: Intent) -> tuple[object, ...]:
    """Everything :func:`request_windows` reads of an intent (keys kept cores: keep in step)."""
    return (
        intent.explicit,
        intent.tempo_min,
        intent.tempo_max,
        _popularity_floor(intent),
        intent.instrumentalness,
        tuple(intent.seasons),
    )


def request_windows(catalog: Catalog | CatalogRows, intent: Intent) -> list[np.ndarray]:
    """Tracks inside the request's own numbers, strictest first: no explicit tracks, its tempo
    range and popularity floor (the soft limits :func:`aidj.selection.candidate_pool` applies)
    and near its instrumentalness target; then the limits alone. Empty when none is set.

    A style's core is "enough" only where it is enough inside these: a narrow core that holds
    few 100 BPM tracks would leave the playlist to fill its tempo from elsewhere."""
    f = catalog.features
    # (an era is not counted: only one file dates its tracks, and with_reachable_era widens it)
    limits = clean_only(catalog, intent)
    if intent.tempo_min is not None:
        limits.append(f["tempo"] >= intent.tempo_min)
    if intent.tempo_max is not None:
        limits.append(f["tempo"] <= intent.tempo_max)
    floor = _popularity_floor(intent)
    if floor is not None:
        limits.append(catalog.popularity >= floor)
    # "without vocals" is a number the listener set; an energy target is mostly a mood's guess
    targets = (
        [
            np.abs(f["instrumentalness"] - np.float32(intent.instrumentalness))
            <= np.float32(WINDOW_SPAN)
        ]
        if intent.instrumentalness is not None
        else []
    )
    windows: list[np.ndarray] = []
    if limits or targets:
        windows.append(np.logical_and.reduce(limits + targets))
    if limits and targets:
        windows.append(np.logical_and.reduce(limits))
    seasonal = out_of_season(catalog, intent.seasons)
    if seasonal is not None:
        # out-of-season songs never play, so no window counts them: the 114k file's jazz is
        # mostly Christmas songs, and a core counted with them ran dry after a few refreshes
        windows = [window & ~seasonal for window in windows] or [~seasonal]
    return windows


# How far a skewed style's vouched tracks outrank the rest of its label.
VOUCHED_BONUS = 0.1
# How far a track that is both the style and the place outranks the style alone.
SCENE_BONUS = 0.3
# How far the place's own label ("german") outranks other tracks of the place: the surest sign
# of it, now that titles place more of a scene's artists whose labels say only the style.
SCENE_LABEL_BONUS = 0.25


FOREIGN_PENALTY = 0.05


def scene_own_styles(intent: Intent) -> bool:
    """Every style asked is a local style of the scenes asked ("mpb" with "brazil")."""
    langs = {scene_language(s) for s in intent.scenes}
    return all(local_labels().get(g) in langs for g in intent.genres)


# A hedge's limit is soft but strong: 0.1 past it costs as much as a far-off mood (0.3 of fit).
BOUND_WEIGHT = 3.0


def bound_penalty(catalog: Catalog | CatalogRows, intent: Intent) -> np.ndarray:
    """How far each track lies outside the hedges' limits ("not too loud": energy <= 0.7), weighted.

    Tempo counts in TEMPO_SPAN units, half/double time not forgiven: "not too slow" is heard."""
    f = catalog.features
    penalty = np.zeros(len(catalog), dtype=np.float32)
    for name, (lo, hi) in intent.bounds.items():
        column = f[name]
        scale = np.float32(BOUND_WEIGHT / (TEMPO_SPAN if name == "tempo" else 1.0))
        if lo is not None:
            penalty += np.maximum(np.float32(lo) - column, np.float32(0.0)) * scale
        if hi is not None:
            penalty += np.maximum(column - np.float32(hi), np.float32(0.0)) * scale
    return penalty


def foreign_local_genres(intent: Intent) -> tuple[str, ...]:
    """Genres tied to a language other than the prompt's, and not asked for."""
    return _foreign(intent.language, tuple(intent.genres))


@lru_cache(maxsize=256)
def _foreign(language: str | None, genres: tuple[str, ...]) -> tuple[str, ...]:
    # (every request asks this; the answer is the packs' and the styles' only)
    return tuple(g for g in local_genres(exclude_language=language) if g not in genres)


def _term(
    catalog: Catalog | CatalogRows, key: tuple[object, ...], build: Callable[[], np.ndarray]
) -> np.ndarray:
    """A score term ``build`` makes from the rows and ``key`` alone: kept in a kept subset's
    ``terms`` (the next request asking the same adds it without making it), made otherwise."""
    terms = getattr(catalog, "terms", None)
    return build() if terms is None else terms.get(key, build)


def fit_scores(catalog: Catalog | CatalogRows, intent: Intent) -> Scored:
    allowed = hard_mask(catalog, intent)
    # every term is added in place (at 10M tracks each temporary is 40 MB written and read),
    # and bonuses as mask * constant: numpy's masked `where=` loops are ~5x slower
    # the fit to the request's targets is computed every time, never kept: it is the work any
    # engine must do per request (benchmarks/numpy_ratio.py's pass), and keeping it would let a
    # repeated request skip it. What a kept subset keeps (``_term``) depends on its rows and on
    # the asked styles or a switch with a few settings (popularity, familiarity, mode) only.
    score = feature_fit(catalog, intent)
    score += _term(catalog, ("prior", intent.popularity), lambda: popularity_prior(catalog, intent))
    if intent.genres:
        in_genre, both = _in_genre(catalog, intent)
        # the first genre named is what was asked; the rest widen the net
        score += _term(
            catalog,
            ("first", intent.genres[0]),
            lambda: catalog.genre_mask(intent.genres[:1]) * np.float32(0.08),
        )
        vouched = vouched_by_other_file(catalog, intent.genres)
        if vouched is not None:
            # a skewed label's tracks the other file vouches for first (see aidj.genre_map)
            score += _term(
                catalog,
                ("vouched", *intent.genres),
                lambda: vouched * np.float32(VOUCHED_BONUS),
            )
        if both is not None:
            score += both * np.float32(SCENE_BONUS)
            if not scene_own_styles(intent):
                # the place's own label ("german") is the surest sign of the place; for a style
                # that is that scene's own (mpb, Brazilian by name) it adds only the label's mixed
                # bag (the 114k file's "brazil" is pop-rock, not bossa nova) against the mood
                score += catalog.genre_mask(intent.scenes) * np.float32(SCENE_LABEL_BONUS)
    elif intent.seasons:
        # a season asked without a style is the set's "genre": soft limits keep enough of it
        in_genre = np.zeros(len(catalog), dtype=bool)
        for season in intent.seasons:
            in_genre |= seasonal_mask(catalog, season)
    else:
        in_genre = np.ones(len(catalog), dtype=bool)
    if intent.familiarity is not None:
        familiarity = intent.familiarity
        score += _term(
            catalog, ("familiar", familiarity), lambda: familiarity_term(catalog, familiarity)
        )
    for season in intent.seasons:
        # the season's own songs first, then the rest of its albums
        score += seasonal_mask(catalog, season) * np.float32(SEASON_BONUS / 2)
        score += seasonal_mask(catalog, season, albums=False) * np.float32(SEASON_BONUS / 2)
    if intent.covers:
        # a covers set is made of songs several artists have recorded
        score += renditions(catalog) * np.float32(COVERS_BONUS)
    if intent.seed_artists:
        seeds = intent.seed_artists
        score += _term(
            catalog, ("seeds", *seeds), lambda: catalog.artist_mask(seeds) * np.float32(0.25)
        )
    if intent.bounds:
        score -= bound_penalty(catalog, intent)
    if intent.mode is not None:
        wanted = 1 if intent.mode == "major" else 0
        score -= _term(
            catalog, ("mode", wanted), lambda: (catalog.mode != wanted) * np.float32(0.5)
        )
    foreign = foreign_local_genres(intent)
    if foreign:
        # Turkish ballads in a German cooking-jazz set: songs tied to another language are for
        # those who ask for them
        score -= _term(
            catalog,
            ("foreign", *foreign),
            lambda: catalog.fixed_genre_mask(foreign) * np.float32(FOREIGN_PENALTY),
        )
    return Scored(scores=score, allowed=allowed, genre_match=in_genre)
