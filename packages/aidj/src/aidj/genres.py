"""The catalog's genre vocabulary and the words people use for each genre.

Genre slugs are those of the Spotify Tracks Dataset (114 genres), listed with their relations
in ``languages/common/genres.json``. ``GENRE_ALIASES`` maps what people type, in every language
pack's ``genres.json``, to one or more slugs; matching is done on accent-folded lowercase text,
longest phrase first, so "deep house" wins over "house".
"""

from __future__ import annotations

from functools import lru_cache

from aidj.endings import Endings
from aidj.languages import language_packs

_COMMON = language_packs().common.genres
_WORDS = language_packs().merged.genres

GENRES: tuple[str, ...] = tuple(_COMMON.genres)
# Genres whose catalog slice is a mood/activity grab-bag rather than a style; they are only
# used when named outright, never inferred from a mood word.
MOOD_GENRES = frozenset(_COMMON.mood_genres)
# Phrase -> genre slugs. Slugs themselves (with spaces for dashes) are added below.
GENRE_ALIASES: dict[str, tuple[str, ...]] = {
    phrase: tuple(slugs) for phrase, slugs in _WORDS.genres.items()
}
# Compounds: "Rockmusik", "Klaviermusik", "rockklassiekers", "popnummers" -> the stem is the genre
# word; song words glue on as well as "music" does. Longest first.
COMPOUND_SUFFIXES = tuple(
    sorted(
        {
            *_WORDS.compound_suffixes,
            *(w for w in language_packs().merged.numbers.song_words if len(w) >= 4),
        },
        key=lambda s: (-len(s), s),
    )
)
COMPOUND_ENDINGS = Endings(COMPOUND_SUFFIXES)
# Compound stems that are no genre word alone ("tanz" in "Tanzmusik").
COMPOUND_STEMS: dict[str, tuple[str, ...]] = {
    stem: tuple(slugs) for stem, slugs in _WORDS.compound_stems.items()
}
# Close neighbours used to fill a playlist when a genre is thin.
RELATED: dict[str, tuple[str, ...]] = {slug: tuple(near) for slug, near in _COMMON.related.items()}
# Styles whose name also says how they sound; applied when the prompt sets nothing else.
ALIAS_HINTS: dict[str, dict[str, float]] = dict(_WORDS.style_hints)
# Catalog genres that name a country or language rather than a style.
REGIONAL = frozenset(_COMMON.regional)
# Features implied by a genre when the prompt sets nothing else for them.
GENRE_HINTS = _COMMON.genre_hints
# The same style under another catalog file's labels (the files that date their tracks).
OTHER_LABELS: dict[str, tuple[str, ...]] = {
    slug: tuple(labels) for slug, labels in _COMMON.other_labels.items()
}
# Nations the catalog has no genre for -> the language their songs are sung in.
NATION_LANGUAGES: dict[str, str] = dict(_COMMON.nation_languages)

_NATIONALITIES: dict[str, tuple[str, ...]] = {
    n: tuple(_WORDS.nationalities.get(n, ())) for n in _COMMON.nations
}
# "schwedische", "japoneses": a nationality's inflected forms
_NATION_SUFFIXES = frozenset(language_packs().merged.words.inflections)


def _nationality_table() -> dict[str, str]:
    """Every form of every nationality adjective, inflections included -> the nationality.
    The first nationality (in pack order) listing a form keeps it, as a scan would."""
    table: dict[str, str] = {}
    for nation, forms in _NATIONALITIES.items():
        for form in forms:
            table.setdefault(form, nation)
            for suffix in _NATION_SUFFIXES:
                if len(suffix) <= 3:
                    table.setdefault(form + suffix, nation)
    return table


_NATIONALITY_OF = _nationality_table()
# every word :func:`nationality` knows: a prompt holding none (most) needs no nationality reading
NATIONALITY_WORDS = _NATIONALITY_OF.keys()


def nationality(word: str) -> str | None:
    """'schwedische' -> 'swedish', 'giapponese' -> 'japanese'; None for other words (one lookup:
    the interpreter asks for every word of a prompt)."""
    return _NATIONALITY_OF.get(word)


def nation_genres(nation: str, styles: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Catalog genres for a nationality, narrowed by a style word when one follows or precedes it."""
    for style in styles:
        if style in _COMMON.nation_styles.get(nation, {}):
            return tuple(_COMMON.nation_styles[nation][style])
    if _COMMON.nations.get(nation):
        return tuple(_COMMON.nations[nation])
    return (nation,) if nation in REGIONAL else ()


def _fold_aliases() -> dict[str, tuple[str, ...]]:
    table = dict(GENRE_ALIASES)
    for phrase, slugs in GENRE_ALIASES.items():
        if " " in phrase:
            table.setdefault(phrase.replace(" ", "-"), slugs)  # "indie-rock", "drum-and-bass"
    for slug in GENRES:
        if slug in MOOD_GENRES:
            continue  # "party", "sad", "dance" are moods in a sentence, not a request for that slice
        table.setdefault(slug, (slug,))
        table.setdefault(slug.replace("-", " "), (slug,))
    return table


ALIASES = _fold_aliases()


@lru_cache(maxsize=1)
def anchor_rules() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Genres no genre-free set is built around (``common/genres.json`` ``never_anchor``), and
    each language's local genres: a pack's ``local_genres``, or ``common/``'s for languages
    without a pack (see aidj.coherence)."""
    packs = language_packs()
    local = {code: frozenset(pack.genres.local_genres) for code, pack in packs.packs.items()}
    local.update({code: frozenset(g) for code, g in packs.common.genres.local_genres.items()})
    return frozenset(packs.common.genres.never_anchor), local


@lru_cache(maxsize=16)
def local_genres(exclude_language: str | None) -> tuple[str, ...]:
    """Genres tied to a language or country, other than ``exclude_language``'s, in a fixed order."""
    _, local = anchor_rules()
    ours = local.get(exclude_language or "en", frozenset())
    return tuple(sorted(frozenset().union(*local.values()) - ours))
