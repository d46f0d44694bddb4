"""A playlist's name from its prompt, cased the way a listener wrote it.

Only the first letter of the first word is raised; every other word keeps the user's casing
("Miles Davis", "AC/DC", "k-pop"), except a lowercase acronym the packs list
(``common/genres.json`` ``acronyms``), which is written as listed ("r&b" -> "R&B").
"""

from __future__ import annotations

import re
from functools import lru_cache

from aidj.languages import language_packs

DEFAULT_NAME = "AI DJ Mix"
MAX_PROMPT_CHARS = 60  # of the prompt read into the name; the Intent caps names at 100
# A word's punctuation around it ("(r&b)," -> "(", "r&b", "),"); "&" and "/" inside stay.
_WORD = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


@lru_cache(maxsize=1)
def _acronyms() -> dict[str, str]:
    return {word.casefold(): word for word in language_packs().common.genres.acronyms}


def playlist_name(prompt: str) -> str:
    """The prompt's first words as a name: "r&b slow jams" -> "R&B slow jams"."""
    text = " ".join(prompt.split())[:MAX_PROMPT_CHARS].strip(" .,!?;:")
    if not any(ch.isalnum() for ch in text):
        return DEFAULT_NAME
    acronyms = _acronyms()  # once a name, not once a word
    words = [_cased(word, acronyms) for word in text.split(" ")]
    words[0] = _first_letter_raised(words[0])
    return " ".join(words)


def _cased(word: str, acronyms: dict[str, str]) -> str:
    if word.isalnum():  # no punctuation around it (most words): the whole word is the core
        before, core, after = "", word, ""
    else:
        match = _WORD.match(word)
        if match is None:  # pragma: no cover - the pattern matches every string
            return word
        before, core, after = match.groups()
    if core != core.lower():  # the user capitalised it: theirs to keep
        return word
    return before + acronyms.get(core.casefold(), core) + after


def _first_letter_raised(word: str) -> str:
    """ "¿música" -> "¿Música"; a word starting with a digit ("90s") is left alone."""
    for i, ch in enumerate(word):
        if ch.isalnum():
            return word[:i] + ch.upper() + word[i + 1 :] if ch.isalpha() else word
    return word
