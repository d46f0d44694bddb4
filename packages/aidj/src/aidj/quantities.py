"""Quantities in a prompt: how many tracks, how long, how fast.

Numbers come as digits or words in six languages ("twenty", "quince", "une vingtaine",
"una trentina"); lengths as minutes, hours, halves and quarters ("1h30", "dos horas y
media", "une heure et quart"); tempo as a BPM target, floor, ceiling or range. Every reader
consumes the tokens it used, so "25 classic rock songs" leaves "classic rock" for the genres.
"""

from __future__ import annotations

import re
from typing import Any

from aidj.text import Tokens

_WORD_NUMBERS = {
    # en
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "twenty five": 25, "thirty": 30, "forty": 40, "forty five": 45, "fifty": 50, "sixty": 60,
    "ninety": 90, "a dozen": 12, "dozen": 12,
    # es / pt / it
    "uno": 1, "una": 1, "um": 1, "uma": 1, "dos": 2, "dois": 2, "duas": 2, "due": 2, "tres": 3,
    "tre": 3, "cuatro": 4, "quatro": 4, "quattro": 4, "cinco": 5, "cinque": 5, "diez": 10,
    "dez": 10, "dieci": 10, "quince": 15, "quinze": 15, "quindici": 15, "veinte": 20, "vinte": 20,
    "venti": 20, "treinta": 30, "trinta": 30, "trenta": 30, "cuarenta": 40, "quarenta": 40,
    "quaranta": 40, "cincuenta": 50, "cinquenta": 50, "cinquanta": 50, "sesenta": 60,
    "sessenta": 60, "sessanta": 60, "noventa": 90, "novanta": 90,
    # fr / de
    "un": 1, "une": 1, "deux": 2, "trois": 3, "dix": 10, "vingt": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "eins": 1, "ein": 1, "eine": 1, "zwei": 2,
    "drei": 3, "zehn": 10, "zwanzig": 20, "dreissig": 30, "vierzig": 40, "funfzig": 50,
    "sechzig": 60, "neunzig": 90, "a": 1, "an": 1,
    # the teens and the twenties people actually ask for
    "thirteen": 13, "fourteen": 14, "sixteen": 16, "eighteen": 18, "twenty-five": 25, "thirty-five": 35,
    "once": 11, "doce": 12, "trece": 13, "catorce": 14, "dieciseis": 16, "dieciocho": 18, "veinticinco": 25,
    "treinta y cinco": 35, "onze": 11, "doze": 12, "treze": 13, "catorze": 14, "dezesseis": 16,
    "dezoito": 18, "vinte e cinco": 25, "douze": 12, "treize": 13, "quatorze": 14, "seize": 16,
    "dix-huit": 18, "vingt-cinq": 25, "vingt cinq": 25, "elf": 11, "zwolf": 12, "dreizehn": 13,
    "vierzehn": 14, "funfzehn": 15, "sechzehn": 16, "achtzehn": 18, "funfundzwanzig": 25,
    "undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14, "sedici": 16, "diciotto": 18,
    "venticinque": 25, "trentacinque": 35, "cento": 100, "hundred": 100, "cien": 100, "cem": 100,
    "cent": 100, "hundert": 100, "seis": 6, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "ocho": 8,
    "siete": 7, "sete": 7, "oito": 8, "sept": 7, "huit": 8, "neuf": 9, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "cinq": 5, "vier": 4, "funf": 5, "quatre": 4,
    "una decina": 10, "una ventina": 20, "una trentina": 30, "una quarantina": 40, "una dozzina": 12,
    "una docena": 12, "una veintena": 20, "una treintena": 30, "uma duzia": 12, "uma dezena": 10,
    "uma vintena": 20, "une dizaine": 10, "une douzaine": 12, "une vingtaine": 20, "une trentaine": 30,
    "une quarantaine": 40, "ein dutzend": 12, "zweieinhalb": 2.5, "anderthalb": 1.5, "eineinhalb": 1.5,
}
_NUM = r"(\d+(?:[.,]\d+)?|" + "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True)) + r")"
_SONG_WORDS = (
    r"songs?|tracks?|tunes?|hits?|titles?|pieces?|jams?|bangers?|anthems?|ballads?|classics?|instrumentals?|"
    r"numbers?|cuts?|records?|picks?|temazos?|exitos?|baladas?|clasicos?|sucessos?|classicos?|tubes?|"
    r"classiques?|klassiker|successi|classici|ballate|canciones?|cancion|temas?|musicas?|faixas?|"
    r"cancoes|cancao|chansons?|titres?|morceaux|morceau|lieder|lied|titel|stucke|stuck|"
    r"canzoni|canzone|brani|brano|pezzi|pezzo|tracce|traccia"
)
_COUNT_RE = re.compile(rf"\b{_NUM}\s+(?:(?:di|de|d'|of)\s+)?(?:[\w'-]+\s+){{0,3}}?({_SONG_WORDS})\b")
_HOUR_WORDS = r"hours?|hrs?|h|horas?|heures?|stunden?|std|ore|ora"
_MIN_WORDS = r"minutes?|mins?|min|minutos?|minuten?|minuti|minuto"
_HOURS_RE = re.compile(rf"\b{_NUM}\s*(?:{_HOUR_WORDS})(?=\b|\d)(?:\s*(?:and|y|e|et|und)?\s*(\d+)\s*(?:{_MIN_WORDS})?\b)?")
_MINUTES_RE = re.compile(rf"\b{_NUM}\s*(?:{_MIN_WORDS})\b")
_HALF_HOUR_RE = re.compile(
    r"\b(half an hour|half hour|media hora|meia hora|demi[ -]heure|halbe stunde|mezz'? ?ora|mezzora)\b"
)
_AND_HALF_RE = re.compile(
    r"\b(and a half|y media|e meia|et demie|e mezza|einhalb|anderthalb|eineinhalb)\b"
)
_N_AND_HALF_HOURS_RE = re.compile(
    rf"\b{_NUM}\s+(?:and a half|y media|e meia|et demie|e mezza|e mezzo)\s+(?:{_HOUR_WORDS})\b"
    rf"|\b{_NUM}\s*(?:{_HOUR_WORDS})\s+(?:and a half|y media|e meia|et demie|e mezza|e mezzo|und eine halbe)\b"
)
_N_AND_QUARTER_HOURS_RE = re.compile(
    rf"\b{_NUM}\s*(?:{_HOUR_WORDS})\s+(?:and a quarter|y cuarto|e um quarto|e quarto|et quart|et un quart|"
    rf"e un quarto|und ein viertel|und eine viertelstunde)\b"
    rf"|\b{_NUM}\s+(?:and a quarter)\s+(?:{_HOUR_WORDS})\b"
)
_BPM = r"(?:bpm|beats per minute|beats|schlage|pulsaciones)"
_BPM_RANGE_RE = re.compile(rf"\b(\d{{2,3}})\s*(?:-|to|and|a|bis|et|e|y|ate|à)\s*(\d{{2,3}})\s*{_BPM}")
_BPM_RE = re.compile(rf"(?:([a-z' ]{{0,24}}?)\s*)?\b(\d{{2,3}})(?:ish)?\s*{_BPM}")  # "172ish bpm"
_MIN_WORDS_BEFORE = (
    "at least", "over", "above", "more than", "minimum", "min", "faster than", "al menos",
    "mas de", "minimo", "pelo menos", "mais de", "acima de", "au moins", "plus de", "minimum de",
    "mindestens", "uber", "ab", "mehr als", "almeno", "piu di", "sopra", "sopra i",
)
_MAX_WORDS_BEFORE = (
    "under", "below", "less than", "at most", "max", "maximum", "slower than", "up to",
    "menos de", "maximo", "hasta", "ate", "abaixo de", "moins de", "au plus", "maximum de",
    "unter", "hochstens", "weniger als", "bis", "meno di", "al massimo", "sotto", "sotto i",
)


def number(token: str) -> float | None:
    """A digit string or a number word in any of the six languages."""
    token = token.strip().replace(",", ".")
    if token in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[token])
    try:
        return float(token)
    except ValueError:
        return None


_DURATION_MAX_EXTRA = ("no more than", "not more than", "no longer than", "no mas de", "no mais de", "pas plus de",
                       "nicht mehr als", "maximal", "non piu di", "massimo", "tops")


def _hours_plus(extra: float):
    def minutes(m: re.Match[str]) -> float | None:
        hours = number(m.group(1) or m.group(2))
        return None if hours is None else hours * 60 + extra
    return minutes


def _hours_and_minutes(m: re.Match[str]) -> float | None:
    hours = number(m.group(1))
    if hours is None:
        return None
    return hours * 60 + (float(m.group(2)) if m.group(2) else 0) + (30 if _AND_HALF_RE.search(m.string) else 0)


# Most specific first: "1 hour and a quarter" must not be read as "1 hour".
_DURATIONS = (
    (_N_AND_QUARTER_HOURS_RE, _hours_plus(15)),
    (_N_AND_HALF_HOURS_RE, _hours_plus(30)),
    (_HALF_HOUR_RE, lambda m: 30.0),
    (_HOURS_RE, _hours_and_minutes),
    (_MINUTES_RE, lambda m: number(m.group(1))),
)


def read_lengths(text: str, tokens: Tokens, out: dict[str, Any]) -> None:
    """Track count and total length ("20 songs", "1h30", "una hora y media")."""
    taken = range(0)
    for pattern, to_minutes in _DURATIONS:
        match = pattern.search(text)
        if match and (minutes := to_minutes(match)):
            before = text[max(0, match.start() - 24) : match.start()].strip()
            # "no more than 40 minutes" is a ceiling, "at least an hour" a floor: aim inside
            # them so that the length tolerance cannot cross the bound
            if any(before.endswith(w) for w in _MAX_WORDS_BEFORE + _DURATION_MAX_EXTRA):
                minutes *= 0.92
            elif any(before.endswith(w) for w in _MIN_WORDS_BEFORE):
                minutes *= 1.08
            out["duration_minutes"] = minutes
            consume_span(tokens, text, match.start(), match.end())
            taken = range(match.start(), match.end())
            break
    # "45 minutes of jazz songs": the 45 belongs to the length, not to a count
    count = next((m for m in _COUNT_RE.finditer(text) if m.start(1) not in taken), None)
    if count and (value := number(count.group(1))) is not None and value >= 2:
        out["limit"] = value
        # only the number and the word "songs": "25 classic rock songs" keeps its genre
        consume_span(tokens, text, count.start(1), count.end(1))
        consume_span(tokens, text, count.end() - len(count.group(2)), count.end())


def read_tempo(text: str, tokens: Tokens, out: dict[str, Any]) -> None:
    """BPM targets and ranges ("around 120 bpm", "at least 125 bpm", "128-135 bpm")."""
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
