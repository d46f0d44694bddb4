"""Rows of a packed per-track bitset (genre labels, cores) that carry any of some bits."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def bits_mask(genre_bits: np.ndarray, genre_ids: Iterable[int | None]) -> np.ndarray:
    """Boolean mask of the rows of ``genre_bits`` (n, ceil(G/8) uint8) with any of ``genre_ids`` set."""
    patterns: dict[int, int] = {}  # byte column -> bits of the wanted genres in it
    for g in genre_ids:
        if g is not None:
            patterns[g >> 3] = patterns.get(g >> 3, 0) | (1 << (g & 7))
    mask = np.zeros(len(genre_bits), dtype=bool)
    # one pass per byte column, not per genre: at millions of tracks this is the cost
    for column, bits in patterns.items():
        mask |= (genre_bits[:, column] & np.uint8(bits)) != 0
    return mask
