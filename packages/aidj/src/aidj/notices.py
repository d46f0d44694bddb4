"""Saying plainly what a playlist could not honour, in the prompt's language where we read it.

Interpreters and the engine record what they could not do as short codes on the intent
(``Intent.unmet``): ``kind`` or ``kind:arg:arg``. This module turns each into a sentence from
the language pack's ``notices.json``. Codes, not sentences, travel through the system so every
backend and every language shares one vocabulary and a notice is never lost in translation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from aidj.language import READ
from aidj.languages import language_packs

DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=1)
def _sentences() -> dict[str, Any]:
    """Language code -> its pack's ``notices`` (sentences, language names, era formats,
    conjunction), for the packs that write sentences; English is the fallback for the rest."""
    return {
        code: pack.notices
        for code, pack in language_packs().packs.items()
        if pack.notices.sentences
    }


def _notices(language: str | None) -> Any:
    table = _sentences()
    return table.get(language or DEFAULT_LANGUAGE, table[DEFAULT_LANGUAGE])


def written_in(language: str | None) -> str:
    """The language answers to a ``language`` prompt are written in: its own, else English."""
    return language if language is not None and language in _sentences() else DEFAULT_LANGUAGE


def words(language: str | None) -> Any:
    """The ``notices.json`` section answers in ``language`` are written from (English's when the
    language has none); other modules that write sentences (deliveries) read theirs here."""
    return _notices(language)


def join(names: list[str], language: str | None) -> str:
    """Names as a sentence lists them: "A, B and C", "A, B y C"."""
    conjunction = _notices(language).conjunction or _notices(DEFAULT_LANGUAGE).conjunction
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def code(kind: str, *args: object) -> str:
    """An unmet-request code: ``code("era_thin", 1950, 1959, 4)`` -> ``"era_thin:1950:1959:4"``."""
    return ":".join([kind, *(str(a).replace(":", " ") for a in args)])


def language_name(iso: str, language: str | None) -> str:
    own = _notices(language).language_names
    return own.get(iso) or _notices(DEFAULT_LANGUAGE).language_names.get(iso, iso)


def _era_format(name: str, language: str) -> str:
    return _notices(language).era_formats.get(name) or _notices(DEFAULT_LANGUAGE).era_formats[name]


def _era(lo: str, hi: str, language: str) -> str:
    """An era as the sentence needs it: 'the 1990s', 'de los años 90', 'aus den 80er-Jahren'."""
    if lo == hi:
        return _era_format("year", language).format(year=lo)
    if lo.endswith("0") and hi.endswith("9") and int(hi) - int(lo) == 9:
        short = lo[2:] if lo < "2000" else lo
        return _era_format("decade", language).format(year=lo, short=short)
    return _era_format("range", language).format(lo=lo, hi=hi)


def _languages_read(language: str) -> str:
    """The languages the packs read, named in ``language``, its own first: "English, Spanish … and Dutch"."""
    codes = sorted(READ, key=lambda code: code != language)
    return join([language_name(code, language) for code in codes], language)


def _span(lo: str, hi: str, language: str) -> str:
    return _era_format("bare", language).format(lo=lo, hi=hi)


def render(codes: list[str], language: str | None) -> list[str]:
    """Plain sentences for ``codes``, in ``language`` when we write it, else English."""
    table = _sentences()
    lang = written_in(language)
    out: list[str] = []
    for item in codes:
        kind, *args = item.split(":")
        template = table[lang].sentences.get(kind) or table[DEFAULT_LANGUAGE].sentences.get(kind)
        if template is None:
            continue  # a code from a newer backend: better silent than a broken sentence
        fields: dict[str, str] = {}
        if kind in ("language", "vocals") and args:
            fields["language"] = language_name(args[0], lang)
            fields["read"] = _languages_read(lang)
        elif kind in ("unknown", "instrument"):
            fields["text"] = args[0] if args else ""
        elif kind == "style":
            fields["style"] = args[0] if args else ""
        elif kind in ("era_none", "era_thin") and len(args) >= 2:
            fields["era"] = _era(args[0], args[1], lang)
            if kind == "era_thin" and len(args) >= 5:
                fields["found"], fields["wider"] = args[2], _span(args[3], args[4], lang)
        elif kind == "short" and len(args) >= 2:
            fields["found"], fields["asked"] = args[0], args[1]
        elif kind == "duration" and len(args) >= 2:
            fields["got"], fields["asked"] = args[0], args[1]
        elif kind in ("scene_thin", "scene_none") and args:
            fields["language"] = language_name(args[0], lang)
            fields["found"] = args[1] if len(args) > 1 else "0"
        elif kind == "exclusion_unknown":
            fields["name"] = args[0] if args else ""
        try:
            sentence = template.format(**fields)
        except (KeyError, IndexError):
            continue
        if sentence not in out:
            out.append(sentence)
    return out
