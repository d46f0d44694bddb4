"""Children's learning songs, told from their titles (issue 23).

A lullaby is a soft song for sleep, not "Phonics Song 2" or "Months of the Year": the catalog
files file both under children's music. A sleep set (the sleep genre, or a very low energy
target) leaves out tracks whose titles hold the packs' ``occasions.json`` ``learning_titles``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from aidj.intent import Intent
from aidj.languages import language_packs
from aidj.seasons import TextMasked, pattern_for

SLEEP_GENRES = frozenset({"sleep"})
SLEEP_ENERGY = 0.3  # an energy target at or below this is a set to fall asleep or wind down to


@lru_cache(maxsize=1)
def learning_pattern() -> re.Pattern[bytes] | None:
    """The regex of the packs' learning-song titles (None when they list none)."""
    phrases = list(language_packs().merged.occasions.learning_titles)
    return pattern_for(phrases) if phrases else None


def is_sleep_set(intent: Intent) -> bool:
    return bool(SLEEP_GENRES & set(intent.genres)) or (
        intent.energy is not None and intent.energy <= SLEEP_ENERGY
    )


def learning_songs(catalog: TextMasked) -> np.ndarray | None:
    """Tracks whose titles mark a children's learning song (None when the packs list none)."""
    pattern = learning_pattern()
    return None if pattern is None else catalog.text_mask("learning", pattern, albums=False)
