"""Genre words in a prompt: names and aliases, nationality + style, compounds and inflections.

Reads consumable tokens (``text.Tokens``) so a word read as a genre is not read again as a
mood; the words themselves are the packs' ``genres.json`` (through ``genres.py``).
"""

from __future__ import annotations

from aidj.genres import (
    ALIAS_HINTS,
    ALIASES,
    COMPOUND_ENDINGS,
    COMPOUND_STEMS,
    COMPOUND_SUFFIXES,
    NATION_LANGUAGES,
    NATIONALITY_WORDS,
    REGIONAL,
    nation_genres,
    nationality,
)
from aidj.language import detect as detect_language
from aidj.languages import language_packs
from aidj.lexicon import CONCEPTS, QUALIFIERS, concept_for, stems
from aidj.text import PhraseIndex, Tokens, longest_first

# Mood and qualifier words are never read as genres inside a hyphenated or inflected word.
LEXICON_WORDS_NOT_GENRES = {w for c in CONCEPTS for w in c.words} | set(QUALIFIERS)
_GENRE_PHRASES = longest_first(ALIASES)
# Every stem tried for a plural or inflection is three or more characters starting the word,
# so a word whose first three are no genre name's opens none (most words: no slicing needed).
_ALIAS_OPENINGS = frozenset(a[:3] for a in ALIASES)
_GENRE_INDEX = PhraseIndex([(p, (order, p)) for order, p in enumerate(_GENRE_PHRASES)])
_NOT_GENRES = PhraseIndex.of(longest_first(language_packs().merged.genres.not_genres))
_OWN_NOT_GENRES = {
    code: PhraseIndex.of(longest_first(pack.genres.own_not_genres))
    for code, pack in language_packs().packs.items()
}


def span(tokens: Tokens, phrase: str) -> range:
    """Token positions of the first unconsumed occurrence of ``phrase`` (empty when absent)."""
    i = tokens.find(phrase)
    return range(i, i + len(phrase.split())) if i >= 0 else range(0)


def read_genres(
    tokens: Tokens, language: str | None = None
) -> tuple[list[str], dict[str, float], list[list[str]], list[str]]:
    """Genre slugs in the prompt, the sound their names imply, and the slugs grouped by the
    words that named them ("k-pop and metal": two groups). ``language``: the prompt's."""
    found: list[str] = []
    named: list[list[str]] = []
    unsung: list[str] = []  # languages of nations named that the catalog has no genre for
    # "cleaning the house", "Swedish massage", "j'ai le blues": the genre word there is no
    # genre; hide it from the genre readers, then give it back for moods and activities
    hidden = [
        i
        for phrase in _NOT_GENRES.present(tokens)
        for i in span(tokens, phrase)
        if not tokens.used[i]
    ]
    hidden += _own_words(tokens, language)
    for i in hidden:
        tokens.used[i] = True
    try:
        return (*_genre_words(tokens, found, named, unsung), unsung)
    finally:
        for i in hidden:
            tokens.used[i] = False


def _own_words(tokens: Tokens, language: str | None) -> list[int]:
    """Positions of the prompt language's own words that are no genre in it ("chansons" in a
    French prompt), outside any longer genre phrase the prompt holds ("chanson française")."""
    own = _OWN_NOT_GENRES.get(language or "")
    if own is None:
        return []
    words = [i for phrase in own.present(tokens) for i in span(tokens, phrase)]
    if not words:
        return []  # the common case: no such word, no second language reading
    rest = " ".join(w for i, w in enumerate(tokens.folded) if i not in words)
    if detect_language(rest) != language:
        return []  # the word made the prompt look French: "Chanson zum Abendessen" is German
    held = {
        i
        for phrase in _GENRE_INDEX.present(tokens)
        if " " in phrase[1]
        for i in span(tokens, phrase[1])
    }
    return [i for i in words if not tokens.used[i] and i not in held]


def _genre_words(
    tokens: Tokens, found: list[str], named: list[list[str]], unsung: list[str]
) -> tuple[list[str], dict[str, float], list[list[str]]]:
    placed: list[tuple[int, list[str]]] = []  # (position in the prompt, slugs) per genre word
    # "japanischer Rock", "pop turco", "schwedische Popmusik": nationality + style
    nations = [] if NATIONALITY_WORDS.isdisjoint(tokens.folded) else tokens.folded
    for i, word in enumerate(nations):
        if tokens.used[i] or word in ALIASES:
            continue
        nation = nationality(word)
        if nation is None:
            continue
        tokens.used[i] = True
        styles = []
        for k in (i - 1, i + 1):
            if 0 <= k < len(tokens.folded) and not tokens.used[k]:
                neighbour = tokens.folded[k]
                for suffix in COMPOUND_SUFFIXES:
                    if neighbour.endswith(suffix) and len(neighbour) > len(suffix) + 2:
                        neighbour = neighbour[: -len(suffix)]
                        break
                styles.append(neighbour)
        slugs = nation_genres(nation, tuple(styles))
        if not slugs and nation in NATION_LANGUAGES:
            unsung.append(NATION_LANGUAGES[nation])
        if slugs and slugs[0] not in REGIONAL:
            # a style-specific answer (j-rock, k-pop) replaces the neighbouring style word
            for k in (i - 1, i + 1):
                if (
                    0 <= k < len(tokens.folded)
                    and styles
                    and tokens.folded[k].startswith(styles[0][:3])
                ):
                    tokens.used[k] = True
        found.extend(g for g in slugs if g not in found)
        if slugs:
            placed.append((i, list(slugs)))
    for i, word in enumerate(tokens.folded):
        # "Techno-Set", "Jazz-Abend", "rock-party": a genre word hyphenated to a plain one
        if tokens.used[i] or "-" not in word or word in ALIASES:
            continue
        parts = [p for p in word.split("-") if p]
        genre_parts = [p for p in parts if p in ALIASES and p not in LEXICON_WORDS_NOT_GENRES]
        if run := _longest_genre_run(parts):
            # "Punk-Rock-Klassiker", "Hard-Rock-Hymnen": the longest run of parts naming a
            # style wins them, as a phrase would ("Après-Ski-Hütte" is a mood: left to moods)
            tokens.used[i] = True
            found.extend(s for s in ALIASES[run] if s not in found)
            placed.append((i, list(ALIASES[run])))
        elif len(genre_parts) == 1:
            tokens.folded[i] = genre_parts[0]
    for i, word in enumerate(tokens.folded):
        # plurals and inflections: "tangos", "reggaetones", "klassische", "elettroniche"
        if (
            not tokens.used[i]
            and word not in ALIASES
            and len(word) >= 5
            and word[:3] in _ALIAS_OPENINGS
        ):
            for stem in (word[:-1], word[:-2], *stems(word)):
                if stem in ALIASES and stem not in LEXICON_WORDS_NOT_GENRES:
                    tokens.folded[i] = stem
                    break
    for i, word in enumerate(tokens.folded):
        # "rockmusik", "klaviermusik", "tanzmusik": a genre word glued to "music"
        if not word.endswith(COMPOUND_SUFFIXES):  # one test for all suffixes (most words)
            continue
        for suffix in COMPOUND_ENDINGS.of(word):
            stem = word[: -len(suffix)] if len(word) > len(suffix) + 2 else ""
            if stem and not tokens.used[i] and (stem in ALIASES or stem in COMPOUND_STEMS):
                tokens.used[i] = True
                slugs = ALIASES.get(stem) or COMPOUND_STEMS[stem]
                found.extend(slug for slug in slugs if slug not in found)
                placed.append((i, list(slugs)))
                break
    hints: dict[str, float] = {}
    for at, phrase in _winning_phrases(tokens):
        found.extend(s for s in ALIASES[phrase] if s not in found)
        placed.append((at, list(ALIASES[phrase])))
        for key, value in ALIAS_HINTS.get(phrase, {}).items():
            hints.setdefault(key, value)
    # in the order the prompt names them: "house down to ambient" travels from house
    named.extend(slugs for _, slugs in sorted(placed, key=lambda item: item[0]))
    return found, hints, named


def _winning_phrases(tokens: Tokens) -> list[tuple[int, str]]:
    """Genre phrases that win their words, consumed, in the packs' longest-first order.

    Phrases compete for words: "punk rock classics" holds "punk rock" and "rock classics"
    (classic rock), which share "rock". The longest reading of a word wins; between readings as
    long, the more specific one (fewer slugs: "punk rock" is two styles, "rock classics" the
    whole rock family), then the one that starts first (a modifier comes first in "punk rock").
    """
    matches: list[tuple[int, int, int, int, str]] = []  # (-words, slugs, start, order, phrase)
    for order, phrase in _GENRE_INDEX.present(tokens):
        at = tokens.find(phrase)
        while at >= 0:
            n = len(phrase.split())
            matches.append((-n, len(ALIASES[phrase]), at, order, phrase))
            at = tokens.find(phrase, at + 1)
    won: list[tuple[int, int, str]] = []  # (order, start, phrase)
    for minus_n, _, at, order, phrase in sorted(matches):
        if not any(tokens.used[at : at - minus_n]):
            tokens.consume(at, at - minus_n)
            won.append((order, at, phrase))
    return [(at, phrase) for _, at, phrase in sorted(won)]


def _longest_genre_run(parts: list[str]) -> str:
    """The longest run of two or more hyphenated parts that is a genre phrase ("" when none)."""
    for n in range(len(parts), 1, -1):
        for a in range(len(parts) - n + 1):
            if (run := " ".join(parts[a : a + n])) in ALIASES and concept_for(run) is None:
                return run
    return ""
