"""Seasonal songs, told from the catalog's own titles and albums (issue 23).

"Winter Wonderland" in a soul set or "Let It Snow!" on a lo-fi journey is a playlist out of
season. A track is seasonal when its title or album holds one of the season's words from the
packs' ``occasions.json`` (``seasons``: the words a prompt asks with, which albums use too;
``season_titles``: fragments of the season's standards). Seasonal songs are left out unless the
intent asks for their season (``Intent.seasons``), and then they lead.

One regex per season reads every title and album once, accent-folded ("Noël" reads "noel"), and
the answer is kept beside the compiled catalog (see ``Catalog.text_mask``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

import numpy as np

from aidj.languages import language_packs


class TextMasked(Protocol):
    """A catalog (or a subset of its rows) that can tell tracks by words in their titles."""

    def text_mask(
        self, key: str, pattern: re.Pattern[bytes], albums: bool = True
    ) -> np.ndarray: ...


def _phrase(phrase: str) -> bytes:
    """A folded phrase as bytes over ASCII-folded text; '*' = any word ending."""
    body = re.escape(phrase.rstrip("*").encode("ascii", "ignore")).replace(rb"\ ", rb"[\s\-]+")
    return body + (rb"[a-z0-9]*" if phrase.endswith("*") else b"")


def pattern_for(phrases: Iterable[str]) -> re.Pattern[bytes]:
    """One bytes regex for folded phrases, longest first, whole words only."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return re.compile(rb"(?<![a-z0-9])(?:" + b"|".join(map(_phrase, ordered)) + rb")(?![a-z0-9])")


@lru_cache(maxsize=1)
def season_patterns() -> dict[str, re.Pattern[bytes]]:
    """Season -> the regex marking its songs, from every pack's words."""
    words = language_packs().merged.occasions
    seasons: dict[str, list[str]] = {}
    for table in (dict(words.seasons), dict(words.season_titles)):
        for season, phrases in table.items():
            seasons.setdefault(season, []).extend(phrases)
    return {season: pattern_for(phrases) for season, phrases in sorted(seasons.items())}


def seasonal_mask(catalog: TextMasked, season: str, albums: bool = True) -> np.ndarray:
    """Tracks of ``season``: titles holding its words, and with ``albums`` also the tracks of its
    albums (all False for an unknown season). Leaving songs out reads albums too ("Cheek to
    Cheek" on a Christmas album is out of place in June); asking for the season favours titles."""
    pattern = season_patterns().get(season)
    if pattern is None:
        return catalog.text_mask("season:", re.compile(b"(?!)"), albums)
    return catalog.text_mask(f"season:{season}:{albums}", pattern, albums)


def out_of_season(catalog: TextMasked, asked: Iterable[str]) -> np.ndarray | None:
    """Seasonal tracks of every season not ``asked`` for (None when there are none to leave out)."""
    wanted = set(asked)
    masks = [seasonal_mask(catalog, s) for s in season_patterns() if s not in wanted]
    if not masks:
        return None
    out = masks[0].copy()
    for mask in masks[1:]:
        out |= mask
    return out
