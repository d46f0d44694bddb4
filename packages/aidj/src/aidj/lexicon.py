"""Moods and activities people ask for, and what they mean musically.

Each :class:`Concept` carries the words that trigger it (accent-folded, lowercase, matched
as whole words or phrases; from every language pack's ``moods.json``) and the audio-feature
settings it implies (``languages/common/moods.json``). ``description`` is an English sentence
used by the embedding matcher when no word matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aidj.endings import Endings
from aidj.languages import language_packs


@dataclass(frozen=True, slots=True)
class Concept:
    name: str
    words: tuple[str, ...]
    settings: dict[str, Any]
    description: str
    genres: tuple[str, ...] = field(default=())  # only used when the prompt names no genre
    weight: float = 1.0  # how strongly its settings pull when several concepts are mentioned


def _concepts() -> tuple[Concept, ...]:
    packs = language_packs()
    words = packs.merged.moods.concepts
    return tuple(
        Concept(
            c.name, tuple(words[c.name]), dict(c.settings), c.description, tuple(c.genres), c.weight
        )
        for c in packs.common.moods.concepts
    )


CONCEPTS: tuple[Concept, ...] = _concepts()

# Qualifiers nudge a single feature and are applied after concepts: phrase -> nudges.
QUALIFIERS: dict[str, dict[str, Any]] = {
    phrase: language_packs().common.moods.qualifiers[name]
    for name, phrases in language_packs().merged.moods.qualifiers.items()
    for phrase in phrases
}


# ------------------------------------------------------------ lookups

CONCEPT_PHRASES: list[tuple[str, Concept]] = sorted(
    ((w, c) for c in CONCEPTS for w in c.words),
    key=lambda wc: (-len(wc[0].split()), -len(wc[0])),
)
SINGLE_WORD_CONCEPTS = {w: c for w, c in reversed(CONCEPT_PHRASES) if " " not in w and len(w) >= 4}
# German/Romance adjective endings, longest first: a word ends in at most one of each length.
INFLECTIONS = tuple(sorted(language_packs().merged.words.inflections, key=lambda s: (-len(s), s)))
_INFLECTION_ENDINGS = Endings(INFLECTIONS)


_BY_PHRASE = {w: c for w, c in reversed(CONCEPT_PHRASES)}
# The first four characters of every concept word or phrase of four or more. A stem or base
# form is at least four characters and starts the word it comes from, so a word of four or
# more whose opening is not here names no concept, however inflected or glued: its base forms
# (dozens of slices and joins a word) need not be made.
CONCEPT_OPENINGS = frozenset(w[:4] for w in _BY_PHRASE if len(w) >= 4)


def concept_for(phrase: str) -> Concept | None:
    """The concept a phrase (or an inflected single word) names, if any."""
    if phrase in _BY_PHRASE:
        return _BY_PHRASE[phrase]
    if " " not in phrase and phrase[:4] in CONCEPT_OPENINGS:
        for base in base_forms(phrase):
            if base in SINGLE_WORD_CONCEPTS:
                return SINGLE_WORD_CONCEPTS[base]
    return None


def stems(word: str) -> list[str]:
    """Candidate base forms of an inflected word (German/Romance adjective endings)."""
    return [word[: -len(e)] for e in _INFLECTION_ENDINGS.of(word) if len(word) - len(e) >= 4]


def base_forms(word: str) -> list[str]:
    """Stems, then each stem with the other endings: Italian "allegre" is "allegra"/"allegro",
    "sdolcinate" is "sdolcinato" — a plural or gender form reads like the base the packs list."""
    bases = stems(word)
    return bases + [
        base + ending for base in bases for ending in INFLECTIONS if base + ending != word
    ]
