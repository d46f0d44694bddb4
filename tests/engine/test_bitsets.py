"""Genre masks from packed bitsets, and the masks a catalog keeps between requests."""

import numpy as np
import pytest

from aidj.bitsets import MaskCache, bits_mask

BITS = np.packbits(
    np.array([[1, 0, 0, 0, 0, 0, 0, 0, 1], [0, 1, 0, 0, 0, 0, 0, 0, 0], [0] * 9], dtype=bool),
    axis=1,
    bitorder="little",
)


def test_a_mask_holds_the_rows_with_any_of_the_bits():
    assert bits_mask(BITS, [8, 1]).tolist() == [True, True, False]
    assert bits_mask(BITS, [None]).tolist() == [False, False, False]


def test_a_kept_mask_is_computed_once_and_cannot_be_changed():
    cache, calls = MaskCache(), []

    def compute():
        calls.append(1)
        return bits_mask(BITS, [0])

    first, again = (
        cache.get(("genre_bits", (0,)), compute),
        cache.get(("genre_bits", (0,)), compute),
    )
    assert again is first and len(calls) == 1
    with pytest.raises(ValueError):
        first[0] = False


def test_the_least_recently_used_masks_leave_when_the_budget_is_spent():
    cache = MaskCache(budget=2 * 1000)
    masks = {n: cache.get((n,), lambda: np.zeros(1000, dtype=bool)) for n in range(3)}
    assert cache.get((1,), lambda: np.ones(1000, dtype=bool)) is masks[1]
    assert cache.get((2,), lambda: np.ones(1000, dtype=bool)) is masks[2]
    assert cache.get((0,), lambda: np.ones(1000, dtype=bool)).all()  # gone: computed again


def test_a_catalog_answers_a_genre_asked_again_with_the_same_mask(catalog):
    genre = catalog.genres[0]
    first = catalog.genre_mask([genre])
    assert catalog.genre_mask([genre]) is first
    assert np.array_equal(first, bits_mask(catalog.genre_bits, [catalog.genre_index(genre)]))
