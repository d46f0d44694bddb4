"""What a delivery says, in the playlist's language: why each track was left out, and how many were.

Matching (:mod:`aidj.matching`) leaves each track it could not place with a reason code and what
the reason is about (the closest candidate, its version, how far its length is); the sentences
come from the language pack's ``notices.json`` (``unmatched``, ``delivery``, ``versions``), with
English's where a pack lacks one. The codes travel next to the sentences, so a program never
has to read a sentence.
"""

from __future__ import annotations

from aidj.catalog import artist_key
from aidj.matching import Unmatched
from aidj.notices import DEFAULT_LANGUAGE, join, words, written_in


def _template(section: str, kind: str, language: str) -> str:
    own: dict[str, str] = getattr(words(language), section)
    return own.get(kind) or getattr(words(DEFAULT_LANGUAGE), section)[kind]


def _distinct(names: tuple[str, ...]) -> list[str]:
    """Each artist once: YouTube names one as the title's and the channel's ("Coldplay" twice,
    "Jeff Buckley" and "JeffBuckley"), and a sentence should not."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = artist_key(name).replace(" ", "")
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


def why(unmatched: Unmatched, platform: str, language: str | None) -> str:
    """The sentence saying why ``unmatched`` was left out of the playlist on ``platform``."""
    lang = written_in(language)
    fields = {"platform": platform, "title": "", "artists": "", "version": "", "seconds": ""}
    closest = unmatched.closest
    if closest is not None:
        fields["title"] = closest.name
        fields["artists"] = join(_distinct(closest.artists), lang) or _template(
            "delivery", "unknown_artist", lang
        )
    if unmatched.version is not None:
        # STUDIO ("") is the candidate without version marks
        fields["version"] = _template("versions", unmatched.version or "studio", lang)
    if unmatched.seconds is not None:
        fields["seconds"] = str(unmatched.seconds)
    return _template("unmatched", unmatched.reason, lang).format(**fields)


def left_out(platform: str, *, matched: int, total: int, language: str | None) -> tuple[str, ...]:
    """The notice for the whole delivery: how many tracks were left out (none: nothing to say)."""
    lang = written_in(language)
    count = total - matched
    if count <= 0:
        return ()
    kind = "none_found" if matched == 0 else "left_out_one" if count == 1 else "left_out"
    sentence = _template("delivery", kind, lang)
    return (sentence.format(left_out=count, total=total, platform=platform),)
