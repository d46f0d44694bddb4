"""Saying plainly what a playlist could not honour, in the prompt's language where we read it.

Interpreters and the engine record what they could not do as short codes on the intent
(``Intent.unmet``): ``kind`` or ``kind:arg:arg``. This module turns each into a sentence from
``data/notices.json``. Codes, not sentences, travel through the system so every backend and
every language shares one vocabulary and a notice is never lost in translation.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from aidj.language import READ

DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=1)
def _sentences() -> dict:
    return json.loads(
        resources.files("aidj").joinpath("data/notices.json").read_text(encoding="utf-8")
    )


def code(kind: str, *args: object) -> str:
    """An unmet-request code: ``code("era_thin", 1950, 1959, 4)`` -> ``"era_thin:1950:1959:4"``."""
    return ":".join([kind, *(str(a).replace(":", " ") for a in args)])


def language_name(iso: str, language: str | None) -> str:
    names = _sentences()["_language_names"]
    return names.get(language or DEFAULT_LANGUAGE, names[DEFAULT_LANGUAGE]).get(iso, iso)


def _era(lo: str, hi: str, language: str) -> str:
    """An era as the sentence needs it: 'the 1990s', 'de los años 90', 'aus den 80er-Jahren'."""
    table = _sentences()["_era_formats"]
    formats = table.get(language, table[DEFAULT_LANGUAGE])
    if lo == hi:
        return formats["year"].format(year=lo)
    if lo.endswith("0") and hi.endswith("9") and int(hi) - int(lo) == 9:
        short = lo[2:] if lo < "2000" else lo
        return formats["decade"].format(year=lo, short=short)
    return formats["range"].format(lo=lo, hi=hi)


def _languages_read(language: str) -> str:
    """The languages the packs read, named in ``language``, its own first: "English, Spanish … and Dutch"."""
    codes = sorted(READ, key=lambda code: code != language)
    names = [language_name(code, language) for code in codes]
    conjunction = _sentences()["_and"].get(language, "and")
    return (
        ", ".join(names[:-1]) + f" {conjunction} " + names[-1] if len(names) > 1 else "".join(names)
    )


def _span(lo: str, hi: str, language: str) -> str:
    table = _sentences()["_era_formats"]
    return table.get(language, table[DEFAULT_LANGUAGE])["bare"].format(lo=lo, hi=hi)


def render(codes: list[str], language: str | None) -> list[str]:
    """Plain sentences for ``codes``, in ``language`` when we write it, else English."""
    table = _sentences()
    lang = (
        language
        if language is not None and language in table and not language.startswith("_")
        else DEFAULT_LANGUAGE
    )
    out: list[str] = []
    for item in codes:
        kind, *args = item.split(":")
        template = table[lang].get(kind) or table[DEFAULT_LANGUAGE].get(kind)
        if template is None:
            continue  # a code from a newer backend: better silent than a broken sentence
        fields: dict[str, str] = {}
        if kind in ("language", "vocals") and args:
            fields["language"] = language_name(args[0], lang)
            fields["read"] = _languages_read(lang)
        elif kind == "unknown":
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
        elif kind == "exclusion_unknown":
            fields["name"] = args[0] if args else ""
        try:
            sentence = template.format(**fields)
        except (KeyError, IndexError):
            continue
        if sentence not in out:
            out.append(sentence)
    return out
