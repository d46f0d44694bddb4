"""Energy and tempo arcs: "build up", "wind down", "peak in the middle".

Four readings, most specific first: fixed phrases ("start slow", "getting quieter",
"cada vez más rápido"); a subject with a direction verb ("tempo dropping", "die Energie soll
steigen"); start/end constructions ("empezar fuerte y terminar suave", "calm at the end");
and "more and more <adjective>" ("de plus en plus calme", "sempre più tranquillo").
Tempo words make the arc move BPM instead of energy. The readings are here; their words come
from each language pack's ``arcs.json``.
"""

from __future__ import annotations

from typing import Any

from aidj.intent import EnergyArc
from aidj.languages import language_packs
from aidj.text import PhraseIndex, Tokens, longest_first

_WORDS = language_packs().merged.arcs
_ARC_PHRASES: dict[EnergyArc, list[str]] = {
    EnergyArc.BUILD_UP: _WORDS.build_up,
    EnergyArc.WIND_DOWN: _WORDS.wind_down,
    EnergyArc.PEAK: _WORDS.peak,
}
_VAGUE_PEAK = PhraseIndex.of(longest_first(_WORDS.vague_peak))
_TEMPO_UP = frozenset(_WORDS.tempo_up)
_TEMPO_DOWN = frozenset(_WORDS.tempo_down)
_CALMING = frozenset(_WORDS.calming)
_ENERGISING = frozenset(_WORDS.energising)
_MORE_AND_MORE = PhraseIndex.of(longest_first(_WORDS.more_and_more))
_TEMPO_SUBJECTS = frozenset(_WORDS.tempo_subjects)
_ENERGY_SUBJECTS = frozenset(_WORDS.energy_subjects)
_RISING = frozenset(_WORDS.rising)
_FALLING = frozenset(_WORDS.falling)
_START_WORDS = frozenset(_WORDS.start_words)
_END_WORDS = frozenset(_WORDS.end_words)
_END_PHRASES = frozenset(_WORDS.end_phrases)
# a word can open one of them ("at the end") only if it is some phrase's first word
_END_PHRASE_HEADS = frozenset(p.split(" ", 1)[0] for p in _END_PHRASES)
# the words the walks below react to: a prompt holding none of them (most) skips the walk
_START_OR_END = _START_WORDS | _END_WORDS | _END_PHRASE_HEADS
_SUBJECTS = _TEMPO_SUBJECTS | _ENERGY_SUBJECTS
_THEN = longest_first(_WORDS.then_words)
# what a word says about where the set is at that moment: a state (calm, energetic) or a motion
_KINDS = (
    ("calm", _WORDS.calming),
    ("energy", _WORDS.energising),
    ("up", _WORDS.rising),
    ("down", _WORDS.falling),
)
_KIND_PHRASES = PhraseIndex([(p, (kind, p)) for kind, phrases in _KINDS for p in phrases])
_SEQUENCE_ARCS = {
    ("calm", "energy"): EnergyArc.BUILD_UP,
    ("calm", "up"): EnergyArc.BUILD_UP,
    ("energy", "calm"): EnergyArc.WIND_DOWN,
    ("energy", "down"): EnergyArc.WIND_DOWN,
    ("up", "down"): EnergyArc.PEAK,
    ("up", "calm"): EnergyArc.PEAK,
}


def _direction(word: str) -> tuple[EnergyArc, str | None] | None:
    if word in _TEMPO_UP:
        return EnergyArc.BUILD_UP, "tempo"
    if word in _TEMPO_DOWN:
        return EnergyArc.WIND_DOWN, "tempo"
    if word in _CALMING:
        return EnergyArc.WIND_DOWN, None
    if word in _ENERGISING:
        return EnergyArc.BUILD_UP, None
    return None


_TEMPO_ARC_PHRASES = frozenset(_WORDS.tempo_phrases)
_ARC_TABLE = sorted(
    (
        (p, arc, "tempo" if p in _TEMPO_ARC_PHRASES else None)
        for arc, ps in _ARC_PHRASES.items()
        for p in ps
    ),
    key=lambda t: (-len(t[0].split()), -len(t[0])),
)
_ARC_INDEX = PhraseIndex([(row[0], row) for row in _ARC_TABLE])


def _marks(tokens: Tokens) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every unconsumed state or motion word, in prompt order."""
    marks: list[tuple[int, int, str]] = []
    for kind, phrase in _KIND_PHRASES.present(tokens):
        start = 0
        while (i := tokens.find(phrase, start)) >= 0:
            marks.append((i, i + len(phrase.split()), kind))
            start = i + 1
    marks.sort()
    # a longer phrase covering a shorter one wins ("si calma" over "calma")
    kept: list[tuple[int, int, str]] = []
    for mark in marks:
        if kept and mark[0] < kept[-1][1]:
            if mark[1] - mark[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = mark
            continue
        kept.append(mark)
    return kept


def _then_between(tokens: Tokens, start: int, end: int) -> bool:
    return any((i := tokens.find(w, start)) >= 0 and i + len(w.split()) <= end for w in _THEN)


def read_sequence(tokens: Tokens, out: dict[str, Any]) -> None:
    """ "erst ruhig, dann Vollgas", "começa leve e vai até o máximo", "monte jusqu'au milieu puis
    redescend", "deep house sliding down into ambient": where the set is, then where it goes."""
    marks = _marks(tokens)
    for n, (start, end, kind) in enumerate(marks):
        for later_start, later_end, later in marks[n + 1 :]:
            arc = _SEQUENCE_ARCS.get((kind, later))
            if arc is not None and _then_between(tokens, end, later_start):
                out["arc"] = arc.value
                tokens.consume(start, end)
                tokens.consume(later_start, later_end)
                return
        # one motion heading somewhere: "sliding down into ambient", "redescend vers l'ambient"
        if kind in ("up", "down") and any(tokens.find(w, end) in (end, end + 1) for w in _THEN):
            out["arc"] = (EnergyArc.BUILD_UP if kind == "up" else EnergyArc.WIND_DOWN).value
            tokens.consume(start, end)
            return


def read_arc(tokens: Tokens, out: dict[str, Any]) -> None:
    """Set ``arc`` (and ``arc_by`` when the tempo, not the energy, should move)."""
    said: set[EnergyArc] = (
        set()
    )  # every direction the prompt names, to see a rise and a fall together
    for phrase, arc, by in _ARC_INDEX.present(tokens):
        if tokens.take(phrase) >= 0:
            said.add(arc)
            out.setdefault("arc", arc.value)
            if by:
                out.setdefault("arc_by", by)
    if "arc" not in out:
        read_sequence(tokens, out)
    # "empezar fuerte y terminar suave", "calm at the end", "start hard then chill"
    if "arc" not in out and not _START_OR_END.isdisjoint(tokens.folded):
        folded = tokens.folded
        for i, word in enumerate(folded):
            # only a start or end word reads the directions around it (most prompts have none)
            starts = word in _START_WORDS
            if not starts and not (
                word in _END_WORDS
                or (
                    word in _END_PHRASE_HEADS
                    and i + 1 < len(folded)
                    and f"{word} {folded[i + 1]}" in _END_PHRASES
                )
            ):
                continue
            near = [d for w in folded[max(0, i - 2) : i + 3] if (d := _direction(w)) is not None]
            if not near:
                continue
            arc, by = near[0]
            if starts:
                flipped = EnergyArc.WIND_DOWN if arc == EnergyArc.BUILD_UP else EnergyArc.BUILD_UP
                out["arc"], by = flipped.value, by
            else:
                out["arc"] = arc.value
            if by:
                out["arc_by"] = by
            break
    # "tempo dropping song by song", "le tempo accélère", "die Energie soll stetig steigen"
    # (a motion needs a subject word: without one, no word is walked)
    subject_words = tokens.folded if not _SUBJECTS.isdisjoint(tokens.folded) else []
    for i, word in enumerate(subject_words):
        subject = (
            "tempo" if word in _TEMPO_SUBJECTS else "energy" if word in _ENERGY_SUBJECTS else None
        )
        if subject is None:
            continue
        for k in range(max(0, i - 3), min(len(tokens.folded), i + 4)):
            verb = tokens.folded[k]
            way = (
                EnergyArc.BUILD_UP
                if verb in _RISING
                else EnergyArc.WIND_DOWN
                if verb in _FALLING
                else None
            )
            if way is not None:
                out["arc"], out["arc_by"] = way.value, subject
                tokens.consume(min(i, k), max(i, k) + 1)
                break
        if "arc_by" in out:
            break
    # "cada vez más rápido", "de plus en plus calme", "immer ruhiger", "sempre più tranquillo"
    for marker in _MORE_AND_MORE.present(tokens):
        i = tokens.find(marker)
        if i < 0:
            continue
        j = i + len(marker.split())
        for k in range(j, min(j + 2, len(tokens.folded))):
            direction = _direction(tokens.folded[k])
            if direction is not None:
                arc, by = direction
                said.add(arc)
                out.setdefault("arc", arc.value)
                if by:
                    out.setdefault("arc_by", by)
                tokens.consume(i, k + 1)
                break
    # "start calm, peak mid-way and calm down again", "build up ... then wind down": a peak
    if EnergyArc.PEAK in said or {EnergyArc.BUILD_UP, EnergyArc.WIND_DOWN} <= said:
        out["arc"] = EnergyArc.PEAK.value
    # "a post rock journey": a rise and fall only when no explicit shape was named ("from a
    # whisper to a roar: a journey" builds up); the word is read either way
    vague = [phrase for phrase in _VAGUE_PEAK.present(tokens) if tokens.take(phrase) >= 0]
    if vague:
        out.setdefault("arc", EnergyArc.PEAK.value)
