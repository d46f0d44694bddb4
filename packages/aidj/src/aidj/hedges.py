"""Hedges: "sad songs but not too slow", "ruhig, aber nicht langweilig", "triste pero no deprimente".

A hedge bounds one feature; it never flips the request. A negation or hedge opener (the packs'
``exclusions.json`` ``negations`` and ``hedges``), then a word the packs list under ``hedged``
(sorted by the end of a feature it names: "boring" is energy_low), becomes a limit in
``Intent.bounds``: "not boring" keeps energy off the floor, "not too loud" keeps it off the
ceiling. The mood read elsewhere stays; its targets are only moved inside the limits
(``keep_inside``). A list goes on: "not too loud or fast", "ni triste ni lenta".

A hedge of degree before a style ("not too twangy", "nicht zu poppig", "pas trop rock") leaves
that sub-style out and never adds it (``leave_out_hedged_styles``).
"""

from __future__ import annotations

from typing import Any

from aidj.genres import ALIASES
from aidj.languages import language_packs
from aidj.lexicon import base_forms
from aidj.text import Tokens, longest_first

_WORDS = language_packs().merged.exclusions
# first word -> openers starting with it, longest first: one dict lookup per prompt word
_OPENERS: dict[str, list[list[str]]] = {}
for _opener in longest_first([*_WORDS.negations, *_WORDS.hedges]):
    _OPENERS.setdefault(_opener.split()[0], []).append(_opener.split())
_SKIPPED = frozenset([*_WORDS.skip_after_negation, *_WORDS.comparatives])
_LIST = frozenset([*_WORDS.list_conjunctions, *_WORDS.negations, ","])
# word -> the feature ends it names, in HEDGE_ENDS order (one pass over the packs' classes)
_ENDS: dict[str, list[tuple[str, str]]] = {}
for _end, _phrases in sorted(_WORDS.hedged.items()):
    _feature, _side = _end.rsplit("_", 1)
    for _phrase in _phrases:
        _ENDS.setdefault(_phrase, []).append((_feature, _side))

# Where a hedge puts the limit: off the floor ("not boring": energy >= 0.4) or off the ceiling
# ("not too loud": energy <= 0.7). Unit features 0..1, tempo in BPM.
LOW_LIMIT = {"energy": 0.4, "valence": 0.3, "danceability": 0.35, "acousticness": 0.15, "tempo": 95}
HIGH_LIMIT = {"energy": 0.7, "valence": 0.7, "danceability": 0.8, "acousticness": 0.8, "tempo": 135}
_DEGREES = frozenset(_WORDS.degrees)  # "too", "trop", "zu": a hedge of degree
# style adjective -> its catalog slug ("twangy" -> honky-tonk), read only after a hedge of degree
_STYLES = {word: slug for slug, words in sorted(_WORDS.hedged_styles.items()) for word in words}
_MAX_SKIPPED = 2  # "not too", "pas trop de": what may stand between the opener and the word


def read_hedges(tokens: Tokens, out: dict[str, Any]) -> None:
    """Every hedge in the prompt, as limits in ``out["bounds"]``; its words are consumed."""
    folded, used = tokens.folded, tokens.used
    if _OPENERS.keys().isdisjoint(folded):
        return  # every hedge starts with an opener's first word (most prompts hold none)
    i = 0
    while i < len(folded):
        n = _opener_at(tokens, i)
        if not n:
            i += 1
            continue
        j = i + n
        while j < len(folded) and j - (i + n) < _MAX_SKIPPED and folded[j] in _SKIPPED:
            j += 1
        if j < len(folded) and not used[j] and (style := _hedged_style(tokens, i, j)):
            # "not too twangy", "pas trop rock": the sub-style is left out, never added
            slugs, end = style
            out.setdefault("_hedged_styles", []).extend(slugs[:1])
            tokens.consume(i, end)
            i = end
            continue
        if j >= len(folded) or used[j] or not _hedged(folded[j]) or _genre_phrase_at(folded, j):
            i += n
            continue
        end = j + 1
        _bound(out, _hedged(folded[j]))
        # "not too loud or fast", "ni triste ni lenta": the list goes on while hedged words follow
        while end + 1 < len(folded) and folded[end] in _LIST and _hedged(folded[end + 1]):
            _bound(out, _hedged(folded[end + 1]))
            end += 2
        tokens.consume(i, end)
        i = end


def _hedged_style(tokens: Tokens, i: int, j: int) -> tuple[tuple[str, ...], int] | None:
    """The style a hedge of degree names at ``j`` ("too twangy", "trop rock", "zu poppige") as
    (its slugs, the end of its words); None when the hedge has no degree word ("no rock" is an
    exclusion, read by aidj.exclusions) or no style follows."""
    folded = tokens.folded
    if not any(word in _DEGREES for word in folded[i:j]):
        return None
    for n in (3, 2, 1):
        if j + n > len(folded) or any(tokens.used[j : j + n]):
            continue
        phrase = " ".join(folded[j : j + n])
        if phrase in ALIASES:
            return ALIASES[phrase], j + n
    word = folded[j]
    slug = next((_STYLES[w] for w in (word, *base_forms(word)) if w in _STYLES), None)
    return ((slug,), j + 1) if slug else None


def leave_out_hedged_styles(out: dict[str, Any], genres: list[str], named: list[list[str]]) -> None:
    """A hedged sub-style is ruled out, and dropped from the styles wanted (in place), unless it
    is the very style asked for: "country, not too twangy" leaves honky-tonk out; "rock, but
    not too rock" still plays rock."""
    asked = genres[:1]
    hedged = [s for s in out.pop("_hedged_styles", []) if s not in asked]
    if not hedged:
        return
    excluded = out.setdefault("exclude_genres", [])
    excluded.extend(s for s in dict.fromkeys(hedged) if s not in excluded)
    genres[:] = [g for g in genres if g not in hedged]
    for group in named:
        group[:] = [g for g in group if g not in hedged]


def _hedged(word: str) -> str:
    """The packs' hedged word a prompt word is, inflected or not ("deprimidas" -> "deprimida",
    "trauriger" -> "traurig"); "" when it is none."""
    if word in _ENDS:
        return word
    return next((base for base in base_forms(word) if base in _ENDS), "")


def _opener_at(tokens: Tokens, i: int) -> int:
    for words in _OPENERS.get(tokens.folded[i], ()):
        n = len(words)
        if tokens.folded[i : i + n] == words and not any(tokens.used[i : i + n]):
            return n
    return 0


def _genre_phrase_at(folded: list[str], j: int) -> bool:
    """ "not hard rock", "no heavy metal": a genre's name, which the exclusions read."""
    return any(" ".join(folded[j : j + n]) in ALIASES for n in (2, 3) if j + n <= len(folded))


def _bound(out: dict[str, Any], word: str) -> None:
    bounds: dict[str, list[float | None]] = out.setdefault("bounds", {})
    for feature, side in _ENDS[word]:
        lo, hi = bounds.get(feature, [None, None])
        if side == "low":
            lo = max(lo or 0.0, LOW_LIMIT[feature])
        else:
            hi = min(hi if hi is not None else HIGH_LIMIT[feature], HIGH_LIMIT[feature])
        bounds[feature] = [lo, hi]


def keep_inside(out: dict[str, Any]) -> None:
    """Move the targets read from the rest of the prompt inside the hedges' limits: "sad but not
    too slow" stays sad, only its energy comes off the floor."""
    for feature, (lo, hi) in out.get("bounds", {}).items():
        value = out.get(feature)
        if value is None:
            continue
        if lo is not None and value < lo:
            out[feature] = lo
        if hi is not None and value > hi:
            out[feature] = hi
