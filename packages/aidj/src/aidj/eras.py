"""Reading an era: "80s", "the nineties", "años 2000", "anni '90", "70ern", "early 2010s",
"from 1995 to 2005". The words are data (per language); the shapes are here.

An era becomes ``year_min``/``year_max``; the engine then plays tracks whose release year is
known and inside it (and says so when too few are).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from aidj.languages import language_packs
from aidj.text import Tokens

# "80", "'80", "1980", "2000", "2010": a decade needs its last digit to be 0
_DECADE_NUMBER = re.compile(r"^'?((?:19|20)?\d0)$")
_YEAR = re.compile(r"^(19[0-9]{2}|20[0-4][0-9])$")
_YEAR_RANGE = re.compile(r"(19|20)\d\d-(19|20)\d\d")  # "1995-2005" as one word
# "early" covers the first four years of a decade, "mid" the middle four, "late" the last four
_PARTS = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    """Every pack's ``eras.json`` words together (a prompt may mix languages): ``decade_words``
    as a table, every other field a list, longest first, so "er-jahre" wins over "er" and "the
    two thousands" over "the"."""
    return {
        key: sorted(set(value), key=lambda w: (-len(w), w))
        if isinstance(value, list)
        else dict(value)
        for key, value in vars(language_packs().merged.eras).items()
    }


def era_vocabulary() -> list[str]:
    """Every word an era is said with (for the typo reader: 'anni' is no typo of 'anno'); endings
    glued to numbers ("s", "er") are no words."""
    return [word for key, words in _words().items() if key != "decade_suffixes" for word in words]


def _decade(number: str) -> int | None:
    """'80' -> 1980, '1980' -> 1980, '2000' -> 2000, '10' -> 2010 (a two-digit decade below 30 is this century)."""
    value = int(number)
    if value >= 1900:
        return value if value % 10 == 0 else None
    if value % 10:
        return None
    return 2000 + value if value < 30 else 1900 + value


def _strip_suffix(word: str, suffixes: list[str]) -> str | None:
    for suffix in suffixes:
        if word.endswith(suffix) and word[: -len(suffix)].lstrip("'").isdigit():
            return word[: -len(suffix)]
    return None


def _part_before(tokens: Tokens, i: int, words: dict[str, Any]) -> tuple[str | None, int]:
    """'early' / 'mid' / 'late' ending just before token i: (part, its first token)."""
    for part in ("early", "mid", "late"):
        for phrase in words[part]:
            n = len(phrase.split())
            if (
                i - n >= 0
                and tokens.folded[i - n : i] == phrase.split()
                and not any(tokens.used[i - n : i])
            ):
                return part, i - n
    return None, i


def _marker_before(tokens: Tokens, i: int, phrases: list[str]) -> int:
    """Index where one of ``phrases`` ends just before token i, or -1."""
    for phrase in phrases:
        n = len(phrase.split())
        if (
            i - n >= 0
            and tokens.folded[i - n : i] == phrase.split()
            and not any(tokens.used[i - n : i])
        ):
            return i - n
    return -1


def read_era(tokens: Tokens, out: dict[str, Any]) -> None:
    """Set ``year_min``/``year_max`` from the first era the prompt names; consume its words."""
    words = _words()
    folded = tokens.folded
    for i, word in enumerate(folded):
        if tokens.used[i]:
            continue
        start, decade = i, None
        bare = word.lstrip("'")
        # a decade number (bare or with an ending: "80", "80s") and a year ("1995", "1995-2005")
        # start with a digit: most words need none of those tries
        digit = bare[:1].isdigit()
        number = _strip_suffix(word, words["decade_suffixes"]) if digit else None
        if number is not None:
            decade = _decade(number.lstrip("'"))
        elif word in words["decade_words"]:
            decade = words["decade_words"][word]
        elif (
            digit
            and _DECADE_NUMBER.match(word)
            and ((m := _marker_before(tokens, i, words["decade_markers"])) >= 0)
            and (len(bare) == 2 or bare.endswith("0"))
        ):
            decade, start = _decade(bare), m
        if (
            decade is None
            and i + 1 < len(folded)
            and f"{word} {folded[i + 1]}" in words["decade_words"]
        ):
            decade = words["decade_words"][f"{word} {folded[i + 1]}"]
            tokens.used[i + 1] = True
        if decade is None and "-" in word:
            # "mid-80s", "early-2000s"
            head, _, tail = word.partition("-")
            if any(head == p for part in ("early", "mid", "late") for p in words[part]):
                number = _strip_suffix(tail, words["decade_suffixes"])
                if number is not None and (decade := _decade(number.lstrip("'"))) is not None:
                    part = next(part for part in ("early", "mid", "late") if head in words[part])
                    tokens.consume(i, i + 1)
                    out["year_min"], out["year_max"] = (
                        decade + _PARTS[part][0],
                        decade + _PARTS[part][1],
                    )
                    return
        if decade is not None:
            marker = _marker_before(tokens, start, words["decade_markers"])
            start = marker if marker >= 0 else start
            part, first = _part_before(tokens, start, words)
            lo, hi = (
                (decade + _PARTS[part][0], decade + _PARTS[part][1])
                if part
                else (decade, decade + 9)
            )
            tokens.consume(first, i + 1)
            out["year_min"], out["year_max"] = lo, hi
            return
        if not digit:
            continue
        if _YEAR.match(word):
            marker = _marker_before(tokens, i, words["year_markers"])
            # "1995 to 2005", "1995-2005", "between 1995 and 2005"
            if i + 2 < len(folded) and _YEAR.match(folded[i + 2]) and not tokens.used[i + 2]:
                lo, hi = int(word), int(folded[i + 2])
                tokens.consume(marker if marker >= 0 else i, i + 3)
                out["year_min"], out["year_max"] = min(lo, hi), max(lo, hi)
                return
            if "-" in word:
                continue
            if marker >= 0:
                tokens.consume(marker, i + 1)
                out["year_min"] = out["year_max"] = int(word)
                return
        if _YEAR_RANGE.fullmatch(word):
            lo, hi = (int(x) for x in word.split("-"))
            tokens.consume(i, i + 1)
            out["year_min"], out["year_max"] = min(lo, hi), max(lo, hi)
            return
