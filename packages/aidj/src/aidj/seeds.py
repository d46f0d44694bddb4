"""Seed artists: "songs like Daft Punk", "au style d'Adele", "zoals Snow Patrol"."""

from __future__ import annotations

from typing import Any

from aidj.exclusions import STOP_WORDS, ArtistResolver
from aidj.folding import fold
from aidj.genres import ALIASES
from aidj.languages import language_packs
from aidj.lexicon import CONCEPTS, QUALIFIERS
from aidj.text import PhraseIndex, Tokens, longest_first

_SEED_MARKERS = PhraseIndex.of(longest_first(language_packs().merged.words.seed_markers))
# Words the lexicon already gives a meaning; an artist called "Relaxation" must not steal them.
_LEXICON_WORDS = {w for c in CONCEPTS for w in c.words} | set(QUALIFIERS) | set(ALIASES)


def read_seeds(tokens: Tokens, out: dict[str, Any], resolve_artist: ArtistResolver) -> None:
    """ "like Daft Punk", "im Stil von Adele": seed artists after the packs' seed markers."""
    for marker in _SEED_MARKERS.present(tokens):
        start = 0
        while (i := tokens.find(marker, start)) >= 0:
            j = i + len(marker.split())
            k = j
            while k < len(tokens.folded) and k - j < 4 and tokens.folded[k] not in STOP_WORDS:
                k += 1
            found = None
            for n in range(k - j, 0, -1):
                name = " ".join(tokens.original[j : j + n])
                if fold(name) in ALIASES and n == 1:
                    break
                if fold(name) in _LEXICON_WORDS:
                    continue
                resolved = resolve_artist(name)
                if resolved and (len(name) > 3 or name[:1].isupper()):
                    found = (resolved, j + n)
                    break
            if found:
                out.setdefault("seed_artists", []).append(found[0])
                tokens.consume(i, found[1])
            start = i + 1
