"""Mood and activity words in a prompt (concepts), qualifiers, and what they set.

The words are the packs' ``moods.json`` (through ``lexicon.py``); this module holds the
readings: whole phrases first, then inflected, glued and hyphenated single words.
"""

from __future__ import annotations

from typing import Any

from aidj.genres import ALIASES, COMPOUND_ENDINGS, COMPOUND_SUFFIXES
from aidj.languages import language_packs
from aidj.lexicon import (
    CONCEPT_OPENINGS,
    CONCEPT_PHRASES,
    CONCEPTS,
    QUALIFIERS,
    SINGLE_WORD_CONCEPTS,
    Concept,
    base_forms,
    concept_for,
)
from aidj.text import PhraseIndex, Tokens, longest_first

_WORDS = language_packs().merged.words
CONTEXT_WORDS = frozenset(_WORDS.after)  # "after my run" is a cool-down, not a run
_ARTICLES = frozenset(_WORDS.articles)
_COOL_DOWN = next((c for c in CONCEPTS if c.name == "calm"), None)
_QUALIFIER_PHRASES = PhraseIndex.of(longest_first(QUALIFIERS))
_CONCEPT_PHRASES = PhraseIndex([(phrase, (phrase, c)) for phrase, c in CONCEPT_PHRASES])


def _after_context(folded: list[str], i: int) -> bool:
    """Whether an "after" word stands shortly before position i, with only articles, short words
    or one noun between: "after my run", "después d correr", "après ma séance de sport"."""
    for back in range(1, 5):
        if i - back < 0:
            return False
        if folded[i - back] in CONTEXT_WORDS:
            between = folded[i - back + 1 : i]
            return sum(w not in _ARTICLES and len(w) > 2 for w in between) <= 1
    return False


def _inflected(word: str) -> list[Concept]:
    """ "traurige", "ruhigen", "tristes", "calmas" -> the lexicon's base word."""
    if len(word) < 5 or word[:4] not in CONCEPT_OPENINGS:
        return []  # every base form starts with the word's first four characters
    return next(
        ([SINGLE_WORD_CONCEPTS[base]] for base in base_forms(word) if base in SINGLE_WORD_CONCEPTS),
        [],
    )


def _glued_to_music(word: str) -> list[Concept]:
    """ "feestmuziek", "Sommerhits": a mood word glued to "music" or "hits"."""
    if not word.endswith(COMPOUND_SUFFIXES):  # one test for all suffixes (most words)
        return []
    for suffix in COMPOUND_ENDINGS.of(word):
        if len(word) > len(suffix) + 2:
            concept = concept_for(word[: -len(suffix)])
            if concept is not None:
                return [concept]
    return []


def _two_moods(word: str) -> list[Concept]:
    """ "kinderfeestje", "Sommerparty": two mood words glued together count as both."""
    if len(word) < 8 or word in ALIASES or word[:4] not in CONCEPT_OPENINGS:
        return []  # every head is four or more characters that start the word
    for cut in range(4, len(word) - 3):
        head, tail = concept_for(word[:cut]), concept_for(word[cut:])
        if head is not None and tail is not None:
            return [head, tail]
    return []


def _hyphenated(word: str) -> list[Concept]:
    """ "gute-Laune-Musik", "Feel-good-Sommerhits": the longest run of parts that names a mood."""
    if "-" not in word:
        return []
    parts = [p for p in word.split("-") if p]
    runs = (
        " ".join(parts[a : a + n])
        for n in range(len(parts), 0, -1)
        for a in range(len(parts) - n + 1)
    )
    return next(([c] for run in runs if (c := concept_for(run)) is not None), [])


def read_concepts(tokens: Tokens) -> list[Concept]:
    """Mood and activity concepts; an energetic activity that is over asks for calm."""
    found: list[Concept] = []
    for phrase, concept in _CONCEPT_PHRASES.present(tokens):
        i = tokens.find(phrase)
        if i < 0:
            continue
        tokens.take(phrase)
        # "after my run", "después d correr", "nach dem Laufen": the activity is over
        context = _after_context(tokens.folded, i)
        if context and (concept.settings.get("energy") or 0) >= 0.6:
            cooled = _COOL_DOWN  # after a run or a workout comes the cool-down
            if cooled is not None and cooled not in found:
                found.append(cooled)
        elif not context and concept not in found:
            found.append(concept)
    # then single unread words, one reading at a time over the whole prompt; a word no concept
    # word opens, with no hyphen and no "music" ending, has no reading (most words: no calls)
    folded, used = tokens.folded, tokens.used
    readable = [
        (i, w)
        for i, w in enumerate(folded)
        if not used[i] and (w[:4] in CONCEPT_OPENINGS or "-" in w or w.endswith(COMPOUND_SUFFIXES))
    ]
    for reading in (_inflected, _glued_to_music, _two_moods, _hyphenated):
        for i, word in readable:
            if used[i] or not (concepts := reading(word)):
                continue
            tokens.used[i] = True
            found.extend(c for c in concepts if c not in found)
    return found


def read_qualifiers(tokens: Tokens) -> list[dict[str, Any]]:
    found = []
    for phrase in _QUALIFIER_PHRASES.present(tokens):
        if tokens.take(phrase) >= 0:
            found.append(QUALIFIERS[phrase])
    return found


def apply_concepts(concepts: list[Concept], has_genres: bool, out: dict[str, Any]) -> None:
    sums: dict[str, list[tuple[float, float]]] = {}
    if (label := _label(concepts)) is not None:
        out.setdefault("mood", label)
    for concept in concepts:
        for key, value in concept.settings.items():
            if key == "mood":
                continue
            elif key in ("explicit", "mode"):
                if value is not None:
                    out.setdefault(key, value)
            else:
                sums.setdefault(key, []).append((float(value), concept.weight))
    for key, pairs in sums.items():
        # weighted: "hard rock for a night drive" is hard first, nocturnal second
        total = sum(w for _, w in pairs)
        out.setdefault(key, sum(v * w for v, w in pairs) / total)
    if not has_genres:
        for concept in concepts:
            if concept.genres:
                out["genres"] = list(concept.genres)
                break


_CONTRADICTS = 0.3  # how far apart two concepts' energy or valence are when they disagree


def _label(concepts: list[Concept]) -> str | None:
    """The mood label: the first concept's, unless a stronger one contradicts it ("canciones
    tristes para conducir de noche" is sad on a drive, not an upbeat road trip, however long the
    activity's phrase); agreeing words keep the first ("rustige muziek om te studeren": focused)."""
    moods = [c for c in concepts if c.settings.get("mood")]
    if not moods:
        return None
    first = moods[0]
    stronger = [
        c
        for c in moods
        if c.weight > first.weight
        and any(
            abs(float(c.settings[key]) - float(first.settings[key])) > _CONTRADICTS
            for key in ("energy", "valence")
            if c.settings.get(key) is not None and first.settings.get(key) is not None
        )
    ]
    return str(
        max(stronger, key=lambda c: c.weight).settings["mood"]
        if stronger
        else first.settings["mood"]
    )


def apply_qualifiers(qualifiers: list[dict[str, Any]], out: dict[str, Any]) -> None:
    for q in qualifiers:
        for key, value in q.items():
            if key == "energy_min":
                out["energy"] = max(out.get("energy") or 0.0, (value + 1.0) / 2)
            elif key == "energy_max":
                out["energy"] = min(out.get("energy") or 1.0, value * 0.75)
            elif key == "tempo":
                out.setdefault("tempo", value)
            elif key == "liveness_hint":
                continue
            else:
                out[key] = value
