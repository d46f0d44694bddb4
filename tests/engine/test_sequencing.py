"""Play order: what the ordering computes, stated as the plain algorithms it must agree with."""

import itertools
import random

import numpy as np
import pytest

from aidj.intent import EnergyArc
from aidj.sequencing import (
    GENRE_JUMP,
    camelot,
    cost_matrix,
    harmonic,
    mean,
    neighbour_jumps,
    order,
    tempo_jump,
    transition_cost,
    transition_stats,
)


def textbook_flat_order(energies, cost):
    """Nearest-neighbour chain from the track a quarter up the energies (ties: the earlier
    track), then first-improvement 2-opt on the open path, three passes at most."""
    n = len(energies)
    seq = [sorted(range(n), key=lambda i: energies[i])[n // 4]]
    left = [j for j in range(n) if j != seq[0]]
    while left:
        nxt = min(left, key=lambda j: cost[seq[-1]][j])
        seq.append(nxt)
        left.remove(nxt)
    for _ in range(3):
        improved = False
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                tail = j + 1 < n
                before = cost[seq[i - 1]][seq[i]] + (cost[seq[j]][seq[j + 1]] if tail else 0.0)
                after = cost[seq[i - 1]][seq[j]] + (cost[seq[i]][seq[j + 1]] if tail else 0.0)
                if after < before - 1e-9:
                    seq[i : j + 1] = seq[i : j + 1][::-1]
                    improved = True
        if not improved:
            break
    return seq


def random_tracks(rng: random.Random, n: int):
    """Tracks drawn from few values, so equal costs (ties) are common."""
    tempos = [rng.choice([60.0, 120.0, 124.0, 128.0, rng.uniform(70, 180)]) for _ in range(n)]
    energies = [rng.choice([0.4, 0.6, 0.8, round(rng.random(), 3)]) for _ in range(n)]
    keys = [camelot(rng.randint(-1, 11), rng.randint(0, 1)) for _ in range(n)]
    unrelated = np.array([[float(rng.random() < 0.3) for _ in range(n)] for _ in range(n)])
    return tempos, keys, energies, unrelated


@pytest.mark.parametrize("seed", range(8))
def test_flat_order_is_the_nearest_neighbour_chain_improved_by_first_improvement_2opt(seed):
    rng = random.Random(seed)
    for n in (3, 5, 12, 20, 20, 20, 33, 50):
        tempos, keys, energies, unrelated = random_tracks(rng, n)
        cost = (cost_matrix(tempos, keys, energies) + GENRE_JUMP * unrelated).tolist()
        played = order(tempos, keys, energies, EnergyArc.FLAT, unrelated=unrelated)
        assert played == textbook_flat_order(energies, cost)


def test_cost_matrix_is_the_transition_cost_of_every_pair():
    tempos, keys, energies, _ = random_tracks(random.Random(1), 15)
    matrix = cost_matrix(tempos, keys, energies)
    for a, b in itertools.product(range(15), repeat=2):
        expected = transition_cost(tempos[a], tempos[b], keys[a], keys[b], energies[a], energies[b])
        assert matrix[a, b] == expected


def test_transition_stats_judge_each_neighbour_pair():
    tempos, keys, _, _ = random_tracks(random.Random(2), 21)
    stats = transition_stats(tempos, keys)
    pairs = list(itertools.pairwise(range(21)))
    good = sum(harmonic(keys[a], keys[b]) for a, b in pairs)
    assert stats == {
        "transitions": 20,
        "harmonic_transitions": good,
        "harmonic_share": round(good / 20, 3),
        "mean_tempo_jump": round(
            float(np.mean([tempo_jump(tempos[a], tempos[b]) for a, b in pairs])), 1
        ),
    }


@pytest.mark.parametrize("n", [2, 3, 20, 41])
def test_neighbour_jumps_are_each_pairs_tempo_jump_and_plain_difference(n):
    rng = random.Random(n)
    tempos = [rng.choice([60.0, 120.0, 121.5, round(rng.uniform(50, 200), 1)]) for _ in range(n)]
    jumps, apart = neighbour_jumps(np.array(tempos))
    pairs = list(itertools.pairwise(tempos))
    assert jumps.tolist() == [tempo_jump(a, b) for a, b in pairs]
    assert apart.tolist() == [abs(a - b) for a, b in pairs]


@pytest.mark.parametrize("n", [1, 7, 20, 150])
def test_mean_is_numpys_mean_to_the_last_bit(n):
    rng = np.random.default_rng(n)
    values = rng.uniform(0, 250, n).astype(np.float32).astype(np.float64)
    assert mean(values) == float(np.mean(values))
