"""Typos in prompts: "hapy summr songz", "nothng explicit", "contry", "Musik zum Enstpannen".

A word the language packs do not know, one edit away from exactly one word they do know (a
letter missing, extra or wrong), is read as that word. Candidates are found through
single-letter deletions of both words (the SymSpell idea), so looking a word up costs a few
dictionary probes, not a scan. Artist names are never touched: only the folded copy of a
token changes, and the original stays for the artist readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

# Shorter words are too often one letter from another real word: "blow" is no typo of "slow",
# nor "main" of "matin".
MIN_LENGTH = 5


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.known = frozenset(w for w in vocabulary if w.isalpha() or "-" in w)
        self._index: dict[str, tuple[str, ...]] | None = None

    @property
    def _by_delete(self) -> dict[str, tuple[str, ...]]:
        """Deletion index, built on the first word that needs it: most prompts are spelt right,
        and the index is a tenth of a CLI playlist's start-up."""
        if self._index is None:
            by_delete: dict[str, set[str]] = {}
            for word in self.known:
                if len(word) >= MIN_LENGTH:
                    for d in _deletes(word):
                        by_delete.setdefault(d, set()).add(word)
            self._index = {d: tuple(sorted(words)) for d, words in by_delete.items()}
        return self._index

    def correct(self, word: str) -> str:
        """The known word ``word`` is a typo of, or ``word`` itself."""
        if len(word) < MIN_LENGTH or word in self.known or not word.isalpha():
            return word
        by_delete = self._by_delete
        candidates: set[str] = set(by_delete.get(word, ()))  # a letter missing: "summr"
        for d in _deletes(word):
            if d in self.known and len(d) >= MIN_LENGTH:
                candidates.add(d)  # a letter too many: "songss"
            candidates.update(by_delete.get(d, ()))  # a wrong letter: "songz", "beech"
        # two deletions at different places can make two words meet that are two edits apart
        # ("stage" and "trage" both give "tage"): keep true single edits only
        candidates = {c for c in candidates if _one_edit(word, c)}
        if not candidates:
            return word
        # prefer a wrong letter over a missing or extra one, then the first in order: deterministic
        ranked = sorted(candidates, key=lambda c: (abs(len(c) - len(word)), c))
        best = ranked[0]
        ties = [c for c in ranked if abs(len(c) - len(word)) == abs(len(best) - len(word))]
        return best if len(ties) == 1 else word


def _one_edit(a: str, b: str) -> bool:
    """One letter missing, extra or wrong, or two neighbours swapped ("enstpannen")."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return len(longer) - len(shorter) == 1 and any(
        longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))
    )


@lru_cache(maxsize=1)
def pack_speller() -> Speller:
    """A speller over every single word the language packs know."""
    from aidj.languages import language_packs

    merged = language_packs().merged
    words: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            words.update(value.split())
        elif isinstance(value, dict):
            for key, item in value.items():
                words.update(str(key).split())
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif hasattr(value, "__dict__"):
            walk(vars(value))

    for section in ("words", "moods", "genres", "numbers", "arcs", "exclusions"):
        walk(getattr(merged, section))
    common = language_packs().common
    walk(list(common.genres.genres))
    from aidj.eras import era_vocabulary

    walk(era_vocabulary())
    return Speller(w for w in words if not w.replace(".", "").isdigit())
