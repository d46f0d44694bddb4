"""DJ ordering: follow the energy arc, keep neighbouring tempos close, mix in key.

Keys are compared on the Camelot wheel (Spotify's pitch class + mode): two tracks mix
harmonically when they share a number (relative major/minor) or sit one step apart with
the same letter.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aidj.intent import EnergyArc

# Camelot numbers by pitch class (C=0 ... B=11)
_MAJOR_NUMBER = (8, 3, 10, 5, 12, 7, 2, 9, 4, 11, 6, 1)
_MINOR_NUMBER = (5, 12, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10)


def camelot(key: int, mode: int) -> str:
    """Camelot code ('8B' = C major, '8A' = A minor); '' when the key is unknown."""
    if not 0 <= key <= 11:
        return ""
    return f"{_MAJOR_NUMBER[key]}B" if mode == 1 else f"{_MINOR_NUMBER[key]}A"


def harmonic(a: str, b: str) -> bool:
    """Whether two Camelot codes mix without a key clash."""
    if not a or not b:
        return False
    na, la, nb, lb = int(a[:-1]), a[-1], int(b[:-1]), b[-1]
    if na == nb:
        return True  # same key, or relative major/minor
    return la == lb and (abs(na - nb) in (1, 11))


def tempo_jump(tempo_a: float, tempo_b: float) -> float:
    """BPM difference a DJ has to bridge, counting half- and double-time as a match."""
    return min(abs(tempo_a - tempo_b), abs(tempo_a * 2 - tempo_b), abs(tempo_a - tempo_b * 2))


def transition_cost(
    tempo_a: float, tempo_b: float, key_a: str, key_b: str, energy_a: float, energy_b: float
) -> float:
    jump = tempo_jump(tempo_a, tempo_b)
    return jump / 12.0 + (0.0 if harmonic(key_a, key_b) else 1.0) + abs(energy_a - energy_b) * 2.0


# A change of style that shares nothing with the last track (k-pop into metal) costs about as
# much as a key clash: both are what a listener notices first.
GENRE_JUMP = 1.5


def order(
    tempos: Sequence[float],
    keys: Sequence[str],
    energies: Sequence[float],
    arc: EnergyArc,
    by_tempo: bool = False,
    unrelated: np.ndarray | None = None,
) -> list[int]:
    """Positions of the chosen tracks in play order (the arc moves energy, or tempo when asked).

    ``unrelated[i, j]`` is 1 where tracks i and j share no related genre; such neighbours cost
    :data:`GENRE_JUMP` more, so styles are played in runs and bridged where they meet.
    """
    n = len(tempos)
    along = tempos if by_tempo else energies
    if n <= 2:
        return sorted(range(n), key=lambda i: along[i], reverse=arc == EnergyArc.WIND_DOWN)
    matrix = cost_matrix(tempos, keys, energies)
    if unrelated is not None:
        matrix = matrix + GENRE_JUMP * unrelated
    # the searches below read one pair at a time: Python floats (the same doubles) index ~3x
    # faster than a numpy matrix does
    cost = matrix.tolist()
    if arc == EnergyArc.FLAT:
        return _chain(energies, cost)
    ascending = sorted(range(n), key=lambda i: along[i])
    if arc == EnergyArc.BUILD_UP:
        seq = ascending
    elif arc == EnergyArc.WIND_DOWN:
        seq = ascending[::-1]
    else:  # PEAK: every other track climbs, the rest come back down
        seq = ascending[0::2] + ascending[1::2][::-1]
    return _polish(seq, along, cost, 5.0 if by_tempo else 0.05)


def cost_matrix(
    tempos: Sequence[float], keys: Sequence[str], energies: Sequence[float]
) -> np.ndarray:
    """Pairwise transition costs (same formula as :func:`transition_cost`), vectorised."""
    t = np.asarray(tempos, dtype=np.float64)
    e = np.asarray(energies, dtype=np.float64)
    jump = np.minimum.reduce(
        [
            np.abs(t[:, None] - t[None, :]),
            np.abs(t[:, None] * 2 - t[None, :]),
            np.abs(t[:, None] - t[None, :] * 2),
        ]
    )
    codes = np.array([_CODE.get(k, 24) for k in keys], dtype=np.int64)
    clash = 1.0 - _MIXES[codes][:, codes]
    return jump / 12.0 + clash + np.abs(e[:, None] - e[None, :]) * 2.0


def _mixes() -> tuple[dict[str, int], np.ndarray]:
    """Camelot code -> 0..23, and which of them mix (row/column 24: unknown key, mixes with nothing)."""
    names = [f"{n}{letter}" for n in range(1, 13) for letter in "AB"]
    mixes = np.zeros((25, 25), dtype=np.float64)
    for a, x in enumerate(names):
        for b, y in enumerate(names):
            mixes[a, b] = 1.0 if harmonic(x, y) else 0.0
    return {name: i for i, name in enumerate(names)}, mixes


_CODE, _MIXES = _mixes()


def _chain(energies: Sequence[float], cost: list[list[float]]) -> list[int]:
    """A smooth flat set: greedy nearest-neighbour chain from a calm-ish opener, then 2-opt.

    Greedy chaining leaves its worst jumps for the end, when few tracks are left; reversing
    segments (2-opt) removes most of them.
    """
    n = len(energies)
    start = int(np.argsort(energies, kind="stable")[n // 4])
    seq = [start]
    left = [j for j in range(n) if j != start]  # a list: ties go to the earlier track, every run
    while left:
        last = seq[-1]
        row = cost[last]
        nxt = min(left, key=row.__getitem__)
        seq.append(nxt)
        left.remove(nxt)
    return _two_opt(seq, cost)


def _two_opt(seq: list[int], cost: list[list[float]], passes: int = 3) -> list[int]:
    seq = list(seq)
    n = len(seq)
    for _ in range(passes):
        improved = False
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                # reverse seq[i:j+1]; an open path has no edge after the last track
                before = cost[seq[i - 1]][seq[i]] + (cost[seq[j]][seq[j + 1]] if j + 1 < n else 0.0)
                after = cost[seq[i - 1]][seq[j]] + (cost[seq[i]][seq[j + 1]] if j + 1 < n else 0.0)
                if after < before - 1e-9:
                    seq[i : j + 1] = seq[i : j + 1][::-1]
                    improved = True
        if not improved:
            break
    return seq


def _polish(
    seq: list[int], along: Sequence[float], cost: list[list[float]], interchangeable: float
) -> list[int]:
    """Swap neighbours that sit at nearly the same point of the arc when it smooths the transitions.

    The arc stays intact (energies within 0.05, or tempos within 5 BPM, are interchangeable)
    while tempo jumps, key clashes and style jumps go down.
    """
    seq = list(seq)
    for _ in range(2):
        for p in range(1, len(seq) - 2):
            a, b, c, d = seq[p - 1], seq[p], seq[p + 1], seq[p + 2]
            if abs(along[b] - along[c]) > interchangeable:
                continue
            before = cost[a][b] + cost[b][c] + cost[c][d]
            after = cost[a][c] + cost[c][b] + cost[b][d]
            if after < before:
                seq[p], seq[p + 1] = c, b
    return seq


def transition_stats(tempos: Sequence[float], keys: Sequence[str]) -> dict[str, float | int]:
    """How DJ-friendly an ordered playlist is."""
    pairs = list(zip(range(len(tempos) - 1), range(1, len(tempos))))
    if not pairs:
        return {
            "transitions": 0,
            "harmonic_transitions": 0,
            "harmonic_share": 0.0,
            "mean_tempo_jump": 0.0,
        }
    good = sum(harmonic(keys[a], keys[b]) for a, b in pairs)
    # a DJ beat-matches 65 BPM against 130 in half time: count the jump that mixing needs
    jumps = [tempo_jump(tempos[a], tempos[b]) for a, b in pairs]
    return {
        "transitions": len(pairs),
        "harmonic_transitions": good,
        "harmonic_share": round(good / len(pairs), 3),
        "mean_tempo_jump": round(float(np.mean(jumps)), 1),
    }
