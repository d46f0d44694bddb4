"""Keeping a playlist in one region of music when the prompt names no genre.

Ranking the whole catalog by mood alone ("energetic music for working out") picks the best
track of every style at once: k-pop, then metal, then reggaeton. A listener hears a shuffle.
A DJ first decides what kind of set this is, then plays the best of it. Here that decision
is an *anchor genre*: among the genres carried by the best-fitting tracks, the one whose own
tracks serve the request best (every slot of an arc, or the asked number of tracks), and the
set is drawn from tracks whose genres all sit well next to the anchor (related genres: shared
tracks or overlapping artists, see :func:`aidj.catalog.genre_relations`).

Requests that name genres are not touched: a named mix ("k-pop and metal") is what was asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aidj.catalog import Catalog, derived_table
from aidj.genres import REGIONAL, anchor_rules
from aidj.intent import EnergyArc, Intent
from aidj.selection import arc_center, arc_limits, arc_targets, ranked

# Candidates a region is chosen from: the best-fitting tracks of the whole catalog.
REGION_CANDIDATES = 4000
# A region must hold this many candidates per wanted track, so variety rules and length
# fitting still have room to choose.
REGION_DEPTH = 3
# How much worse than the unrestricted pick a region's best tracks may fit (per track).
REGION_MAX_LOSS = 0.08
# How much a genre's character counts next to its best tracks: a DJ asked for "feel-good"
# reaches for music that is feel-good by nature (disco, funk), not for the few sunny tracks of
# a genre that mostly is not.
TYPICALITY_WEIGHT = 1.0
# And a request that names no style is usually asking for music many people know: between two
# genres that fit equally, the widely heard one.
REACH_WEIGHT = 0.3


@dataclass(frozen=True, slots=True)
class Region:
    anchor: str  # the genre the set is built around
    rows: np.ndarray  # candidate catalog rows inside the region, best first


def choose_region(
    catalog: Catalog,
    intent: Intent,
    scores: np.ndarray,
    ranked: np.ndarray,
    need: int,
    prefer: np.ndarray | None = None,
) -> Region | None:
    """The coherent region a genre-free request should be drawn from; None to leave the pool as it is.

    ``prefer``: (G,) a listener's leaning per genre (``aidj.taste``), added to the ranking of
    the regions that serve the request; it never makes a region serve that does not.
    """
    related = catalog.genre_related
    if intent.genres or intent.seed_artists or related is None or need < 3 or len(ranked) < need:
        return None
    if intent.seasons:
        return None  # a season's songs are the set's theme, across every style that sings them
    top = ranked[:REGION_CANDIDATES]
    n_genres = len(catalog.genres)
    # a region is the anchor genre's own tracks: their neighbours are related by construction
    # (candidates, bytes); np.take of whole rows: a fancy index of them costs ~3x more
    bits = np.take(catalog.genre_bits, top, axis=0)
    counts = _bit_counts(np.unpackbits(bits, axis=1, bitorder="little"))[:n_genres]
    eligible = np.flatnonzero(
        (counts >= min(len(top), need * REGION_DEPTH)) & anchor_allowed(catalog, intent.language)
    )
    if len(eligible) == 0:
        return None
    # only the eligible genres' memberships, each one contiguous row (a region's rows are then
    # a plain nonzero of its row): their bits shifted out of the byte columns, not every
    # genre's unpacked and then gathered across (~2x slower)
    by_byte = np.ascontiguousarray(bits.T)
    member = ((by_byte[eligible >> 3] >> (eligible & 7).astype(np.uint8)[:, None]) & 1).view(bool)
    top_scores = scores[top]
    fits = _slot_fits(catalog, intent, top_scores, top, need)
    values = _region_values(top_scores, fits, member, need)
    baseline = _baseline_value(top_scores, fits, need)
    serves = values >= baseline - REGION_MAX_LOSS * need
    if not serves.any():
        return (
            None  # no region serves the request well enough: better a varied set than a wrong one
        )
    ranking = values / need + TYPICALITY_WEIGHT * typicality(catalog, scores, eligible)
    ranking += REACH_WEIGHT * reach(catalog)[eligible]
    if prefer is not None:
        ranking += prefer[eligible]
    ranking[~serves] = -np.inf
    best = int(np.argmax(ranking))  # ties: the first genre in vocabulary order, so every run agrees
    anchor = int(eligible[best])
    return Region(anchor=catalog.genres[anchor], rows=top[member[best]])


def _bit_counts(bits: np.ndarray) -> np.ndarray:
    """(columns,) uint16: how many of ``bits``' rows (C-ordered 0/1 bytes, a multiple of 8
    columns, at most 65,535 rows) hold a 1 in each column.

    Summed eight columns at a time as the byte lanes of uint64 words, 255 rows at a time so no
    lane overflows into the next: a uint16 sum down the columns costs ~2x more."""
    lanes = np.add.reduceat(bits.view(np.uint64), np.arange(0, len(bits), 255), axis=0)
    return lanes.view(np.uint8).sum(axis=0, dtype=np.uint16)


def anchor_allowed(catalog: Catalog, language: str | None) -> np.ndarray:
    """(G,) bool: genres a request in ``language`` may be built around (kept per catalog and
    language: the rules are the language packs', fixed for the process)."""
    return derived_table(
        catalog, f"anchor allowed {language or 'en'}", lambda c: _anchor_allowed(c, language)
    )


def _anchor_allowed(catalog: Catalog, language: str | None) -> np.ndarray:
    never, local = anchor_rules()
    ours = local.get(language or "en", frozenset())
    tied = frozenset().union(*local.values())
    return np.array(
        [g not in never and (g not in tied or g in ours) for g in catalog.genres], dtype=bool
    )


def _slot_fits(
    catalog: Catalog, intent: Intent, scores: np.ndarray, rows: np.ndarray, need: int
) -> np.ndarray | None:
    """(slots, rows): how well each of ``rows`` would fill each slot of the request's arc;
    None for a flat request. Computed once for the regions and the unrestricted pick alike."""
    if intent.arc == EnergyArc.FLAT:
        return None
    by_tempo = intent.arc_by == "tempo"
    values = catalog.features["tempo" if by_tempo else "energy"][rows].astype(np.float32)
    scale = 40.0 if by_tempo else 1.0
    slots = arc_targets(
        min(need, 24), intent.arc, values, by_tempo, arc_center(intent), arc_limits(intent)
    )
    return scores - 2.0 * np.abs(values - slots[:, None]) / scale


def _region_values(
    scores: np.ndarray, fits: np.ndarray | None, member: np.ndarray, need: int
) -> np.ndarray:
    """How well each region (a row of ``member``, every one holding at least ``need`` of the
    candidates) can fill the playlist: the summed fit of its best ``need`` tracks, or, for an
    arc (``fits``, see :func:`_slot_fits`), of its best track for every slot of the arc."""
    if fits is None:
        # rows are ranked best first: a region's best `need` are its first `need` members.
        # The float32 sums must round as they always have: numpy adds down axis 0 of a
        # C-ordered (tracks x regions) matrix one row after the other, so a C-ordered
        # (need x regions) matrix of the taken scores gives the same additions in the same
        # order as the (rows x regions) matrix of zeros and taken scores this was. A single
        # column is summed pairwise instead: one region is summed over all rows, as before.
        best = _first_members(member, need)
        if member.shape[0] == 1:
            taken = np.zeros(len(scores), dtype=scores.dtype)
            taken[best[:, 0]] = scores[best[:, 0]]
            return taken.sum(keepdims=True)
        return np.ascontiguousarray(scores[best]).sum(axis=0)
    row, starts = _memberships(member)
    # a slot's best per region is one maximum.reduceat over the memberships (~1.5 per row),
    # not a max over a rows x regions matrix per slot (4,000 x ~50 x 24 slots). np.take gives
    # the gathered (slots x memberships) in C order, each region's run contiguous: a fancy
    # index's column gather did not, and its reduceat cost ~4x more
    best = np.maximum.reduceat(np.take(fits, row, axis=1), starts, axis=1)
    return _arc_total(best, fits.shape[0], need)


def _memberships(member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each region's members (positions in its row of ``member``, ascending) listed one region
    after another, and where each region's run begins."""
    flat = np.flatnonzero(member)
    # a binary search per region: a count down every row cost ~25x more
    starts = np.searchsorted(flat, np.arange(member.shape[0]) * member.shape[1])
    return flat % member.shape[1], starts


# A flat region's best tracks are mostly among the first candidates: its first members are
# looked for there, and only the regions with too few there are read whole
_HEAD = 1024


def _first_members(member: np.ndarray, need: int) -> np.ndarray:
    """(need, regions) C-ordered: the positions of each region's first ``need`` members (every
    region holds at least ``need``)."""
    regions, width = member.shape
    head = min(width, _HEAD)
    row, starts = _memberships(member[:, :head])
    held = np.diff(starts, append=len(row))
    best = np.empty((need, regions), dtype=np.int64)
    found = held >= need
    best[:, found] = row[starts[found][None, :] + np.arange(need)[:, None]]
    short = np.flatnonzero(~found)
    if len(short):
        row, starts = _memberships(member[short])
        best[:, short] = row[starts[None, :] + np.arange(need)[:, None]]
    return best


def _baseline_value(scores: np.ndarray, fits: np.ndarray | None, need: int) -> float:
    """What the unrestricted pick (every candidate, ``scores`` best first) would score."""
    if fits is None:
        # summed as a single (rows x 1) column always was: numpy sums it pairwise, over the
        # whole column with zeros after the best `need`
        taken = np.zeros(len(scores), dtype=scores.dtype)
        taken[:need] = scores[:need]
        return float(taken.sum())
    return float(_arc_total(fits.max(axis=1, keepdims=True), fits.shape[0], need)[0])


def _arc_total(best: np.ndarray, slots: int, need: int) -> np.ndarray:
    """(regions,): each region's best fit per slot (``best``: slots x regions) summed slot by
    slot, in float64 as always, and scaled to ``need`` tracks."""
    total = np.zeros(best.shape[1], dtype=np.float64)
    for slot_best in best:
        total += slot_best
    return total * (need / slots)


def mix_groups(catalog: Catalog, intent: Intent) -> list[list[str]]:
    """The styles of a named mix, in the order named: "k-pop and metal" is two, "house and
    techno" one (related styles merge), "pop turco" none (a country next to a style narrows it)."""
    related = catalog.genre_related
    if related is None or len(intent.genre_groups) < 2 or any(g in REGIONAL for g in intent.genres):
        return []
    groups: list[list[int]] = []
    for named in intent.genre_groups:
        ids = [gi for g in named if (gi := catalog.genre_index(g)) is not None]
        if not ids:
            continue
        joined = [grp for grp in groups if related[np.ix_(ids, grp)].any()]
        merged = [g for grp in joined for g in grp] + [
            g for g in ids if not any(g in grp for grp in joined)
        ]
        position = min((groups.index(grp) for grp in joined), default=len(groups))
        groups = [grp for grp in groups if grp not in joined]
        groups.insert(min(position, len(groups)), merged)
    return [[catalog.genres[g] for g in grp] for grp in groups] if len(groups) > 1 else []


def interleave_mix(
    catalog: Catalog,
    intent: Intent,
    pool: np.ndarray,
    scores: np.ndarray,
    allowed: np.ndarray,
    depth: int,
) -> np.ndarray:
    """A pool for a named mix of unrelated styles: the best of each style in turn, so every style
    named gets its share instead of the first (or the largest) taking the whole set."""
    groups = mix_groups(catalog, intent)
    if len(groups) < 2:
        return pool
    queues = [ranked(allowed & catalog.genre_mask(grp), scores, depth) for grp in groups]
    return take_turns(queues, pool)


def take_turns(queues: Sequence[np.ndarray], pool: np.ndarray) -> np.ndarray:
    """The queues' first tracks in turn, then their second ones..., then ``pool``; each track once."""
    # in numpy: a mix's queues and pool are thousands of rows, walked one numpy scalar at a time
    # they cost ~0.9 ms a prompt. Rank by rank is the rows of a (rank, queue) grid, -1 padding
    # the shorter queues (rows are never negative).
    grid = np.full((max((len(q) for q in queues), default=0), len(queues)), -1, dtype=np.int64)
    for column, queue in enumerate(queues):
        grid[: len(queue), column] = queue
    turns = grid.ravel()
    every = np.concatenate([turns[turns >= 0], np.asarray(pool, dtype=np.int64)])
    # each row where it first comes: unique's return_index gives first occurrences
    first = np.unique(every, return_index=True)[1]
    return every[np.sort(first)]


def reach(catalog: Catalog) -> np.ndarray:
    """Per genre: how widely its typical track is heard (mean popularity, 0..1); computed once
    per catalog (1.5 ms a prompt on a 10M catalog's sample)."""
    return derived_table(catalog, "reach", _reach_of)


def _reach_of(catalog: Catalog) -> np.ndarray:
    ptr, rows = catalog.genre_sample()
    counts = np.diff(ptr)
    sums = (
        np.add.reduceat(catalog.popularity[rows].astype(np.float64), ptr[:-1])
        if len(rows)
        else np.zeros(len(counts))
    )
    sums[counts == 0] = 0.0
    return np.where(counts > 0, sums / np.maximum(counts, 1) / 100.0, 0.0)


def typicality(
    catalog: Catalog, scores: np.ndarray, genres: np.ndarray | None = None
) -> np.ndarray:
    """Per genre (of ``genres`` only, when given): how well its typical track fits (mean score
    over an even sample of its tracks)."""
    ptr, rows = catalog.genre_sample()
    if genres is not None:
        # only the regions in question (a third of the genres, typically): gathering every
        # sample's scores was most of the cost. Each genre's sample is summed whole, as below;
        # their rows are slices of the sample, joined in one concatenate (an index built with
        # arange and repeat, then gathered, cost ~3x more)
        lo, counts = ptr[genres], np.diff(ptr)[genres]
        ends = np.cumsum(counts)
        held = counts > 0
        sums = np.zeros(len(counts))
        if held.any():
            sample = np.concatenate(
                [rows[a:b] for a, b in zip(lo.tolist(), ptr[genres + 1].tolist(), strict=True)]
            )
            sums[held] = np.add.reduceat(scores[sample].astype(np.float64), (ends - counts)[held])
        return np.where(held, sums / np.maximum(counts, 1), -np.inf)
    counts = np.diff(ptr)
    sums = (
        np.add.reduceat(scores[rows].astype(np.float64), ptr[:-1])
        if len(rows)
        else np.zeros(len(counts))
    )
    sums[counts == 0] = 0.0  # reduceat repeats the next value for empty groups
    return np.where(counts > 0, sums / np.maximum(counts, 1), -np.inf)


def unrelated_pairs(catalog: Catalog, rows: Sequence[int] | np.ndarray) -> np.ndarray:
    """(n, n) float: 1 where two tracks share no related genres (a jump a listener hears)."""
    related = catalog.genre_related
    n = len(rows)
    if related is None or n == 0:
        return np.zeros((n, n))
    # boolean operations, not a float matrix product: a product this small went through BLAS,
    # whose threads spun for ~0.3 ms of CPU per playlist on a busy machine
    packed = catalog.genre_bits[rows]  # (n, bytes): each row's genres
    by_byte = derived_table(
        catalog, "related by genre byte", lambda c: _related_by_byte(related, packed.shape[1])
    )
    # the genres each row reaches (the union of its genres' related sets), one byte column of
    # its bits at a time: a lookup per column and an OR down the columns
    reach = np.bitwise_or.reduce(by_byte[np.arange(len(by_byte))[:, None], packed.T], axis=0)
    # its own genres in the same 64-bit lanes, and what two rows share, a lane at a time
    genres = np.zeros((n, reach.shape[1] * 8), dtype=np.uint8)
    genres[:, : packed.shape[1]] = packed
    lanes = genres.view(np.uint64)
    shared = reach[:, :1] & lanes[None, :, 0]
    for lane in range(1, lanes.shape[1]):
        shared |= reach[:, lane, None] & lanes[None, :, lane]
    return (shared == 0).astype(np.float64)


def _related_by_byte(related: np.ndarray, n_bytes: int) -> np.ndarray:
    """(bytes, 256, lanes) uint64: for byte column c of a row's genre bits holding value v, the
    genres related to any of its (up to 8) genres, packed in 64-bit lanes like the bits.

    Kept per catalog (``aidj.catalog.derived_table``, ~110 kB at 139 genres): a playlist's rows then reach
    their related genres in two numpy calls, not by unpacking their bits and OR-ing the related
    sets genre by genre (~3x slower).
    """
    width = -(-n_bytes // 8) * 8  # bytes of whole 64-bit lanes
    rows = np.zeros((n_bytes * 8, width), dtype=np.uint8)  # genre -> its related set, packed
    rows[: len(related), : -(-len(related) // 8)] = np.packbits(related, axis=1, bitorder="little")
    values = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1, bitorder="little")
    # table[c, v] = OR of rows[8c + b] over the bits b set in v
    chosen = values[None, :, :, None] * rows.reshape(n_bytes, 1, 8, width)
    return np.bitwise_or.reduce(chosen, axis=2).view(np.uint64)
