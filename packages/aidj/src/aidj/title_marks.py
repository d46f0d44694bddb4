"""The title marks every prompt reads (seasonal songs, learning songs), stored with an artifact.

Marking them means reading every title and album of the catalog in Python: ~2 s at a million
tracks, which a cloud function would pay on every cold start (its /tmp starts empty, so the
marks kept in the cache directory do not help it). ``aidj catalog build`` stores them beside the
columns instead (:func:`aidj.catalog.store_text_masks`), named by their patterns: an artifact
built with other language packs simply lacks the ones this code asks for, which are then
computed as before.
"""

from __future__ import annotations

import re

from aidj.learning import learning_pattern
from aidj.seasons import season_patterns


def title_mark_patterns() -> list[tuple[re.Pattern[bytes], bool]]:
    """(pattern, reads albums too) for every title mark the engine asks for by itself: each
    season both ways (leaving songs out reads albums, asking for the season reads titles) and
    the learning songs (titles only)."""
    marks = [
        (pattern, albums) for pattern in season_patterns().values() for albums in (True, False)
    ]
    learning = learning_pattern()
    if learning is not None:
        marks.append((learning, False))
    return marks
