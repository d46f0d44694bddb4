"""An arc's slots take the best fitting track variety allows, in the order a full sort gives."""

from __future__ import annotations

import numpy as np
import pytest

from aidj.intent import EnergyArc
from aidj.scoring import Scored
from aidj.selection import Variety, arc_center, arc_limits, arc_targets, select


def _walked_in_sorted_order(catalog, intent, scored, pool, n):
    """Each slot walks the whole pool sorted by fit: the first track variety allows is its pick."""
    variety, chosen = Variety(catalog), []
    values = catalog.features["energy"][pool]
    scores = scored.scores[pool].astype(np.float64)
    available = np.ones(len(pool), dtype=bool)
    targets = arc_targets(n, intent.arc, values, False, arc_center(intent), arc_limits(intent))
    for target in targets:
        fit = np.where(
            available, scores - 2.0 * np.abs(values.astype(np.float64) - target), -np.inf
        )
        for p in np.argsort(-fit):
            if not np.isfinite(fit[p]):
                break
            available[p] = False
            if variety.allows(int(pool[p])):
                variety.add(int(pool[p]))
                chosen.append(int(pool[p]))
                break
    return chosen


# twice: every row in the pool twice, so each slot's best fit is tied and its twin refused;
# level: one score for every track, so tracks of equal energy tie (which comes first matters)
@pytest.mark.parametrize(("twice", "level"), [(False, False), (True, False), (False, True)])
def test_an_arcs_picks_are_the_sorted_walks(catalog, dj, twice, level):
    intent = dj.interpret("start slow and build up to a big finish")
    assert intent.arc == EnergyArc.BUILD_UP and intent.arc_by == "energy"
    rng = np.random.default_rng(7)
    n = len(catalog.duration_ms)
    scores = np.full(n, 0.5, dtype=np.float32) if level else rng.random(n, dtype=np.float32)
    everything = np.ones(n, dtype=bool)
    scored = Scored(scores=scores, allowed=everything, genre_match=everything)
    pool = np.repeat(np.arange(0, 3000, 10), 2) if twice else np.arange(0, 6000, 10)
    picked = select(catalog, intent, scored, pool, 20, Variety(catalog))
    assert picked == _walked_in_sorted_order(catalog, intent, scored, pool, 20)
    assert len(picked) == 20
