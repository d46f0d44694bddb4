"""Which language a prompt is written in: to answer in it, and to notice one we cannot read.

Scripts decide first (Cyrillic, kana, Hangul, Han, Arabic, ... are languages the interpreter
does not read); for Latin-script prompts the language whose frequent words cover most of the
prompt wins, English when nothing decides. The words are data: each pack's ``words.json``
``markers`` and ``marker_letters``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from aidj.folding import fold
from aidj.languages import language_packs

# the languages with a pack (aidj/languages/), English first
READ = tuple(sorted(language_packs().codes, key=lambda code: code != "en"))
DEFAULT = "en"

# Unicode script (the first word of a character's name) -> the language a prompt in it is most likely in
_SCRIPTS = {
    "CYRILLIC": "ru",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "CJK": "zh",
    "ARABIC": "ar",
    "HEBREW": "he",
    "GREEK": "el",
    "DEVANAGARI": "hi",
    "THAI": "th",
}


# Which language a tie in marker words goes to: the order the packs were added in, so ties resolve
# as they always have; a pack added later ties after these, in the order of READ. (Ties in READ
# order instead would change 6 of the 485 eval prompts' languages, 4 for the better, 2 worse.)
_TIE_ORDER = ("en", "es", "pt", "fr", "de", "it", "nl")
_BY_TIES = tuple(
    sorted(READ, key=lambda c: _TIE_ORDER.index(c) if c in _TIE_ORDER else len(_TIE_ORDER))
)


@lru_cache(maxsize=1)
def markers() -> dict[str, frozenset[str]]:
    """Language -> the words that give it away (each pack's ``words.markers``), tie order first."""
    packs = language_packs().packs
    return {lang: frozenset(packs[lang].words.markers) for lang in _BY_TIES}


@lru_cache(maxsize=1)
def _letters() -> dict[str, tuple[str, ...]]:
    packs = language_packs().packs
    return {lang: tuple(packs[lang].words.marker_letters) for lang in _BY_TIES}


@lru_cache(maxsize=1)
def _marker_languages() -> dict[str, tuple[int, ...]]:
    """Marker word -> the positions (in :func:`markers`' order) of the languages it marks: one
    look-up per prompt word instead of one per word and language."""
    out: dict[str, list[int]] = {}
    for n, words in enumerate(markers().values()):
        for word in sorted(words):
            out.setdefault(word, []).append(n)
    return {word: tuple(langs) for word, langs in out.items()}


@lru_cache(maxsize=1)
def _ascii_letters() -> tuple[tuple[int, str], ...]:
    """(language position, letter) for the marker letters an ASCII prompt can hold ("ij"): the
    others cannot occur in one, so need no count."""
    return tuple(
        (n, letter)
        for n, letters in enumerate(_letters().values())
        for letter in letters
        if letter.isascii()
    )


# letters only one or two of the languages use: each occurrence counts like a marker word
LETTER_WEIGHT = 1
# runs of letters and digits (str.isalnum), the words marker words are looked up as
_WORD = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    """As the packs write their marker words (``aidj.text.fold``: "Straße" -> "strasse"), with
    letters of other scripts dropped."""
    return fold(text).encode("ascii", "ignore").decode()


def script_language(text: str) -> str | None:
    """The language of a prompt written mostly in a non-Latin script, else None."""
    if text.isascii():  # Latin letters only: no character to name
        return None
    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        name = unicodedata.name(ch, "")
        lang = _SCRIPTS.get(name.split(" ", 1)[0])
        if lang:
            counts[lang] = counts.get(lang, 0) + 1
    if not letters or not counts:
        return None
    if "ja" in counts and "zh" in counts:  # Japanese mixes kana with kanji
        counts["ja"] += counts.pop("zh")
    lang, count = max(sorted(counts.items()), key=lambda kv: kv[1])
    return lang if count * 2 >= letters else None


def detect(text: str) -> str:
    """ISO 639-1 code of the prompt's language (one of :data:`READ`, or another script's)."""
    by_script = script_language(text)
    if by_script:
        return by_script
    words = [w for w in _WORD.findall(_fold(text)) if not w.isdigit()]
    if not words:
        return DEFAULT
    table = markers()
    scores = [0] * len(table)
    by_word = _marker_languages()
    for word in words:
        for n in by_word.get(word, ()):
            scores[n] += 1
    lowered = text.lower()
    if text.isascii():
        for n, letter in _ascii_letters():
            scores[n] += LETTER_WEIGHT * lowered.count(letter)
    else:
        for n, letters in enumerate(_letters().values()):
            scores[n] += LETTER_WEIGHT * sum(lowered.count(letter) for letter in letters)
    best = max(scores)
    if best == 0:
        return DEFAULT
    # ties go to the tie order (English first): deterministic, and the commonest case
    return next(lang for lang, score in zip(table, scores) if score == best)
