"""Quantities in a prompt: how many tracks, how long, how fast.

The patterns are here; their words (numbers, units, "and a half", "at least") come from each
language pack's ``numbers.json``. Numbers come as digits or words ("twenty", "quince", "une vingtaine",
"una trentina"); lengths as minutes, hours, halves and quarters ("1h30", "dos horas y
media", "une heure et quart"); tempo as a BPM target, floor, ceiling or range. Every reader
consumes the tokens it used, so "25 classic rock songs" leaves "classic rock" for the genres.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from aidj.genres import ALIASES, COMPOUND_STEMS
from aidj.languages import language_packs
from aidj.lexicon import concept_for
from aidj.text import Tokens

_WORDS = language_packs().merged.numbers


def _any(phrases: list[str]) -> str:
    """A regex alternation of phrases, longest first (a space matches any run of spaces)."""
    return "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=lambda p: (-len(p), p))
    )


_WORD_NUMBERS = _WORDS.numbers
_HALF_HOUR_RE = re.compile(rf"\b({_any(_WORDS.half_hour)})\b")
_AND_HALF_RE = re.compile(rf"\b({_any([*_WORDS.and_a_half, *_WORDS.and_a_half_words])})\b")


class _Words(NamedTuple):
    """Per kind, the pack phrases that occur in one prompt."""

    numbers: tuple[str, ...]
    songs: tuple[str, ...]
    of: tuple[str, ...]
    hours: tuple[str, ...]
    minutes: tuple[str, ...]
    and_: tuple[str, ...]
    and_a_half: tuple[str, ...]
    and_a_quarter: tuple[str, ...]


_ALL = _Words(
    tuple(_WORD_NUMBERS),
    tuple(_WORDS.song_words),
    tuple(_WORDS.of_words),
    tuple(_WORDS.hour_words),
    tuple(_WORDS.minute_words),
    tuple(_WORDS.and_words),
    tuple(_WORDS.and_a_half),
    tuple(_WORDS.and_a_quarter),
)


# Each phrase beside its single-spaced form, the form a prompt's text is searched for.
_ALL_SPACED = tuple(tuple((p, " ".join(p.split())) for p in kind) for kind in _ALL)

# Testing all ~400 phrases as substrings of every prompt cost a Python loop each. A phrase can
# only occur where its first three characters do, so only the phrases opening with one of the
# text's three-character pieces (plus the few shorter than three) are tested.
_OPENING = 3
_BY_OPENING: dict[str, list[tuple[int, int]]] = {}
_SHORT: list[tuple[int, int]] = []
for _kind, _spaced in enumerate(_ALL_SPACED):
    for _n, (_, _s) in enumerate(_spaced):
        if len(_s) < _OPENING:
            _SHORT.append((_kind, _n))
        else:
            _BY_OPENING.setdefault(_s[:_OPENING], []).append((_kind, _n))


def _alt(phrases: tuple[str, ...]) -> str:
    """``_any`` of the phrases; a pattern that never matches when there are none."""
    return _any(list(phrases)) if phrases else "(?!)"


class _Patterns(NamedTuple):
    count: re.Pattern[str] | None
    durations: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], float | None]], ...]


@lru_cache(maxsize=256)
def _patterns(words: _Words) -> _Patterns:
    """The count and length patterns, holding only the pack words a prompt contains.

    The seven languages' ~200 number words, ~90 song words and their units made these patterns
    a quarter of the CLI's start-up to compile; a pattern can only ever match words the text
    holds, so one built from those words (longest first, as before) finds the same matches.
    """
    num = r"(\d+(?:[.,]\d+)?" + (f"|{_any(list(words.numbers))}" if words.numbers else "") + ")"
    hour, minute = _alt(words.hours), _alt(words.minutes)
    half, quarter = _alt(words.and_a_half), _alt(words.and_a_quarter)
    count = re.compile(
        rf"\b{num}\s+(?:(?:{_alt(words.of)})\s+)?(?:[\w'-]+\s+){{0,3}}?([\w'-]*?)({_alt(words.songs)})\b"
    )
    hours = re.compile(
        rf"\b{num}\s*(?:{hour})(?=\b|\d)(?:\s*(?:{_alt(words.and_)})?\s*(\d+)\s*(?:{minute})?\b)?"
    )
    minutes = re.compile(rf"\b{num}\s*(?:{minute})\b")
    n_and_half_hours = re.compile(
        rf"\b{num}\s+(?:{half})\s+(?:{hour})\b|\b{num}\s*(?:{hour})\s+(?:{half})\b"
    )
    n_and_quarter_hours = re.compile(
        rf"\b{num}\s*(?:{hour})\s+(?:{quarter})\b|\b{num}\s+(?:{quarter})\s+(?:{hour})\b"
    )
    # Most specific first: "1 hour and a quarter" must not be read as "1 hour". A pattern
    # needing a kind of word the text lacks cannot match: it is left out, not scanned for.
    durations = (
        (n_and_quarter_hours, _hours_plus(15), words.hours and words.and_a_quarter),
        (n_and_half_hours, _hours_plus(30), words.hours and words.and_a_half),
        (_HALF_HOUR_RE, lambda m: 30.0, True),
        (hours, _hours_and_minutes, words.hours),
        (minutes, lambda m: number(m.group(1)), words.minutes),
    )
    return _Patterns(
        count if words.songs else None,
        tuple((pattern, to_minutes) for pattern, to_minutes, needed in durations if needed),
    )


def _patterns_for(text: str) -> _Patterns:
    spaced = " ".join(text.split())
    candidates = [*_SHORT]
    for opening in {spaced[i : i + _OPENING] for i in range(len(spaced) - _OPENING + 1)}:
        candidates += _BY_OPENING.get(opening, ())
    candidates.sort()  # each kind's phrases in pack order, as testing them all gave them
    found: list[list[str]] = [[] for _ in _ALL_SPACED]
    for kind, n in candidates:
        phrase, single = _ALL_SPACED[kind][n]
        if single in spaced:
            found[kind].append(phrase)
    return _patterns(_Words(*map(tuple, found)))


_BPM = rf"(?:{_any(_WORDS.bpm_words)})"
_BPM_RANGE_RE = re.compile(
    rf"\b(\d{{2,3}})\s*(?:-|{_any(_WORDS.range_words)})\s*(\d{{2,3}})\s*{_BPM}"
)
_BPM_RE = re.compile(
    rf"(?:([a-z' ]{{0,24}}?)\s*)?\b(\d{{2,3}})(?:{_any(_WORDS.approximately)})?\s*{_BPM}"
)
_TWO_DIGITS = re.compile(r"\d\d")
_MIN_WORDS_BEFORE = tuple(_WORDS.at_least)
_MAX_WORDS_BEFORE = tuple(_WORDS.at_most)
_DURATION_MAX_EXTRA = tuple(_WORDS.no_more_than)
_PER_TRACK_RE = re.compile(rf"^\s*(?:{_any(_WORDS.per_track)})\b") if _WORDS.per_track else None
_NOTHING_RE = re.compile(rf"\b(?:{_any(_WORDS.nothing)})\b") if _WORDS.nothing else None
# A ceiling this short caps each track: nobody asks for a playlist of "nothing over 3 minutes".
TRACK_CAP_MAX_MINUTES = 10


def number(token: str) -> float | None:
    """A digit string or a number word of any language pack."""
    token = token.strip().replace(",", ".")
    if token in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[token])
    try:
        return float(token)
    except ValueError:
        return None


def _hours_plus(extra: float):
    def minutes(m: re.Match[str]) -> float | None:
        hours = number(m.group(1) or m.group(2))
        return None if hours is None else hours * 60 + extra

    return minutes


def _hours_and_minutes(m: re.Match[str]) -> float | None:
    hours = number(m.group(1))
    if hours is None:
        return None
    return (
        hours * 60
        + (float(m.group(2)) if m.group(2) else 0)
        + (30 if _AND_HALF_RE.search(m.string) else 0)
    )


def _bound(before: str) -> str | None:
    """'ceiling', 'floor' or None: what the words just before a number make of it."""
    if any(before.endswith(w) for w in _MAX_WORDS_BEFORE + _DURATION_MAX_EXTRA):
        return "ceiling"
    if any(before.endswith(w) for w in _MIN_WORDS_BEFORE):
        # "nothing over 3 minutes", "nada de más de 3", "nix über 3": a negated floor is a ceiling
        return "ceiling" if _NOTHING_RE is not None and _NOTHING_RE.search(before) else "floor"
    return None


def read_lengths(text: str, tokens: Tokens, out: dict[str, Any]) -> None:
    """Track count, total length ("20 songs", "1h30", "una hora y media") and a cap on each
    track's length ("nothing over 3 minutes", "pas plus de 4 minutes par morceau")."""
    patterns = _patterns_for(text)
    taken: list[range] = []
    for pattern, to_minutes in patterns.durations:
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken) or not (minutes := to_minutes(match)):
                continue
            before = text[max(0, match.start() - 24) : match.start()].strip()
            bound = _bound(before)
            per_track = _PER_TRACK_RE is not None and _PER_TRACK_RE.match(text[match.end() :])
            if (bound == "ceiling" and minutes <= TRACK_CAP_MAX_MINUTES) or per_track:
                if "max_track_seconds" not in out:
                    out["max_track_seconds"] = round(minutes * 60)
                    end = match.end() + (per_track.end() if per_track else 0)
                    consume_span(tokens, text, match.start(), end)
                    taken.append(range(match.start(), end))
                continue
            if "duration_minutes" in out:
                continue
            # "no more than 40 minutes" is a ceiling, "at least an hour" a floor: aim inside
            # them so that the length tolerance cannot cross the bound
            if bound == "ceiling":
                minutes *= 0.92
            elif bound == "floor":
                minutes *= 1.08
            out["duration_minutes"] = minutes
            consume_span(tokens, text, match.start(), match.end())
            taken.append(range(match.start(), match.end()))
    # "45 minutes of jazz songs": the 45 belongs to the length, not to a count. Matches may
    # overlap ("a 10 song playlist": "a" is a number word too), so every start is tried.
    start = 0
    while patterns.count is not None and (count := patterns.count.search(text, start)) is not None:
        start = count.start(1) + 1
        value = number(count.group(1))
        if (
            any(count.start(1) in span for span in taken)
            or value is None
            or value < 2
            or not _glued(count.group(2))
        ):
            continue
        out["limit"] = value
        # only the number and the word "songs": "25 classic rock songs" keeps its genre, and a
        # glued "popnummers" stays whole for the genre reader
        consume_span(tokens, text, count.start(1), count.end(1))
        if not count.group(2):
            consume_span(tokens, text, count.end() - len(count.group(3)), count.end())
        break


def _glued(prefix: str) -> bool:
    """Whether a word glued before a song word makes a compound ("pop" in "popnummers")."""
    return (
        not prefix
        or prefix in ALIASES
        or prefix in COMPOUND_STEMS
        or concept_for(prefix) is not None
    )


def read_tempo(text: str, tokens: Tokens, out: dict[str, Any]) -> None:
    """BPM targets and ranges ("around 120 bpm", "at least 125 bpm", "128-135 bpm")."""
    if (
        _TWO_DIGITS.search(text) is None
    ):  # both patterns need a 2-3 digit BPM; most prompts have none
        return
    rng = _BPM_RANGE_RE.search(text)
    if rng:
        lo, hi = sorted((float(rng.group(1)), float(rng.group(2))))
        out.update(tempo_min=lo, tempo_max=hi, tempo=(lo + hi) / 2)
        consume_span(tokens, text, rng.start(), rng.end())
        return
    match = _BPM_RE.search(text)
    if not match:
        return
    bpm = float(match.group(2))
    before = (match.group(1) or "").strip()
    if any(before.endswith(w) for w in _MIN_WORDS_BEFORE):
        out.update(tempo_min=bpm, tempo=bpm + 10)
    elif any(before.endswith(w) for w in _MAX_WORDS_BEFORE):
        out.update(tempo_max=bpm, tempo=bpm - 10)
    else:
        out.update(tempo=bpm, tempo_min=bpm - 6, tempo_max=bpm + 6)
    consume_span(tokens, text, match.start(2), match.end())


def consume_span(tokens: Tokens, text: str, start: int, end: int) -> None:
    """Consume the tokens covering text[start:end] (text is the folded tokens joined)."""
    pos = 0
    for i, tok in enumerate(tokens.folded):
        tok_end = pos + len(tok)
        if tok_end > start and pos < end:
            tokens.used[i] = True
        pos = tok_end + 1
