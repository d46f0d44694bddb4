"""The same song by several artists: telling one song across renditions (issue 23).

A title of a few words or many characters names one song whoever sings it ("Jingle Bell Rock",
"Knockin' on Heaven's Door", "Baby Shark"); a short one ("Home", "Hallelujah") is shared by
unrelated songs, so variety (``aidj.selection.Variety``) also compares length and tempo there.
When covers are asked for (``Intent.covers``), songs the catalog holds in renditions by two or
more artists lead: that is what a covers set is made of.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

import numpy as np

from aidj.catalog import Catalog

COVER_TITLE_WORDS = 3
COVER_TITLE_CHARS = 14
COVER_TWO_WORD_CHARS = 10  # "Baby Shark", "Silent Night"; not "Feel Good"

_VERSION = re.compile(rb"\s*(\([^)]*\)?|\[[^\]]*\]?)|\s+-\s+.*$")
_PUNCTUATION = re.compile(rb"[^a-z0-9\s]")


class _Derived(Protocol):
    def derived_mask(self, key: str, compute: Callable[[Catalog], np.ndarray]) -> np.ndarray: ...


def names_one_song(title_key: str | bytes) -> bool:
    """Whether a title (its key: lowercase, no version marks or punctuation) is distinctive
    enough to be one song across artists."""
    words = len(title_key.split())
    return (
        words >= COVER_TITLE_WORDS
        or len(title_key) >= COVER_TITLE_CHARS
        or (words == 2 and len(title_key) >= COVER_TWO_WORD_CHARS)
    )


def _song_key(title: bytes) -> bytes:
    stripped = _VERSION.sub(b"", title) or title
    return b" ".join(_PUNCTUATION.sub(b" ", stripped).split())


def _renditions(catalog: Catalog) -> np.ndarray:
    """Tracks whose (distinctive) title the catalog holds by two or more first artists."""
    data, _ = catalog.folded_titles()
    titles = data.split(b"\x00")
    out = np.zeros(len(catalog), dtype=bool)
    if len(titles) != len(catalog):
        return out  # a NUL inside a title: better no covers lead than the wrong ones
    ids: dict[bytes, int] = {}
    key_of = np.full(len(titles), -1, dtype=np.int64)
    for row, title in enumerate(titles):
        key = _song_key(title)
        if key and names_one_song(key):
            key_of[row] = ids.setdefault(key, len(ids))
    known = key_of >= 0
    pairs = np.unique(
        np.stack([key_of[known], catalog.artist_id[known].astype(np.int64)], axis=1), axis=0
    )
    artists_per_song = np.bincount(pairs[:, 0], minlength=len(ids))
    out[known] = artists_per_song[key_of[known]] >= 2
    return out


def renditions(catalog: _Derived) -> np.ndarray:
    """Tracks of songs recorded by several artists in the catalog (computed once per process)."""
    return catalog.derived_mask("covers:renditions", _renditions)
