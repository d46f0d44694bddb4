"""Values a catalog keeps between requests, while their sizes fit a budget.

Requests ask the same styles again and again: their masks (:class:`aidj.bitsets.MaskCache`) and
their rows' subsets (:class:`aidj.catalog.SubsetCache`) are built once and shared. The least
recently used leave first; a value larger than the whole budget is built and not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Thread-safe: requests share the values; one another request kept meanwhile is returned."""

    def __init__(self, budget: int, size: Callable[[V], int]) -> None:
        self.budget = budget
        self._size = size
        self._kept: OrderedDict[K, V] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._used = 0

    def get(self, key: K, build: Callable[[], V]) -> V:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        value = build()
        size = self._size(value)
        if size > self.budget:
            return value
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                return kept
            self._kept[key] = value
            self._used += size
            while self._used > self.budget:
                _, dropped = self._kept.popitem(last=False)
                self._used -= self._size(dropped)
        return value
