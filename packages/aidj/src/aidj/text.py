"""Text helpers shared by the interpreter: tokenising and phrase matching (folding: `folding.py`).

Matching works on a list of tokens so that a matched phrase can be *consumed*: once
"start slow" has been read as an energy arc, "slow" must not also lower the tempo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

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


def longest_first(phrases: Iterable[str]) -> list[str]:
    """Most words first, then most characters, then alphabetical: the same order in every process."""
    return sorted(set(phrases), key=lambda p: (-len(p.split()), -len(p), p))
