"""Folding text to the form every pack phrase is written in: lowercase, accent-free.

Its own module, with no imports from the packs, so the packs' schema can check its phrases
with the same folding the interpreter matches them with.
"""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "’": "'", "`": "'"}
)


def fold(text: str) -> str:
    """Lowercase, accent-free form ("Música Tranquila" -> "musica tranquila")."""
    text = text.lower().translate(_SPECIAL)
    if text.isascii():  # most prompts and words: nothing to decompose (~6 folds a prompt)
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))
