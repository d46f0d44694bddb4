"""Reading occasions, covers, seasons and instrument modifiers from a prompt (issue 23).

- An occasion that wants songs people know ("office party", "karaoke", "mit den Großeltern")
  sets ``familiarity``: a celebration is not a lo-fi bedroom-pop set.
- Asking for covers ("covers of", "versiones de") sets ``covers``: otherwise one rendition of a
  song plays, whoever sings it.
- A season named ("Christmas songs", "villancicos") goes to ``seasons``; without one, seasonal
  songs are left out (see ``aidj.seasons``).
- A sound word that is also a catalog genre ("acoustic") next to another style describes it:
  "acoustic rock" is rock with high acousticness, not the "acoustic" genre.
- An instrument or arrangement the catalog cannot hear ("with a horn section", "featuring slide
  guitar") next to a named style is a notice, never a replacement genre: its words are consumed
  before the genre readers see them, so "rock featuring slide guitar" stays rock.

The words live in each pack's ``occasions.json``; this module holds the readings only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

from aidj.genres import ALIASES, COMPOUND_SUFFIXES, nationality
from aidj.intent import UNIT_FEATURES
from aidj.languages import language_packs
from aidj.lexicon import QUALIFIERS
from aidj.notices import code as notice_code
from aidj.text import Tokens, longest_first

# how well known the songs of a sing-along or an office party should be (0..1)
FAMILIAR = 0.85


def phrase_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    """One regex for folded phrases, longest first, whole words only; a trailing '*' matches any
    word ending ("weihnacht*" -> "weihnachtslieder"), an apostrophe also a space (elisions are
    split from the next word when a prompt is tokenised)."""
    if not phrases:
        return None
    parts = []
    for phrase in longest_first(phrases):
        tail = r"\w*" if phrase.endswith("*") else ""
        body = re.escape(phrase.rstrip("*")).replace("'", "['\\s]?").replace(r"\ ", r"\s+")
        parts.append(body + tail)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    words = language_packs().merged.occasions
    return {
        "familiar": phrase_pattern(list(words.familiar)),
        "covers": phrase_pattern(list(words.covers)),
        "seasons": {
            season: pattern
            for season, phrases in sorted(dict(words.seasons).items())
            if (pattern := phrase_pattern(list(phrases))) is not None
        },
        "instruments": phrase_pattern(list(words.instruments)),
    }


def read_occasion(tokens: Tokens, out: dict[str, Any]) -> None:
    """Set ``familiarity``, ``covers``, ``seasons`` and instrument notices (``_notices``) in
    ``out``; consume an instrument's words when another style is named. Run before genres."""
    patterns = _patterns()
    text = " ".join(tokens.folded)
    if patterns["familiar"] is not None and patterns["familiar"].search(text):
        out["familiarity"] = FAMILIAR
    if patterns["covers"] is not None and patterns["covers"].search(text):
        out["covers"] = True
    # only words no other reader took: "zonder kerstmuziek" was read as an exclusion
    free = " ".join(word if not used else "_" for word, used in zip(tokens.folded, tokens.used))
    seasons = seasons_named(free)
    if seasons:
        out["seasons"] = seasons
    if patterns["instruments"] is not None:
        _read_instruments(tokens, text, patterns["instruments"], out)
    _read_sound_words(tokens, out)


def seasons_named(text: str) -> list[str]:
    """The seasons whose words a folded text holds ("villancicos" -> ["christmas"])."""
    return [name for name, pattern in _patterns()["seasons"].items() if pattern.search(text)]


# Words that are both a catalog genre and a sound ("acoustic"): right before another style they
# describe how it sounds ("acoustic rock" is rock with high acousticness, not the acoustic genre);
# elsewhere ("chill acoustic covers", "acoustic guitar") they stay what the genre readers make them.
_SOUND_GENRES = sorted(p for p in QUALIFIERS if p in ALIASES and " " not in p)


def _read_sound_words(tokens: Tokens, out: dict[str, Any]) -> None:
    folded = tokens.folded
    for word in _SOUND_GENRES:
        if word not in folded:
            continue  # most prompts: no search for it (a failed one raises inside find)
        at = tokens.find(word)
        after = folded[at + 1] if 0 <= at < len(folded) - 1 and not tokens.used[at + 1] else ""
        if not after or f"{word} {after}" in ALIASES or after not in ALIASES:
            continue
        tokens.consume(at, at + 1)
        for key, value in QUALIFIERS[word].items():
            if key in UNIT_FEATURES:
                out[key] = value


def _token_starts(tokens: Tokens) -> list[int]:
    starts, at = [], 0
    for word in tokens.folded:
        starts.append(at)
        at += len(word) + 1
    return starts


def _read_instruments(
    tokens: Tokens, text: str, pattern: re.Pattern[str], out: dict[str, Any]
) -> None:
    matches = list(pattern.finditer(text))
    if not matches:
        return  # most prompts name no instrument
    starts = _token_starts(tokens)
    spans = []
    for match in matches:
        first = bisect_right(starts, match.start()) - 1
        last = bisect_right(starts, match.end() - 1)
        if not any(tokens.used[first:last]):
            spans.append((first, last))
    if not spans:
        return
    hidden = {j for first, last in spans for j in range(first, last)}
    styled = _names_a_style(tokens, hidden)
    notices = out.setdefault("_notices", [])
    for first, last in spans:
        phrase = " ".join(tokens.folded[first:last])
        if styled and phrase not in QUALIFIERS:
            # the style named stays the core ("a cappella" is left to the qualifiers: vocal)
            tokens.consume(first, last)
        elif phrase in ALIASES:
            continue  # "accordion music" alone: the instrument is the style asked for
        notices.append(notice_code("instrument", " ".join(tokens.original[first:last])))


def _names_a_style(tokens: Tokens, hidden: set[int]) -> bool:
    """Whether a genre word stands outside the instrument phrases ("blues", "Rockmusik",
    "swedish"), as the genre readers would see it."""
    words = [
        (i, word) for i, word in enumerate(tokens.folded) if i not in hidden and not tokens.used[i]
    ]
    for n, (i, word) in enumerate(words):
        if word in ALIASES or nationality(word) is not None:
            return True
        pair = (
            f"{word} {words[n + 1][1]}" if n + 1 < len(words) and words[n + 1][0] == i + 1 else ""
        )
        if pair in ALIASES:
            return True
        for suffix in COMPOUND_SUFFIXES:
            if word.endswith(suffix) and word[: -len(suffix)] in ALIASES:
                return True
    return False
