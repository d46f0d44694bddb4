"""Text helpers shared by the interpreter: tokenising and phrase matching (folding: `folding.py`).

Matching works on a list of tokens so that a matched phrase can be *consumed*: once
"start slow" has been read as an energy arc, "slow" must not also lower the tempo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from aidj.folding import fold
from aidj.languages import language_packs

# Words, plus clause punctuation kept as tokens: an exclusion ("sin X, ...") ends at a comma.
_TOKEN = re.compile(r"[^\s,;:!?¡¿()\[\]{}\"“”«»/|]+|[,;:!?]")


# Elisions ("l'amour", "un'ora", "dell'estate") split into two words; English contractions
# ("don't") and "rock'n'roll" are left alone.
_ELISION = re.compile(
    r"\b(" + "|".join(map(re.escape, language_packs().merged.words.elisions)) + r")['’](?=\w)",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Tokens:
    """A prompt as original and folded tokens, with a consumed flag per token."""

    original: list[str]
    folded: list[str]
    used: list[bool]

    @classmethod
    def of(cls, text: str) -> Tokens:
        if "'" in text or "’" in text:  # an elision needs an apostrophe: most prompts have none
            text = _ELISION.sub(r"\1 ", text)
        original = [t.strip(".") for t in _TOKEN.findall(text) if t.strip(".")]
        folded = [fold(t) for t in original]
        return cls(original, folded, [False] * len(original))

    def find(self, phrase: str, start: int = 0) -> int:
        """Index of the first unconsumed occurrence of a folded phrase, or -1."""
        words = phrase.split()
        n, folded = len(words), self.folded
        i = start
        # jump between occurrences of the first word (list.index runs in C): the interpreter
        # tries ~2,000 phrases, and a long prompt must not cost each of them a Python loop
        while True:
            try:
                i = folded.index(words[0], i)
            except ValueError:
                return -1
            if i + n > len(folded):
                return -1
            if folded[i : i + n] == words and not any(self.used[i : i + n]):
                return i
            i += 1

    def take(self, phrase: str) -> int:
        """Find and consume a phrase; returns its index or -1."""
        i = self.find(phrase)
        if i >= 0:
            for j in range(i, i + len(phrase.split())):
                self.used[j] = True
        return i

    def consume(self, start: int, end: int) -> None:
        for j in range(start, min(end, len(self.used))):
            self.used[j] = True

    def free_text(self) -> str:
        return " ".join(t for t, u in zip(self.folded, self.used) if not u)


V = TypeVar("V")


class PhraseIndex(Generic[V]):
    """Phrases (each with a value) in the order a reader tries them, grouped by first word.

    A reader that tries every phrase of a pack against a prompt searches ~2,000 phrases, almost
    all absent; built once per pack at import, this index hands it only those whose words the
    prompt all holds, still in its order, so the result is what trying all of them would give.
    """

    __slots__ = ("_by_first", "_rest", "entries")

    def __init__(self, entries: Sequence[tuple[str, V]]) -> None:
        self.entries = list(entries)
        self._by_first: dict[str, list[int]] = {}
        # each phrase's words after its first: "pop" opens ~30 genre phrases, and a prompt
        # holding "pop" rarely holds the rest of more than one of them
        self._rest: list[frozenset[str]] = []
        for n, (phrase, _) in enumerate(self.entries):
            first, *rest = phrase.split()
            self._by_first.setdefault(first, []).append(n)
            self._rest.append(frozenset(rest))

    @classmethod
    def of(cls, phrases: Iterable[str]) -> PhraseIndex[str]:
        """An index whose values are the phrases themselves."""
        return PhraseIndex([(p, p) for p in phrases])

    def starting_with(self, word: str) -> list[V]:
        """The values of the phrases that start with ``word``, in the index's order."""
        return [self.entries[n][1] for n in self._by_first.get(word, ())]

    def opens_any(self, words: Iterable[str]) -> bool:
        """Whether one of ``words`` is the first word of a phrase: a reader that walks a prompt
        looking for phrase starts has nothing to find when none is (looked up in C)."""
        return not self._by_first.keys().isdisjoint(words)

    def present(self, tokens: Tokens) -> list[V]:
        """The values of the phrases whose words are all among the prompt's folded words, in
        the index's order: every phrase ``tokens.find`` could place (a later write to
        ``tokens.folded`` is not seen: call it again after one)."""
        # the first words both hold, found in C (most packs share none with a prompt); a set's
        # order varies between processes, so only the sorted positions decide the order
        words = self._by_first.keys() & tokens.folded
        if not words:
            return []
        held = set(tokens.folded)
        rest = self._rest
        hits = [n for word in words for n in self._by_first[word] if rest[n] <= held]
        hits.sort()
        return [self.entries[n][1] for n in hits]


def longest_first(phrases: Iterable[str]) -> list[str]:
    """Most words first, then most characters, then alphabetical: the same order in every process."""
    return sorted(set(phrases), key=lambda p: (-len(p.split()), -len(p), p))
