"""Saying why taste chose a track ("you play Portishead a lot"), in the prompt's language,
and summing a profile up in a sentence or two. The sentences are each pack's ``taste.json``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from aidj.languages import language_packs
from aidj.taste.profile import TasteProfile

DEFAULT_LANGUAGE = "en"
# reason kind -> sentence key in taste.json "sentences"
FAVOURITE, MORE, NEIGHBOUR, NEW, LONG_AGO = "favourite", "more", "neighbour", "new", "long_ago"


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    return {
        code: pack.taste for code, pack in language_packs().packs.items() if pack.taste.sentences
    }


def sentence(kind: str, language: str | None, **values: str) -> str:
    """A taste sentence in ``language`` (English where the pack has none)."""
    tables = _tables()
    own = tables.get(language or DEFAULT_LANGUAGE, tables[DEFAULT_LANGUAGE]).sentences
    template = own.get(kind) or tables[DEFAULT_LANGUAGE].sentences[kind]
    return template.format(**values)


def _join(names: list[str], language: str | None) -> str:
    """ "A, B and C" with the conjunction of the language's notices.json."""
    packs = language_packs().packs
    own = packs.get(language or DEFAULT_LANGUAGE, packs[DEFAULT_LANGUAGE])
    conjunction = own.notices.conjunction or packs[DEFAULT_LANGUAGE].notices.conjunction
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def summary(profile: TasteProfile, language: str | None) -> str:
    """One or two sentences on what AI DJ believes about a listener."""
    artists = [
        e.name
        for e in profile.ranked_artists()
        if e.weight > 0 and e.name not in profile.never_artists
    ][:3]
    genres = [
        e.name
        for e in profile.ranked_genres()
        if e.score > 0 and e.name not in profile.never_genres
    ][:3]
    if not artists and not genres:
        return sentence("summary_empty", language)
    parts = [
        sentence(
            "summary",
            language,
            artists=_join(artists, language) or "—",
            genres=_join(genres, language) or "—",
        )
    ]
    decade = profile.top_era()
    if decade is not None:
        parts.append(sentence("summary_era", language, decade=str(decade)))
    if not profile.use:
        parts.append(sentence("summary_off", language))
    return " ".join(parts)
