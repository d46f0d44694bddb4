"""Choosing which tracks make the playlist: constraints, variety, arc slots and length."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from aidj.catalog import Catalog, CatalogRows, derived_table, song_title_key
from aidj.covers import names_one_song
from aidj.intent import EnergyArc, Intent
from aidj.scoring import (
    FAMILIAR_FLOOR_FROM,
    FAMILIAR_POPULARITY,
    TYPICAL_TRACK_MS,
    WINDOW_SPAN,
    Scored,
)
from aidj.sequencing import camelot, harmonic

MAX_PER_ARTIST = 2
MAX_PER_SEED_ARTIST = 3
DURATION_TOLERANCE = 0.04  # aim inside +-4% so a +-5% promise holds


# renditions of a short generic title ("Home") are one song only this close in length and tempo
COVER_DURATION = 0.10  # share of the longer rendition
COVER_TEMPO = 0.05
_PUNCTUATION = re.compile(r"[^\w\s]")


@lru_cache(maxsize=1 << 15)
def title_key(name: str) -> str:
    """A track name as the song it sings ("Jingle Bell Rock - Remastered" -> "jingle bell rock"),
    punctuation apart ("Let It Snow! Let It Snow!" and "Let It Snow, Let It Snow"). Kept for
    the titles met most (the same candidates come back request after request; bounded, so a
    catalog of millions does not fill memory)."""
    return " ".join(_PUNCTUATION.sub(" ", song_title_key(name)).split())


# rows kept in a catalog's row -> title key map (aidj.catalog.derived_table), then it is cleared:
# the same candidates come back request after request, and a title's decode and key cost ~0.4 us
# a row, ~20 rows a playlist; a few MB at most
_TITLES_PER_CATALOG = 1 << 16


def _no_titles(_: Catalog) -> dict[int, str]:
    return {}


@dataclass(slots=True)
class Variety:
    """No song twice (nor another artist's rendition of it: a covers set too is many songs, each
    once), few tracks per artist."""

    catalog: Catalog
    seed_artist_ids: frozenset[int] = frozenset()
    songs: set[int] = field(default_factory=set)
    loose_songs: set[int] = field(
        default_factory=set
    )  # strict song ids (see catalog.strict_song_key)
    per_artist: dict[int, int] = field(default_factory=dict)
    per_loose_artist: dict[int, int] = field(default_factory=dict)
    titles: dict[str, list[int]] = field(default_factory=dict)  # title key -> rows playing it
    # row -> title key, read once per catalog (see _TITLES_PER_CATALOG)
    title_of: dict[int, str] = field(init=False, repr=False)

    # row -> its four keys above: allows, add and remove each need them, read from numpy once
    keys_of: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.title_of = derived_table(self.catalog, "title keys by row", _no_titles)

    def _keys(self, i: int) -> tuple[int, int, int, int]:
        keys = self.keys_of.get(i)
        if keys is None:
            c = self.catalog
            keys = self.keys_of[i] = (
                int(c.song_id[i]),
                int(c.artist_id[i]),
                int(c.strict_song[i]),
                int(c.strict_artist[i]),
            )
        return keys

    def know(self, rows: np.ndarray) -> None:
        """Read the keys of many rows at once (a pool's next candidates): one gather per column
        instead of four numpy scalars per row."""
        c = self.catalog
        song, artist, loose_song, loose_artist = (
            column[rows].tolist()
            for column in (c.song_id, c.artist_id, c.strict_song, c.strict_artist)
        )
        keys = zip(song, artist, loose_song, loose_artist, strict=True)
        self.keys_of.update(zip(rows.tolist(), keys, strict=True))

    def title(self, i: int) -> str:
        """The song's title across artists and versions ("Jingle Bell Rock - Remastered" ->
        "jingle bell rock"), decoded once per row."""
        title_of = self.title_of
        key = title_of.get(i)
        if key is None:
            if len(title_of) >= _TITLES_PER_CATALOG:
                title_of.clear()  # bounded: the rows met since come back
            key = title_of[i] = title_key(self.catalog.names[i])
        return key

    def is_rendition_of(self, i: int, j: int) -> bool:
        """Whether rows ``i`` and ``j``, sharing a title, are one song sung by two artists."""
        if names_one_song(self.title(i)):
            return True
        dur, tempo = self.catalog.duration_ms, self.catalog.features["tempo"]
        longer = max(int(dur[i]), int(dur[j]), 1)
        faster = max(float(tempo[i]), float(tempo[j]), 1.0)
        return (
            abs(int(dur[i]) - int(dur[j])) <= COVER_DURATION * longer
            and abs(float(tempo[i]) - float(tempo[j])) <= COVER_TEMPO * faster
        )

    def _rendition_playing(self, i: int) -> bool:
        playing = self.titles.get(self.title(i))
        return bool(playing) and any(self.is_rendition_of(i, j) for j in playing)

    def allows(self, i: int) -> bool:
        song, artist, loose_song, loose_artist = self._keys(i)
        cap = MAX_PER_SEED_ARTIST if artist in self.seed_artist_ids else MAX_PER_ARTIST
        return (
            song not in self.songs
            and loose_song not in self.loose_songs
            and self.per_artist.get(artist, 0) < cap
            and self.per_loose_artist.get(loose_artist, 0) < cap
            and not self._rendition_playing(i)
        )

    def add(self, i: int) -> None:
        song, artist, loose_song, loose_artist = self._keys(i)
        self.songs.add(song)
        self.loose_songs.add(loose_song)
        self.per_artist[artist] = self.per_artist.get(artist, 0) + 1
        self.per_loose_artist[loose_artist] = self.per_loose_artist.get(loose_artist, 0) + 1
        self.titles.setdefault(self.title(i), []).append(i)

    def take(self, rows: list[int], want: int) -> list[int]:
        """The first ``want`` of ``rows`` (fewer when they run out) that pass ``allows``, each
        added before the next is judged: ``allows`` and ``add`` in one loop, as a flat pool's walk
        spent most of its time calling them per row."""
        songs, loose_songs, titles = self.songs, self.loose_songs, self.titles
        per_artist, per_loose_artist = self.per_artist, self.per_loose_artist
        seeds, keys_of, title_of = self.seed_artist_ids, self.keys_of, self.title_of
        taken: list[int] = []
        for i in rows:
            if len(taken) >= want:
                break
            song, artist, loose_song, loose_artist = keys_of.get(i) or self._keys(i)
            cap = MAX_PER_SEED_ARTIST if artist in seeds else MAX_PER_ARTIST
            if (
                song in songs
                or loose_song in loose_songs
                or per_artist.get(artist, 0) >= cap
                or per_loose_artist.get(loose_artist, 0) >= cap
            ):
                continue
            title = title_of.get(i) or self.title(i)
            playing = titles.get(title)
            if playing and any(self.is_rendition_of(i, j) for j in playing):
                continue
            songs.add(song)
            loose_songs.add(loose_song)
            per_artist[artist] = per_artist.get(artist, 0) + 1
            per_loose_artist[loose_artist] = per_loose_artist.get(loose_artist, 0) + 1
            if playing is None:
                titles[title] = [i]
            else:
                playing.append(i)
            taken.append(i)
        return taken

    def remove(self, i: int) -> None:
        song, artist, loose_song, loose_artist = self._keys(i)
        self.songs.discard(song)
        self.loose_songs.discard(loose_song)
        self.per_artist[artist] -= 1
        self.per_loose_artist[loose_artist] -= 1
        playing = self.titles.get(self.title(i), [])
        if i in playing:
            playing.remove(i)


def wanted_count(catalog: Catalog, intent: Intent) -> int:
    if intent.duration_minutes is not None:
        return max(1, round(intent.duration_minutes * 60_000 / TYPICAL_TRACK_MS))
    return intent.track_count


def pool_size(need: int) -> int:
    """How many ranked candidates selection chooses from."""
    return max(600, need * 30)


def candidate_pool(
    catalog: Catalog | CatalogRows,
    intent: Intent,
    scored: Scored,
    need: int,
    exclude: np.ndarray | None,
    *,
    genre_rows_only: bool = False,
    size: int | None = None,
) -> np.ndarray | None:
    """Indices of eligible tracks, best first; soft constraints relax when they leave too few.

    ``genre_rows_only``: ``catalog`` holds only the rows of the asked genres. The answer is then
    the one the whole catalog would give as long as the genre keeps enough tracks at every
    step; where it would not, None tells the caller to rank the whole catalog instead.
    """
    base = scored.allowed.copy()
    if exclude is not None:
        base &= ~exclude
    enough = max(need * 3, need + 10)
    tempo = catalog.features["tempo"]
    soft: list[np.ndarray] = []
    if intent.tempo_min is not None:
        soft.append(tempo >= intent.tempo_min)
    if intent.tempo_max is not None:
        soft.append(tempo <= intent.tempo_max)
    if intent.min_popularity is not None:
        soft.append(catalog.popularity >= intent.min_popularity)
    if intent.familiarity is not None and intent.familiarity >= FAMILIAR_FLOOR_FROM:
        # a sing-along wants songs people know: a popularity floor while the genre allows it
        soft.append(catalog.popularity >= FAMILIAR_POPULARITY)
    if intent.mode is not None:
        soft.append(catalog.mode == (1 if intent.mode == "major" else 0))
    if intent.instrumentalness is not None:
        # "without vocals" is a number too: the window the style's core was counted in
        # (scoring.request_windows) holds while the genre keeps enough of it
        soft.append(
            np.abs(catalog.features["instrumentalness"] - np.float32(intent.instrumentalness))
            <= np.float32(WINDOW_SPAN)
        )
    # a soft constraint applies only while enough tracks of the asked genre survive it:
    # "Schlager hits" must not trade the genre away for a popularity floor
    in_genre = (
        scored.genre_match if intent.genres or intent.seasons else np.ones(len(base), dtype=bool)
    )
    for mask in soft:
        narrowed = base & mask
        genre_left = int(np.count_nonzero(narrowed & in_genre))
        genre_now = int(np.count_nonzero(base & in_genre))
        if genre_rows_only and genre_now < enough:
            return None  # the decision below would count tracks outside the genre
        if genre_left >= enough or (
            genre_now < enough
            and genre_left >= 0.75 * genre_now
            and np.count_nonzero(narrowed) >= enough
        ):
            base = narrowed
    size = size or pool_size(need)
    if intent.genres:
        in_genre = base & scored.genre_match
        ranked_in = ranked(in_genre, scored.scores, size)
        if len(ranked_in) >= enough:
            return ranked_in
        if genre_rows_only:
            return None
        # thin genre: take all of it first, then the closest tracks outside it
        rest = ranked(base & ~scored.genre_match, scored.scores, max(300, need * 15))
        return np.concatenate([ranked_in, rest])
    return ranked(base, scored.scores, size)


def ranked(mask: np.ndarray, scores: np.ndarray, k: int | None = None) -> np.ndarray:
    """Indices under ``mask``, best score first; only the top ``k`` when given.

    Sorting every eligible score costs milliseconds per prompt at 90k tracks and most of the
    prompt at millions, so the top ``k`` are found without touching most of them: a strided
    sample gives a score that roughly ``2k`` eligible tracks should beat, one comparison over
    the catalog keeps those, and only they are partitioned and sorted. When fewer than ``k``
    beat it (an unlucky sample), the exact partition of every eligible track runs instead, so
    the result never depends on the sample. Ties are broken by catalog order, so a prompt
    always gets the same playlist.
    """
    eligible = int(np.count_nonzero(mask))
    if k is None or eligible <= _SORT_ALL * k or eligible * 4 < len(mask):
        # few eligible tracks (one genre, say): gather them and rank only those
        idx = np.flatnonzero(mask)
        values = scores[idx]
        # up to four times k (a genre's 1,000-2,400 rows for a 600-track pool) one sort of them
        # all (best_first) beats cutting the top k first: its first k are the cut's, in order
        if k is not None and eligible > _SORT_ALL * k:
            keep = np.sort(_top_k(values, k))  # idx is ascending: so stays idx[keep]
            idx, values = idx[keep], values[keep]
        by_score = best_first(values)
        return idx[by_score if k is None else by_score[:k]]
    top = np.sort(_top_k(scores, k, mask))
    return top[best_first(scores[top])]


_KEYED_FROM = 768  # from this many values a sort of packed keys beats a stable argsort


def best_first(values: np.ndarray) -> np.ndarray:
    """``np.argsort(-values, kind="stable")``: positions by value, highest first, ties in order.

    A stable argsort of a region's 4,000 scores costs ~50 us (~250 at 8,000); float32 values
    (no NaN) are instead packed with their position into unique int64 keys, the value's bits
    mapped so that a higher value gives a smaller key, and the keys sorted plainly (~13 us at
    3,000; ~7 at a genre's 900, where the argsort takes ~8). In place: each step's temporary
    of the values' size costs as much as the step."""
    if len(values) < _KEYED_FROM or values.dtype != np.float32 or np.isnan(values).any():
        return np.argsort(-values, kind="stable")
    bits = (values + np.float32(0)).view(np.int32)  # -0.0 as 0.0: a tie
    # ordered as the floats, as signed ints: a negative's magnitude bits flipped
    ordered = bits >> 31
    ordered &= 0x7FFFFFFF
    ordered ^= bits
    np.invert(ordered, out=ordered)  # -k - 1: highest first, still in int32
    keys = ordered.astype(np.int64)
    keys <<= 32
    keys |= np.arange(len(values), dtype=np.int64)
    keys.sort()
    keys &= 0xFFFFFFFF
    return keys


_SORT_ALL = 4  # up to this many eligible tracks per wanted one, ranked() sorts them all
_SAMPLE_ABOVE = 40  # below this many tracks per wanted one, partitioning everything is cheap enough
# ... except for deep lists (a genre-free prompt's 4,000 region candidates out of 116k): a sample
# with ~100 expected above the threshold still leaves ~2k candidates, and partitioning those
# instead of every eligible track halves the ranking
_DEEP_K, _DEEP_ABOVE, _DEEP_RANK = 1000, 8, 100


def _top_k(values: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Indices of the ``k`` largest values (under ``mask``; ties at the cut: lowest index first), unordered."""
    n = len(values)
    candidates = None
    step = 0
    if n >= _SAMPLE_ABOVE * k:
        step = n // (_SAMPLE_ABOVE * k // 2)
    elif k >= _DEEP_K and n >= _DEEP_ABOVE * k:
        step = 2 * k // _DEEP_RANK
    if step:
        sample = values[::step] if mask is None else values[::step][mask[::step]]
        rank = 2 * k // step + 8  # ~2k expected above, plus slack
        if len(sample) > rank:
            threshold = np.partition(sample, len(sample) - 1 - rank)[len(sample) - 1 - rank]
            hit = values >= threshold
            if mask is not None:
                hit &= mask
            candidates = np.flatnonzero(hit)
            if len(candidates) < k:
                candidates = None
    if candidates is None:
        if mask is None:  # every value is a candidate: cut them where they are
            return np.arange(n) if n <= k else _cut(values, k)
        candidates = np.flatnonzero(mask)
        if len(candidates) <= k:
            return candidates
    return candidates[_cut(values[candidates], k)]


def _cut(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest ``values`` (ties at the cut: lowest position first)."""
    kth = np.partition(values, len(values) - k)[len(values) - k]
    above = np.flatnonzero(values > kth)
    at_cut = np.flatnonzero(values == kth)
    return np.concatenate([above, at_cut[: k - len(above)]])


# How far an energy arc reaches either side of a mood's own energy ("relax after work, calm at
# the end" winds down from about 0.6, not from a dance floor's 0.85).
ARC_REACH = 0.3


def arc_targets(
    n: int,
    arc: EnergyArc,
    values: np.ndarray,
    by_tempo: bool = False,
    center: float | None = None,
    limits: list[float | None] | None = None,
) -> np.ndarray:
    """Energy (or tempo) wanted at each position for a non-flat arc; ``center``: the mood's energy;
    ``limits``: a hedge's [lo, hi] on what the arc moves ("build up, but not too loud")."""
    if by_tempo:
        lo = float(np.percentile(values, 5)) if len(values) else 90.0
        hi = float(np.percentile(values, 95)) if len(values) else 150.0
        if hi - lo < 30:  # a tempo arc should be audible: at least 30 BPM end to end
            mid = (hi + lo) / 2
            lo, hi = mid - 15, mid + 15
    elif center is not None:
        lo, hi = max(0.05, center - ARC_REACH), min(0.97, center + ARC_REACH)
    else:
        lo = float(min(np.percentile(values, 5), 0.35)) if len(values) else 0.3
        hi = float(max(np.percentile(values, 95), 0.8)) if len(values) else 0.85
    if limits is not None:
        # the whole arc inside the limits: a hedged build-up still climbs, to the ceiling
        if limits[1] is not None:
            hi = min(hi, limits[1])
        if limits[0] is not None:
            lo = max(lo, limits[0])
        lo = min(lo, hi)
    ramp = np.linspace(0.0, 1.0, n) if n > 1 else np.array([0.5])
    if arc == EnergyArc.WIND_DOWN:
        ramp = ramp[::-1]
    elif arc == EnergyArc.PEAK:
        ramp = 1.0 - np.abs(np.linspace(-1.0, 1.0, n)) if n > 1 else np.array([1.0])
    return lo + (hi - lo) * ramp


def arc_limits(intent: Intent) -> list[float | None] | None:
    """A hedge's limits on what the arc moves (energy or tempo), if any."""
    return intent.bounds.get("tempo" if intent.arc_by == "tempo" else "energy")


def arc_center(intent: Intent) -> float | None:
    """The mood's own energy, around which an energy arc moves (None: the full range)."""
    return intent.energy if intent.arc != EnergyArc.FLAT and intent.arc_by == "energy" else None


def select(
    catalog: Catalog,
    intent: Intent,
    scored: Scored,
    pool: np.ndarray,
    n: int,
    variety: Variety,
    stages: list[np.ndarray] | None = None,
) -> list[int]:
    """Pick ``n`` tracks from ``pool`` honouring variety; arcs fill one energy slot at a time.

    ``stages``: for a journey between styles ("house down into ambient"), one mask over the
    catalog per style in the order travelled; the arc's slots are shared out between them in turn.
    """
    chosen: list[int] = []
    if intent.arc == EnergyArc.FLAT:
        # the pool in order, its keys read a chunk at a time: most picks pass variety, so a chunk
        # a little longer than the picks still wanted is usually the last one read
        start = 0
        while len(chosen) < n and start < len(pool):
            chunk = pool[start : start + 2 * (n - len(chosen)) + 8]
            start += len(chunk)
            variety.know(chunk)
            chosen += variety.take(chunk.tolist(), n - len(chosen))
        return chosen
    by_tempo = intent.arc_by == "tempo"
    values = catalog.features["tempo" if by_tempo else "energy"][pool]
    scale = 40.0 if by_tempo else 1.0  # 40 BPM off counts like a full energy unit off
    scores = scored.scores[pool]
    # the fit below is float64 arithmetic: converted once here instead of once per slot
    values64, scores64 = values.astype(np.float64), scores.astype(np.float64)
    available = np.ones(len(pool), dtype=bool)
    stage_of_slot = (
        [min(len(stages) - 1, slot * len(stages) // n) for slot in range(n)] if stages else []
    )
    stage_masks = [mask[pool] for mask in stages] if stages else []

    def take(p: int) -> bool:
        """Offer the pool's ``p``-th track to the slot: it is not offered again either way."""
        i = int(pool[p])
        available[p] = False
        if variety.allows(i):
            variety.add(i)
            chosen.append(i)
            return True
        return False

    for slot, target in enumerate(
        arc_targets(n, intent.arc, values, by_tempo, arc_center(intent), arc_limits(intent))
    ):
        off = 2.0 * np.abs(values64 - target)
        if scale != 1.0:  # dividing by 1.0 changes nothing: skipped for energy
            off /= scale
        fit = np.where(available, scores64 - off, -np.inf)
        if stages:
            staged = np.where(stage_masks[stage_of_slot[slot]], fit, -np.inf)
            if np.isfinite(staged).any():
                fit = staged
        # the best fit, when it alone tops the slot, is the sort's first: usually the pick,
        # found without sorting the pool (a tie, NaN or a refusal walks the whole order below)
        best = int(fit.argmax())
        top = fit[best]
        if np.isfinite(top) and np.count_nonzero(fit == top) == 1 and take(best):
            continue
        for p in np.argsort(-fit):
            if not np.isfinite(fit[p]) or take(int(p)):
                break
    return chosen


def fit_duration(
    catalog: Catalog, intent: Intent, pool: np.ndarray, chosen: list[int], variety: Variety
) -> list[int]:
    """Grow, shrink or swap tracks until the total length is within tolerance of the ask."""
    if intent.duration_minutes is None:
        return chosen
    target = intent.duration_minutes * 60_000
    lo, hi = target * (1 - DURATION_TOLERANCE), target * (1 + DURATION_TOLERANCE)
    dur = catalog.duration_ms
    chosen = list(chosen)
    in_use = set(chosen)
    total = int(sum(int(dur[i]) for i in chosen))
    picked_before = frozenset(chosen)
    rows = pool.tolist()
    # grow with the best remaining tracks
    for i in rows:
        if total >= lo:
            break
        if i not in in_use and variety.allows(i):
            variety.add(i)
            chosen.append(i)
            in_use.add(i)
            total += int(dur[i])
    # shrink from the weakest end
    while total > hi and len(chosen) > 1 and total - int(dur[chosen[-1]]) >= lo:
        dropped = chosen.pop()
        variety.remove(dropped)
        in_use.discard(dropped)
        total -= int(dur[dropped])
    if lo <= total <= hi:
        return chosen
    # one swap lands it: replace the last pick with a spare whose length closes the gap; the
    # spares (the pool's rows not picked before this call) are read once, filtered with numpy
    energy = catalog.features["energy"]
    spare_rows = [i for i in rows if i not in picked_before]
    spare = np.array(spare_rows, dtype=np.int64)
    spare_lengths, spare_energy = dur[spare].astype(np.int64), energy[spare]
    for pos in range(len(chosen) - 1, -1, -1):
        out = chosen[pos]
        lengths = total - int(dur[out]) + spare_lengths
        landing = np.flatnonzero((lengths >= lo) & (lengths <= hi)).tolist()
        off = np.abs(spare_energy - energy[out])  # float32, as the pick's own energy
        close = (off < 0.05).tolist()
        off_by = off.tolist()
        variety.remove(out)
        best = None
        for k in landing:
            i = spare_rows[k]
            if i in in_use or not variety.allows(i):
                continue
            if best is None or off_by[k] < off_by[best]:
                best = k
            if close[k]:
                break
        if best is not None:
            variety.add(spare_rows[best])
            chosen[pos] = spare_rows[best]
            in_use.discard(out)
            in_use.add(spare_rows[best])
            return chosen
        variety.add(out)
    return chosen


# How much fit a track may give up to replace one that clashes in key with the whole set:
# about the gap between neighbouring picks in a 600-track pool, so the swap is a peer.
HARMONIC_TOLERANCE = 0.03
_SWAP_ENERGY = 0.08  # the replacement sits in the same place of the arc
_SWAP_TEMPO = 8.0  # BPM, for tempo arcs
_FIRST_FITS = 24  # swap candidates read at first (a set's own picks among them; then 4x)
_HEAD = 64  # pool positions harmonise judges in Python before it filters the rest with numpy


def harmonise(
    catalog: Catalog,
    intent: Intent,
    scores: np.ndarray,
    pool: np.ndarray,
    chosen: list[int],
    variety: Variety,
) -> list[int]:
    """Swap tracks whose key mixes with fewer than two other picks for near-equal ones that do.

    Ordering can only chain the keys it is given: a track whose key mixes with no other pick
    forces a clash on each side of it, one that mixes with a single pick forces one clash.
    Each swap keeps the set's promises: the newcomer scores within HARMONIC_TOLERANCE of the
    track it replaces, sits at the same energy (or tempo, for tempo arcs), passes the variety
    rules, and keeps an asked length in tolerance.
    """
    if len(chosen) < 4:
        return chosen
    by_tempo = intent.arc_by == "tempo" and intent.arc != EnergyArc.FLAT
    place = catalog.features["tempo" if by_tempo else "energy"]
    near = _SWAP_TEMPO if by_tempo else _SWAP_ENERGY
    dur = catalog.duration_ms
    bounds = None
    if intent.duration_minutes is not None:
        target = intent.duration_minutes * 60_000
        bounds = (target * (1 - DURATION_TOLERANCE), target * (1 + DURATION_TOLERANCE))
    chosen = list(chosen)
    in_set = set(chosen)
    # the rounds run on Python lists: a set holds ~20 picks and 25 codes, where each numpy call
    # cost more than the arithmetic it did; a swap updates the per-code partner counts in place
    at = np.asarray(chosen, dtype=np.int64)  # converted once: numpy reads a list item by item
    codes = _camelot_codes(catalog, at)
    keys: list[int] = codes.tolist()
    chosen_scores = scores[at]  # float32: each swap's floor is float32 arithmetic
    ranks: list[float] = chosen_scores.tolist()  # the same values, compared as Python floats
    mixing: list[int] = _MIXES[:, codes].sum(axis=1).tolist()  # per code: picks it mixes with
    total = int(dur[at].sum()) if bounds is not None else 0  # lengths matter only when asked
    settled = [False] * len(chosen)  # a pick already found no swap: never the worst again
    columns = None
    for _ in range(len(chosen)):
        # partners of a pick: picks whose key mixes with its own, itself excluded; the worst is
        # the one with fewest (under two), the lowest scoring of those, the first of those
        short = [
            (count, rank, j)
            for j, (k, rank, done) in enumerate(zip(keys, ranks, settled, strict=True))
            if not done and (count := mixing[k] - _SELF_MIX[k]) < 2
        ]
        if not short:
            break  # every track has a key to mix in from and one to mix out to
        fewest, _, worst = min(short)
        out = chosen[worst]
        variety.remove(out)
        if columns is None:  # read only once a pick asks for a swap
            columns = _SwapCandidates.read(catalog, scores, pool, place, lengths=bounds is not None)
        fits = columns.fits(
            floor=chosen_scores[worst] - HARMONIC_TOLERANCE,
            place=float(place[out]),
            near=near,
            # per code: how many of the other picks it mixes with
            partners=[m - own for m, own in zip(mixing, _MIXES_OF[keys[worst]], strict=True)],
            wanted=max(2, fewest + 1),
            lengths=None if bounds is None else (bounds, total - int(dur[out])),
        )
        swap = None
        for p, i in fits:
            if i not in in_set and variety.allows(i):
                swap = p
                break
        if swap is None:
            variety.add(out)
            settled[worst] = True
            continue
        replacement = int(pool[swap])
        variety.add(replacement)
        chosen[worst] = replacement
        code, score, length = columns.at(swap)
        mixing = [
            m + new - old
            for m, new, old in zip(mixing, _MIXES_OF[code], _MIXES_OF[keys[worst]], strict=True)
        ]
        keys[worst] = code
        chosen_scores[worst] = score  # a float32's value: stored exactly
        ranks[worst] = float(chosen_scores[worst])
        total += length - int(dur[out]) if bounds is not None else 0
        in_set.discard(out)
        in_set.add(replacement)
    return chosen


def _swap_columns(
    catalog: Catalog, scores: np.ndarray, rows: np.ndarray, place: np.ndarray, lengths: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """What harmonise judges a swap candidate by, at ``rows``: score (float32), place (float64:
    the closeness test compares Python floats, and float64 keeps their rounding), Camelot code,
    and length in ms (int64; None unless a length was asked)."""
    return (
        scores[rows],
        place[rows].astype(np.float64),
        _camelot_codes(catalog, rows),
        catalog.duration_ms[rows].astype(np.int64) if lengths else None,
    )


@dataclass(slots=True)
class _SwapCandidates:
    """A ranked pool as harmonise reads it: its first _HEAD positions' scores, places, codes,
    rows and lengths as Python lists (a swap is usually found among them, judged one by one for
    less than a numpy filter costs), the whole pool's columns gathered only when a swap reads
    past them."""

    catalog: Catalog
    scores: np.ndarray  # the catalog's
    pool: np.ndarray
    place: np.ndarray  # the catalog's energy or tempo
    lengths: bool  # whether a length was asked (else lengths are never read)
    head: tuple[list[float], list[float], list[int], list[int], list[int] | None]
    whole: _SwapColumns | None = None

    @classmethod
    def read(
        cls,
        catalog: Catalog,
        scores: np.ndarray,
        pool: np.ndarray,
        place: np.ndarray,
        *,
        lengths: bool,
    ) -> _SwapCandidates:
        top = pool[:_HEAD]
        values, places, codes, durations = _swap_columns(catalog, scores, top, place, lengths)
        head = (
            values.tolist(),
            places.tolist(),
            codes.tolist(),
            top.tolist(),
            None if durations is None else durations.tolist(),
        )
        return cls(catalog, scores, pool, place, lengths, head)

    def fits(
        self,
        floor: float,
        place: float,
        near: float,
        partners: list[int],
        wanted: int,
        lengths: tuple[tuple[float, float], int] | None,
    ) -> Iterator[tuple[int, int]]:
        """(pool position, row) pairs, best first: scoring at least ``floor`` (up to the first
        that does not: the pool is ranked best first), within ``near`` of ``place``, with a key
        that mixes with ``wanted`` other picks (``partners``: per code) and, given
        ``((lo, hi), rest)``, a length that keeps ``rest`` + it within [lo, hi].

        The first _HEAD positions are judged in Python (the same comparisons, on the same
        values), the rest with numpy only when the caller reads past them."""
        scores, places, codes, rows, durations = self.head
        lo, hi, rest = (0.0, 0.0, 0) if lengths is None else (*lengths[0], lengths[1])
        limit = float(floor)  # a float32 as a Python float: the same order
        for p, score in enumerate(scores):
            if score < limit:
                return  # the first score below floor: the rest of the pool is out
            if (
                not abs(places[p] - place) > near  # a NaN place is near, as numpy's test has it
                and partners[codes[p]] >= wanted
                and (durations is None or lengths is None or lo <= rest + durations[p] <= hi)
            ):
                yield p, rows[p]
        if len(scores) < len(self.pool):
            yield from self._whole().fits(
                len(scores), floor, place, near, partners, wanted, lengths
            )

    def at(self, p: int) -> tuple[int, float, int]:
        """The Camelot code, score and length (0 unless a length was asked) at pool position ``p``."""
        scores, _, codes, _, durations = self.head
        if p < len(scores):
            return codes[p], scores[p], 0 if durations is None else durations[p]
        whole = self._whole()
        length = 0 if whole.durations is None else int(whole.durations[p])
        return int(whole.codes[p]), float(whole.scores[p]), length

    def _whole(self) -> _SwapColumns:
        if self.whole is None:
            self.whole = _SwapColumns.read(
                self.catalog, self.scores, self.pool, self.place, lengths=self.lengths
            )
        return self.whole


@dataclass(frozen=True, slots=True)
class _SwapColumns:
    """A ranked pool's columns harmonise reads past its first positions, gathered once: each
    swap filters them with numpy and leaves only the few candidates variety must still judge."""

    rows: np.ndarray  # the pool
    scores: np.ndarray
    place: np.ndarray  # energy or tempo, float64
    codes: np.ndarray  # Camelot codes (see _camelot_codes)
    durations: np.ndarray | None  # int64 milliseconds, read only for an asked length
    # the scores negated when they never rise along the pool (a ranked pool, no NaN): a floor's
    # cut is then one binary search instead of a comparison over the pool and an argmax
    rising: np.ndarray | None

    @classmethod
    def read(
        cls,
        catalog: Catalog,
        scores: np.ndarray,
        pool: np.ndarray,
        place: np.ndarray,
        *,
        lengths: bool,
    ) -> _SwapColumns:
        values, places, codes, durations = _swap_columns(catalog, scores, pool, place, lengths)
        rising = -values
        return cls(
            rows=pool,
            scores=values,
            place=places,
            codes=codes,
            durations=durations,
            rising=rising if bool(np.all(rising[1:] >= rising[:-1])) else None,
        )

    def fits(
        self,
        start: int,
        floor: float,
        place: float,
        near: float,
        partners: list[int],
        wanted: int,
        lengths: tuple[tuple[float, float], int] | None,
    ) -> Iterator[tuple[int, int]]:
        """``_SwapCandidates.fits`` from pool position ``start`` on."""
        if self.rising is not None:  # the first score below floor: the first -score above -floor
            stop = int(self.rising.searchsorted(-floor, side="right"))
        else:
            below = self.scores < floor
            stop = int(np.argmax(below))
            if not below[stop]:
                stop = len(below)
        if stop <= start:
            return iter(())
        ok = ~(np.abs(self.place[start:stop] - place) > near)
        good = np.array(partners) >= wanted  # judged per code (25), then gathered
        ok &= good[self.codes[start:stop]]
        if lengths is not None and self.durations is not None:
            (lo, hi), rest = lengths
            total = rest + self.durations[start:stop]
            ok &= (total >= lo) & (total <= hi)
        return self._pairs(ok.nonzero()[0] + start)

    def _pairs(self, at: np.ndarray) -> Iterator[tuple[int, int]]:
        """(position, row) at ``at``, a few at a time: the first fit or so is usually the swap,
        where the whole list (a few hundred fits) cost more than the filtering."""
        start, step = 0, _FIRST_FITS
        while start < len(at):
            part = at[start : start + step]
            yield from zip(part.tolist(), self.rows[part].tolist(), strict=True)
            start, step = start + step, 4 * step


def _camelot_table() -> np.ndarray:
    """(13, 2): the code of key -1..11 (row 12 is -1) in mode 0/1."""
    table = np.full((13, 2), 24, dtype=np.int64)
    for key in range(12):
        for mode in (0, 1):
            code = camelot(key, mode)
            table[key, mode] = 2 * (int(code[:-1]) - 1) + (code[-1] == "B")
    table.flags.writeable = False
    return table


_CAMELOT_TABLE = _camelot_table()  # built once: it was rebuilt (24 camelot calls) per playlist


# the code of every int8 key (by its uint8 view) in mode 0/1: the compiled catalog's keys are
# int8, and one lookup of both costs a fraction of finding the table's row first (or of
# dividing by 13)
_CODE_OF_INT8 = _CAMELOT_TABLE[np.arange(256).astype(np.uint8).view(np.int8).astype(np.int64) % 13]
_CODE_OF_INT8.flags.writeable = False


def _camelot_codes(catalog: Catalog, rows: np.ndarray) -> np.ndarray:
    """Per row: 0..23 on the Camelot wheel (2 * (number - 1) + major), 24 when unknown."""
    key, mode = catalog.key[rows], catalog.mode[rows]
    if key.dtype == np.int8:
        return _CODE_OF_INT8[key.view(np.uint8), mode]
    return _CAMELOT_TABLE[key.astype(np.int64) % 13, mode.astype(np.int64)]


def _mixes_matrix() -> np.ndarray:
    names = [f"{n}{letter}" for n in range(1, 13) for letter in "AB"]  # code order: 1A, 1B, 2A, ...
    mixes = np.zeros((25, 25), dtype=np.int64)  # row/column 24: unknown key, mixes with nothing
    for a, x in enumerate(names):
        for b, y in enumerate(names):
            mixes[a, b] = harmonic(x, y)
    return mixes


_MIXES = _mixes_matrix()
_MIXES.flags.writeable = False
_MIXES_OF = _MIXES.T.tolist()  # per code: how much it adds to each code's partner count
_SELF_MIX = np.diagonal(_MIXES).tolist()  # a pick is never its own partner
