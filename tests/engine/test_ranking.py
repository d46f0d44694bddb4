"""The fast paths of scoring and ranking give exactly what the plain formulas give."""

from __future__ import annotations

import numpy as np
import pytest

from aidj.intent import Intent
from aidj.scoring import SCALE, TEMPO_SPAN, TEMPO_WEIGHT, WEIGHTS, feature_fit
from aidj.selection import _SAMPLE_ABOVE, best_first, ranked


def reference_ranked(mask: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    idx = np.flatnonzero(mask)
    return idx[np.argsort(-scores[idx], kind="stable")][:k]


@pytest.mark.parametrize(
    ("n", "k", "density", "ties"),
    [
        (2_000_000, 600, 0.9, False),  # large catalog: the sampled threshold path
        (500_000, 600, 0.02, False),  # a sparse mask (one genre) in a large catalog
        (300_000, 600, 0.5, True),  # coarse scores: many exact ties at the cut
        (90_000, 600, 1.0, False),  # the real catalog's size
        (1_000, 600, 0.3, False),  # fewer eligible tracks than asked for
        (1_000, 600, 0.95, True),  # a genre's rows, barely more than asked for: all sorted
        (20_000, 600, 0.1, True),  # a genre's rows, ~3x more than asked: all sorted, by keys
        (60_000, 600, 0.1, True),  # a genre's rows, ~10x more than asked: cut, then sorted
        (116_000, 4_000, 0.9, False),  # a region's deep list: the deep sampled path
        (116_000, 4_000, 0.9, True),  # the deep path with exact ties at the cut
        (40_000, 4_000, 0.9, False),  # too short for the deep path: every track partitioned
    ],
)
def test_top_k_equals_a_full_stable_sort(n, k, density, ties):
    rng = np.random.default_rng(n + k)
    scores = rng.random(n, dtype=np.float32)
    if ties:
        scores = np.round(scores * 200) / 200
    mask = rng.random(n) < density
    np.testing.assert_array_equal(ranked(mask, scores, k), reference_ranked(mask, scores, k))


def test_top_k_falls_back_to_the_full_partition_when_the_sample_overestimates():
    # every sampled row is excellent but there are fewer of them than wanted: the threshold
    # the sample suggests lets too few through, and the exact path must take over
    n, k = 1_000_000, 600
    step = n // (_SAMPLE_ABOVE * k // 2)
    rng = np.random.default_rng(7)
    scores = rng.random(n, dtype=np.float32)
    scores[::step][: k // 2] = 5.0 + rng.random(k // 2, dtype=np.float32)
    mask = np.ones(n, dtype=bool)
    np.testing.assert_array_equal(ranked(mask, scores, k), reference_ranked(mask, scores, k))


def test_a_deep_list_falls_back_too_when_its_sample_overestimates():
    n, k = 116_000, 4_000
    step = 2 * k // 100  # the deep path's sampling step
    rng = np.random.default_rng(11)
    scores = rng.random(n, dtype=np.float32)
    scores[::step][:200] = 5.0 + rng.random(200, dtype=np.float32)
    mask = np.ones(n, dtype=bool)
    np.testing.assert_array_equal(ranked(mask, scores, k), reference_ranked(mask, scores, k))


def test_nothing_eligible_gives_nothing():
    assert ranked(np.zeros(100_000, dtype=bool), np.ones(100_000, dtype=np.float32), 600).size == 0


def reference_fit(catalog, intent: Intent) -> np.ndarray:
    f = catalog.features
    total, weight = np.zeros(len(catalog)), 0.0
    for name, target in intent.targets().items():
        dist = np.abs(f[name].astype(np.float64) - target) * SCALE.get(name, 1.0)
        total += WEIGHTS[name] * np.minimum(dist, 1.0)
        weight += WEIGHTS[name]
    if intent.tempo is not None:
        bpm = f["tempo"].astype(np.float64)
        dist = np.minimum.reduce(
            [abs(bpm - intent.tempo), abs(2 * bpm - intent.tempo), abs(bpm / 2 - intent.tempo)]
        )
        total += TEMPO_WEIGHT * np.minimum(dist / TEMPO_SPAN, 1.0)
        weight += TEMPO_WEIGHT
    return 1.0 - total / weight if weight else np.ones(len(catalog))


@pytest.mark.parametrize(
    "intent",
    [
        Intent(energy=0.9, danceability=0.7, tempo=128),
        Intent(energy=0.2, valence=0.3, acousticness=0.8, instrumentalness=0.9, speechiness=0.05),
        Intent(tempo=170),
        Intent(),
    ],
)
def test_feature_fit_is_one_minus_the_weighted_mean_distance(catalog, intent):
    np.testing.assert_allclose(
        feature_fit(catalog, intent), reference_fit(catalog, intent), atol=1e-5
    )


@pytest.mark.parametrize("n", [10, 800, 5_000])  # below and above the packed keys' size
def test_best_first_is_a_stable_sort_of_the_negated_values(n):
    rng = np.random.default_rng(n)
    values = rng.normal(size=n).astype(np.float32)
    values[::7] = values[3]  # ties
    values[::11] = 0.0
    values[::13] = -0.0  # the same score as 0.0
    values[:3] = [np.inf, -np.inf, np.float32(3.4e38)]
    np.testing.assert_array_equal(best_first(values), np.argsort(-values, kind="stable"))
