"""What a prompt rules out: "no Queen", "anything but country", "sin canciones explícitas",
"ohne Mickie Krause und DJ Ötzi", "niente ballate" (not slow), "no vocals" (instrumental).

A negation word opens a phrase of up to six words that ends at a conjunction or punctuation;
the phrase is read as explicit lyrics, vocals, a genre, a mood (whose opposite is wanted) or,
last, an artist — resolved against the catalog when a resolver is given, otherwise a
capitalised name. A list goes on after "and"/"und"/"y" when a name or genre follows. The
words come from each language pack's ``exclusions.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aidj.catalog import artist_key
from aidj.folding import fold
from aidj.genres import ALIASES, REGIONAL
from aidj.languages import language_packs
from aidj.lexicon import base_forms, concept_for
from aidj.notices import code as notice_code
from aidj.occasions import seasons_named
from aidj.text import PhraseIndex, Tokens, longest_first

ArtistResolver = Callable[[str], str | None]

_WORDS = language_packs().merged.exclusions
_NEGATIONS = PhraseIndex([(p, p.split()) for p in longest_first(_WORDS.negations)])
STOP_WORDS = frozenset([*language_packs().merged.words.stop_words, ",", ";", ":", "!", "?"])
_SKIP_AFTER_NEGATION = frozenset(_WORDS.skip_after_negation)
_COMPARATIVES = frozenset(_WORDS.comparatives)  # "no more than", "not too": no exclusion follows
_SKIPPED = _SKIP_AFTER_NEGATION | _COMPARATIVES
_LIST_CONJUNCTIONS = frozenset(_WORDS.list_conjunctions)
_EXPLICIT_WORDS = frozenset(_WORDS.explicit_words)
_CLEAN_PHRASES = PhraseIndex.of(longest_first(_WORDS.clean_phrases))
_INSTRUMENTAL_NEGATED = frozenset(_WORDS.vocals)
_MAX_WORDS = 6  # what one negation rules out: "geen Dimitri Vegas & Like Mike"


def read_exclusions(
    tokens: Tokens, out: dict[str, Any], resolve_artist: ArtistResolver | None
) -> None:
    """Genres, artists, explicit lyrics, vocals and moods the prompt rules out."""
    if not _NEGATIONS.opens_any(tokens.folded):
        return  # every exclusion follows a negation (most prompts hold none)
    i = 0
    listed_by: dict[int, str] = {}  # a list's later names, by the negation that opened the list
    while i < len(tokens.folded):
        neg_len = 0
        for words in _NEGATIONS.starting_with(tokens.folded[i]):
            n = len(words)
            if tokens.folded[i : i + n] == words and not any(tokens.used[i : i + n]):
                neg_len = n
                break
        if not neg_len:
            i += 1
            continue
        j = i + neg_len
        while j < len(tokens.folded) and tokens.folded[j] in _SKIPPED:
            if tokens.folded[j] in _COMPARATIVES:
                j = -1
                break
            j += 1
        if j < 0:
            i += neg_len
            continue
        k = j
        while k < len(tokens.folded) and k - j < _MAX_WORDS and not _ends_phrase(tokens, k):
            k += 1
        if k == j:
            i += neg_len
            continue
        words = tokens.folded[j:k]
        phrase = " ".join(words)
        handled = False
        listed = ""  # what a list may go on naming: "genre" or "artist"
        if any(_explicit(w) for w in words) or phrase in _EXPLICIT_WORDS:
            out["explicit"] = False
            handled = True
        elif seasons_named(phrase):
            # "zonder kerstmuziek", "sin villancicos": seasonal songs stay out (the default), and
            # the consumed words never ask for the season (``read_occasion`` reads what is left)
            handled = True
        elif any(w in _INSTRUMENTAL_NEGATED for w in words[:2]):
            out["instrumentalness"] = 0.8
            out["speechiness"] = 0.04
            handled = True
        else:
            for n in range(len(words), 0, -1):
                candidate = " ".join(words[:n])
                if candidate in ALIASES:
                    slugs = ALIASES[candidate]
                    excluded = out.setdefault("exclude_genres", [])
                    excluded.extend(s for s in slugs[:1] if s not in excluded)
                    k = j + n
                    handled = True
                    listed = "genre"
                    break
                concept = concept_for(candidate)
                if concept is not None:
                    # "no ballads", "nothing sad": the opposite of that concept's mood
                    if (concept.settings.get("energy") or 1.0) <= 0.45:
                        out["_energy_floor"] = 0.65
                    if (concept.settings.get("valence") or 1.0) <= 0.3:
                        out["_valence_floor"] = 0.55
                    k = j + n
                    handled = True
                    break
            if not handled and k + 1 < len(tokens.folded) and artist_key(tokens.folded[k]) == "&":
                # a duo: "sem Henrique e Juliano", "sin Jesse y Joy" (the joiner is also a stop word)
                end = k + 1
                while (
                    end < len(tokens.folded)
                    and end - k <= 3
                    and tokens.folded[end] not in STOP_WORDS
                ):
                    end += 1
                duo = catalog_artist(tokens.original[j:end], resolve_artist)
                if duo and len(duo.split()) > k - j:
                    k = end
            if not handled:
                # "ohne die Toten Hosen": the skipped article may belong to the name
                artist = next(
                    (
                        a
                        for start in range(i + neg_len, j)
                        if (a := catalog_artist(tokens.original[start:k], resolve_artist))
                    ),
                    None,
                ) or artist_named(tokens.original[j:k], resolve_artist)
                if artist:
                    out.setdefault("exclude_artists", []).append(artist)
                    if resolve_artist is not None and resolve_artist(artist) is None:
                        # reported (``unknown_exclusions``), never swapped for an artist who
                        # shares a first name
                        negation = listed_by.get(i) or " ".join(tokens.folded[i : i + neg_len])
                        out.setdefault("_unknown", []).append((negation, artist))
                    if fold(artist).split() == words[: len(artist.split())]:
                        k = j + len(artist.split())
                    elif span := words_naming(tokens.original[j:k], artist, resolve_artist):
                        k = j + span  # "sin Bisbal ni Alborán": "Bisbal" named David Bisbal
                    handled = True
                    listed = "artist"
        if handled:
            tokens.consume(i, k)
            # "ohne Mickie Krause und DJ Ötzi", "no rap or trap": the list goes on after a conjunction
            if _list_goes_on(tokens, k, listed):
                tokens.folded[k] = "no"  # read the conjunction as a repeated negation
                listed_by[k] = listed_by.get(i) or " ".join(tokens.folded[i : i + neg_len])
            i = k
        else:
            i += neg_len


def _ends_phrase(tokens: Tokens, k: int) -> bool:
    """A stop word ends what a negation rules out, unless it starts a name: "Ed Sheeran" (Italian
    "ed" is "and"), "Die Toten Hosen" — capitalised and followed by another capitalised word."""
    if tokens.folded[k] not in STOP_WORDS:
        return False
    original = tokens.original
    return not (
        original[k][:1].isupper() and k + 1 < len(original) and original[k + 1][:1].isupper()
    )


def _list_goes_on(tokens: Tokens, k: int, listed: str) -> bool:
    """Whether the word at ``k`` joins another name or style to the list ruled out: a conjunction
    ("ohne X und Y", "sin X ni Y", "weder X noch Y") or a comma ("without X, Y or Z") before a
    capitalised name or a style. A comma also ends a clause ("sin explícitas, reggaeton para la
    fiesta"), so it lists on only between names or styles, and only when a conjunction closes
    the list soon after ("X, Y or Z")."""
    folded, original = tokens.folded, tokens.original
    if k + 1 >= len(folded) or tokens.used[k + 1]:
        return False
    style = _style(folded[k + 1])
    named = original[k + 1][:1].isupper() or style
    if folded[k] in _LIST_CONJUNCTIONS:
        return named
    if folded[k] != "," or not (style if listed == "genre" else listed == "artist" and named):
        return False
    return any(word in _LIST_CONJUNCTIONS for word in folded[k + 2 : k + 6])


def _style(word: str) -> bool:
    """A genre word that names a style: "no rap en metal" lists on, "sin rap en español" does not."""
    return word in ALIASES and not set(ALIASES[word]) <= REGIONAL


def catalog_artist(words: list[str], resolve_artist: ArtistResolver | None) -> str | None:
    """The longest leading run of words that names an artist the catalog knows."""
    if resolve_artist is None:
        return None
    for n in range(len(words), 0, -1):
        if n < len(words) and words[n][:1].isupper():
            continue  # "Aretha Fakename": the name goes on, so "Aretha" alone is someone else
        name = " ".join(words[:n]).strip(".'\"")
        if name and (resolved := resolve_artist(name)):
            return resolved
    return None


def words_naming(words: list[str], artist: str, resolve_artist: ArtistResolver | None) -> int:
    """How many leading ``words`` named ``artist`` (a surname alone names its one artist), so
    the rest of a list ("… ni Alborán") is read on; 0 when none did."""
    if resolve_artist is None:
        return 0
    for n in range(1, len(words) + 1):
        if resolve_artist(" ".join(words[:n]).strip(".'\"")) == artist:
            return n
    return 0


def artist_named(words: list[str], resolve_artist: ArtistResolver | None) -> str | None:
    """The longest leading run of words that names an artist."""
    if resolve_artist is not None:
        resolved = catalog_artist(words, resolve_artist)
        if resolved:
            return resolved
        name = " ".join(_first_listed(words)).strip(".'\"")
        # not in the catalog, but clearly a name: honour the exclusion anyway
        return name if name[:1].isupper() else None
    words = _first_listed(words)
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n]).strip(".'\"")
        if name[:1].isupper() and fold(name) not in _SKIPPED:
            return name
    return None


def _first_listed(words: list[str]) -> list[str]:
    """The first name of a list the catalog cannot tell apart: "Booba ni PNL", "X und Y" -> the
    words before the first list word that has a capitalised word after it."""
    for n in range(1, len(words) - 1):
        if fold(words[n]) in _LIST_CONJUNCTIONS and words[n + 1][:1].isupper():
            return words[:n]
    return words


def _explicit(word: str) -> bool:
    """ "Explizites", "expliciets", "esplicite": an explicit word, inflected or not."""
    return word in _EXPLICIT_WORDS or any(base in _EXPLICIT_WORDS for base in base_forms(word))


def read_clean(tokens: Tokens, out: dict[str, Any]) -> None:
    """ "Clean", "family friendly": no explicit tracks."""
    for phrase in _CLEAN_PHRASES.present(tokens):
        if tokens.take(phrase) >= 0:
            out["explicit"] = False


def unknown_exclusions(out: dict[str, Any], language: str) -> list[str]:
    """Notice codes for ruled-out names the catalog lacks, when the word that ruled them out is
    a negation in the prompt's own language: Portuguese "no São João" is "at", not "no"."""
    pack = language_packs().packs.get(language)
    negations = set(pack.exclusions.negations) if pack is not None else None
    return [
        notice_code("exclusion_unknown", name)
        for negation, name in out.pop("_unknown", [])
        if negations is None or negation in negations
    ]
