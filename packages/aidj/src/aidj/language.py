"""Which language a prompt is written in: to answer in it, and to notice one we cannot read.

Scripts decide first (Cyrillic, kana, Hangul, Han, Arabic, ... are languages the interpreter
does not read); for Latin-script prompts the language whose frequent words cover most of the
prompt wins, English when nothing decides. The word lists are data
(``data/language_markers.json``).
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from importlib import resources

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


@lru_cache(maxsize=1)
def _raw() -> dict:
    return json.loads(
        resources.files("aidj").joinpath("data/language_markers.json").read_text(encoding="utf-8")
    )


@lru_cache(maxsize=1)
def markers() -> dict[str, frozenset[str]]:
    return {
        lang: frozenset(_fold(w) for w in words)
        for lang, words in _raw().items()
        if not lang.startswith("_")
    }


# letters only one or two of the languages use: each occurrence counts like a marker word
LETTER_WEIGHT = 1


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def script_language(text: str) -> str | None:
    """The language of a prompt written mostly in a non-Latin script, else None."""
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
    words = [
        w
        for w in "".join(ch if ch.isalnum() else " " for ch in _fold(text)).split()
        if not w.isdigit()
    ]
    if not words:
        return DEFAULT
    table = markers()
    scores = {lang: sum(w in table[lang] for w in words) for lang in table}
    lowered = text.lower()
    for lang, letters in _raw().get("_letters", {}).items():
        scores[lang] = scores.get(lang, 0) + LETTER_WEIGHT * sum(
            lowered.count(letter) for letter in letters
        )
    best = max(scores.values())
    if best == 0:
        return DEFAULT
    # ties go to the order of READ (English first): deterministic, and the commonest case
    return next(lang for lang in table if scores[lang] == best)
