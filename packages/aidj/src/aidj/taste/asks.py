"""Prompts that ask for the listener's own taste ("my favourites", "nuevo para mí").

The phrases live in each pack's ``taste.json`` (``asks``). A phrase found is taken out of the
prompt, so the interpreter reads the rest ("… but calmer") without mistaking "like what I
usually play" for an artist to play like.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from aidj.intent import Intent
from aidj.languages import language_packs
from aidj.text import fold


class Ask(str, Enum):  # noqa: UP042  (values travel in JSON)
    FAVOURITES = "favourites"  # the artists they play most
    DEEP_CUTS = "deep_cuts"  # their top artists' lesser-known tracks
    NOT_LATELY = "not_lately"  # what they love but have not played lately
    NEW_TO_ME = "new_to_me"  # artists near their taste they do not play
    USUAL = "usual"  # their usual sound (its centre and genres)


@dataclass(frozen=True, slots=True)
class AskReading:
    ask: Ask | None  # None: the prompt asks nothing of the listener's taste
    rest: str  # the prompt without the ask's phrase, for the interpreter
    language: str | None = None  # the pack the phrase came from (the answer's language)


@lru_cache(maxsize=1)
def _phrases() -> list[tuple[str, re.Pattern[str], Ask, str]]:
    """Every pack's ask phrases with their language, longest first, so "deep cuts from my top
    artists" wins over "my top artists"; each with its pattern (at word boundaries), compiled
    once: every playlist request asks."""
    found = [
        (phrase, Ask(kind), code)
        for code, pack in language_packs().packs.items()
        for kind, phrases in sorted(pack.taste.asks.items())
        for phrase in phrases
    ]
    return [
        (phrase, re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)"), ask, code)
        for phrase, ask, code in sorted(found, key=lambda pac: (-len(pac[0]), pac[0], pac[2]))
    ]


def read_ask(prompt: str) -> AskReading:
    """The ask a prompt makes of the listener's taste, and the prompt without it.

    Matching is on the folded prompt, at word boundaries; the rest keeps its original spelling.
    """
    folded = fold(prompt)
    if len(folded) != len(prompt):
        # folding changed the length ("ß" -> "ss"): cut from the folded text instead
        prompt = folded
    for phrase, pattern, ask, code in _phrases():
        # the substring test first: the pattern can only match where the phrase stands
        if phrase in folded and (match := pattern.search(folded)):
            rest = prompt[: match.start()] + " " + prompt[match.end() :]
            return AskReading(ask, " ".join(rest.split()).strip(" ,.;:-"), code)
    return AskReading(None, prompt)


def intent_for(reading: AskReading, interpret: Callable[[str], Intent]) -> Intent:
    """The intent of a prompt that asked for taste: the interpreter reads what is left, and
    nothing when nothing is ("my favourites" alone is not an unreadable prompt)."""
    if reading.ask is None:
        return interpret(reading.rest)
    intent = interpret(reading.rest) if reading.rest else Intent()
    if intent.language is None or not reading.rest:
        intent = intent.replace(language=reading.language)
    return intent
