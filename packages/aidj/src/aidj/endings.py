"""A fixed set of word endings (suffixes, inflections), looked up from the word's side.

Trying each of ~90 endings with ``str.endswith`` costs a Python step per ending and word; a word
has only one ending of each length, so slicing its own endings and looking them up in a set
costs one step per distinct length and finds the same endings.
"""

from __future__ import annotations

from collections.abc import Iterable


class Endings:
    """The endings a word has among a fixed set, longest first (ties cannot occur: a word ends
    in at most one string of each length)."""

    __slots__ = ("_lengths", "_set")

    def __init__(self, endings: Iterable[str]) -> None:
        self._set = frozenset(e for e in endings if e)
        self._lengths = tuple(sorted({len(e) for e in self._set}, reverse=True))

    def of(self, word: str) -> list[str]:
        """The endings ``word`` has, longest first: the order of a longest-first tuple of them
        filtered by ``word.endswith``."""
        n = len(word)
        return [word[-k:] for k in self._lengths if k <= n and word[-k:] in self._set]
