"""Genre-free prompts on very large catalogs: decide the region on a sample, then rank it exactly.

A prompt that names no genre ("energetic music for working out") is drawn from one region of
music, anchored on one genre (:mod:`aidj.coherence`). Deciding *which* genre needs the shape of
the best-fitting tracks, not every one of them: an even sample of the catalog (plus each genre's
typical tracks, so typicality is measured on exactly the rows the whole catalog would use) shows
it as well as ten million rows do, at a twentieth of the cost. Once the anchor is known, the
anchor genre's own rows (from the genre index) are scored in full, so the set is made of that
genre's truly best tracks, never of whichever ones the sample happened to hold.

When the sample finds no region (an odd request, seed artists, a tiny count), the caller scores
the whole catalog as before: only the common path is made sub-linear.
"""

from __future__ import annotations

import threading

import numpy as np

from aidj.catalog import Catalog, genre_subset, positions_of
from aidj.coherence import REGION_CANDIDATES, REGION_DEPTH, Region, choose_region
from aidj.intent import Intent
from aidj.scoring import Scored, fit_scores, scratch_for
from aidj.selection import candidate_pool, pool_size

# Below this the sample (an even 250k plus ~230k typical rows) is a quarter of the catalog or
# more, so it saves little and scoring everything stays exact.
SAMPLE_MIN_TRACKS = 2_000_000
# Evenly spaced rows in the sample (beside every genre's typical tracks).
SAMPLE_ROWS = 250_000

# id(catalog) -> (catalog, its sample, the sample's rows in it); one
# catalog per process
_samples: dict[int, tuple[Catalog, Catalog, np.ndarray]] = {}
_lock = threading.Lock()


def uses_sample(catalog: Catalog, intent: Intent, need: int) -> bool:
    """Whether a request takes the sampled path: large, indexed catalogs, genre-free requests."""
    return (
        len(catalog) >= SAMPLE_MIN_TRACKS
        and catalog.genre_ptr is not None
        and catalog.genre_related is not None
        and not intent.genres
        and not intent.seed_artists
        and need >= 3
    )


def sample_rows(catalog: Catalog) -> np.ndarray:
    """Sorted rows: every k-th track and every row of the per-genre sample."""
    step = max(1, len(catalog) // SAMPLE_ROWS)
    even = np.arange(0, len(catalog), step, dtype=np.int64)
    _, typical = catalog.genre_sample()
    return np.union1d(even, typical.astype(np.int64))


def catalog_sample(catalog: Catalog) -> tuple[Catalog, np.ndarray]:
    """The sample catalog and its rows in ``catalog``, built once per catalog."""
    prepared = _prepared(catalog)
    return prepared[1], prepared[2]


def _prepared(catalog: Catalog) -> tuple[Catalog, Catalog, np.ndarray]:
    with _lock:
        cached = _samples.get(id(catalog))
        if cached is None or cached[0] is not catalog:
            rows = sample_rows(catalog)
            _samples.clear()  # never keep an old catalog alive through its sample
            cached = _samples[id(catalog)] = (catalog, catalog.sample(rows), rows)
    return cached


def release(catalog: Catalog, scored: Scored, rows: np.ndarray) -> None:
    """Give back the catalog-sized arrays of a :func:`sampled_region` answer (``rows``: every
    row it may have written, the region's and those it was asked to keep) once nothing reads
    them any more."""
    scratch_for(catalog).give_back(scored, rows)


def sampled_region(
    catalog: Catalog,
    intent: Intent,
    need: int,
    exclude: np.ndarray | None,
    keep: np.ndarray | None = None,
) -> tuple[Scored, np.ndarray, Region] | None:
    """(scores, ranked pool, region) for a genre-free request, from the sample and the anchor's
    own rows; None when the sample finds no region (the caller then scores everything).

    The scores are catalog-sized but hold the region's rows only (the rest reads zero), and
    those of ``keep`` (sorted catalog rows: a listener's favourites, which taste may add) that
    are the anchor's, in arrays lent for the request: hand them back with :func:`release`
    (the region's rows and ``keep``) when done."""
    _, sample, rows = _prepared(catalog)
    sample_exclude = None if exclude is None else exclude[rows]
    scored = fit_scores(sample, intent)
    deep = max(REGION_CANDIDATES, pool_size(need))
    pool = candidate_pool(sample, intent, scored, need, sample_exclude, size=deep)
    if pool is None:
        return None
    decided = choose_region(sample, intent, scored.scores, pool, need)
    if decided is None:
        return None
    # the anchor's rows side by side (the genre-major copy): slices, not a gather out of 10M rows
    subset = genre_subset(catalog, decided.anchor)
    if subset is None or len(subset) == 0:
        return None
    anchor_rows = subset.rows
    anchor_scored = fit_scores(subset, intent)
    picked = candidate_pool(
        subset,
        intent,
        anchor_scored,
        need,
        None if exclude is None else exclude[anchor_rows],
        size=max(REGION_CANDIDATES, pool_size(need)),
    )
    if picked is None or len(picked) < need:
        return None
    # The whole catalog's region is the anchor's tracks among its best REGION_CANDIDATES: keep
    # the anchor's tracks that score at least what the sample says the last of those scores.
    cut = cutoff(scored.scores, pool, rows, len(catalog))
    depth = max(int((anchor_scored.scores[picked] >= cut).sum()), need * REGION_DEPTH)
    picked = picked[:depth]
    region_rows = anchor_rows[picked]
    written = picked if keep is None else np.concatenate([picked, positions_of(anchor_rows, keep)])
    full = scratch_for(catalog).lend(anchor_scored, written, anchor_rows[written])
    return full, region_rows, Region(anchor=decided.anchor, rows=region_rows)


def cutoff(scores: np.ndarray, pool: np.ndarray, rows: np.ndarray, n: int) -> float:
    """The score of the whole catalog's REGION_CANDIDATES-th best track, estimated from the even
    part of the sample (every ``step``-th track: its m-th best stands for the (m * step)-th)."""
    step = max(1, n // SAMPLE_ROWS)
    even = pool[rows[pool] % step == 0]
    m = max(1, round(REGION_CANDIDATES / step))
    return float(scores[even[m - 1]]) if len(even) >= m else -np.inf
