"""What a prompt rules out: "no Queen", "anything but country", "sin canciones explícitas",
"ohne Mickie Krause und DJ Ötzi", "niente ballate" (not slow), "no vocals" (instrumental).

A negation word opens a phrase of up to four words that ends at a conjunction or punctuation;
the phrase is read as explicit lyrics, vocals, a genre, a mood (whose opposite is wanted) or,
last, an artist — resolved against the catalog when a resolver is given, otherwise a
capitalised name. A list goes on after "and"/"und"/"y" when a name or genre follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aidj.genres import ALIASES
from aidj.lexicon import concept_for
from aidj.text import Tokens, fold, longest_first

ArtistResolver = Callable[[str], str | None]

_NEGATIONS = longest_first((
    "anything but", "everything but", "except for", "other than", "apart from", "minus the", "todo menos",
    "cualquier cosa menos", "lo que sea menos", "qualquer coisa menos", "tudo menos", "tout sauf",
    "n'importe quoi sauf", "alles ausser", "alles bis auf", "tutto tranne", "tutto tranne che", "fuorche",
    "no", "not", "without", "except", "but no", "but not", "nothing", "avoid", "skip", "minus",
    "exclude", "excluding", "no more", "don't want", "dont want", "do not want", "never", "none",
    "sin", "nada de", "excepto", "salvo", "ni", "no quiero", "evitar", "sem", "nada", "exceto",
    "nao", "nao quero", "sans", "pas de", "aucun", "aucune", "sauf", "excepte", "jamais", "rien de", "rien d",
    "ohne", "kein", "keine", "keinen", "keiner", "ausser", "nicht", "bloss kein", "senza",
    "niente", "tranne", "eccetto", "non", "mai",
))
STOP_WORDS = {
    "and", "or", "but", "y", "o", "pero", "e", "ou", "mas", "et", "mais", "und", "oder", "aber",
    "ed", "ma", "for", "para", "pra", "pour", "fur", "per", "to", "with", "con", "com", "avec",
    "mit", "please", "por", "favor", "thanks", ",", ";", ":", "!", "?",
}
_SKIP_AFTER_NEGATION = {
    "more", "less", "longer", "than", "mas", "menos", "plus", "moins", "mehr", "weniger", "piu",
    "meno", "too", "muy", "very", "so", "tan", "trop", "zu", "troppo", "other", "otra", "outra",
    "autre", "andere", "altra", "de", "del", "da", "do", "di", "des", "du", "the", "any", "el",
    "la", "los", "las", "le", "les", "die", "der", "das", "il", "lo", "gli", "o", "a", "os", "as",
    "songs", "song", "tracks", "music", "canciones", "musica", "musicas", "cancoes", "chansons",
    "musique", "lieder", "musik", "canzoni", "by", "from", "of", "de", "von", "dei", "delle",
    "quiero", "want", "more",
}
_LIST_CONJUNCTIONS = {"and", "or", "nor", "und", "oder", "y", "o", "ni", "e", "ou", "nem", "et", "ed", "ne"}
_EXPLICIT_WORDS = {
    "explicit", "explicitas", "explicitos", "explicita", "explicito", "explicites", "explicite",
    "explizit", "explizite", "expliziten", "esplicite", "espliciti", "esplicito", "esplicita",
    "swearing", "swear", "profanity", "cursing", "curse", "palabrotas", "groserias", "palavroes",
    "gros mots", "schimpfworter", "parolacce", "dirty", "nsfw", "explicit lyrics", "parental",
    "palavrao", "palabrota", "groseria", "parolaccia", "gros mot", "schimpfwort", "swear words",
    "bad words", "bad language", "cuss", "cussing", "cuss words", "profanities", "obscenities", "vulgar",
    "vulgaridades", "vulgarites", "volgarita", "obszon", "fluche", "flucherei",
}
_CLEAN_PHRASES = longest_first((
    "clean", "clean version", "family friendly", "family-friendly", "kid friendly", "kid-friendly",
    "kids friendly", "radio edit", "apto para ninos", "para toda la familia", "para toda a familia",
    "tout public", "familienfreundlich", "jugendfrei", "per tutta la famiglia", "adatto ai bambini",
    "safe for work", "sfw",
))
_INSTRUMENTAL_NEGATED = {"vocals", "vocal", "voice", "voices", "lyrics", "words", "singing", "letra",
                         "letras", "voz", "vozes", "paroles", "voix", "gesang", "text", "stimme",
                         "parole", "voce", "testo", "talking", "rap vocals"}


def read_exclusions(tokens: Tokens, out: dict[str, Any], resolve_artist: ArtistResolver | None) -> None:
    """Genres, artists, explicit lyrics, vocals and moods the prompt rules out."""
    i = 0
    while i < len(tokens.folded):
        neg_len = 0
        for phrase in _NEGATIONS:
            n = len(phrase.split())
            if tokens.folded[i : i + n] == phrase.split() and not any(tokens.used[i : i + n]):
                neg_len = n
                break
        if not neg_len:
            i += 1
            continue
        j = i + neg_len
        while j < len(tokens.folded) and tokens.folded[j] in _SKIP_AFTER_NEGATION:
            if tokens.folded[j] in ("more", "less", "longer", "than", "mas", "menos", "plus", "moins",
                                    "mehr", "weniger", "piu", "meno", "too", "muy", "very"):
                j = -1
                break
            j += 1
        if j < 0:
            i += neg_len
            continue
        k = j
        while k < len(tokens.folded) and k - j < 4 and tokens.folded[k] not in STOP_WORDS:
            k += 1
        if k == j:
            i += neg_len
            continue
        words = tokens.folded[j:k]
        phrase = " ".join(words)
        handled = False
        if any(w in _EXPLICIT_WORDS for w in words) or phrase in _EXPLICIT_WORDS:
            out["explicit"] = False
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
            if not handled:
                # "ohne die Toten Hosen": the skipped article may belong to the name
                artist = next(
                    (a for start in range(i + neg_len, j)
                     if (a := catalog_artist(tokens.original[start:k], resolve_artist))),
                    None,
                ) or artist_named(tokens.original[j:k], resolve_artist)
                if artist:
                    out.setdefault("exclude_artists", []).append(artist)
                    k = j + len(artist.split()) if fold(artist).split() == words[: len(artist.split())] else k
                    handled = True
        if handled:
            tokens.consume(i, k)
            # "ohne Mickie Krause und DJ Ötzi", "no rap or trap": the list goes on after a conjunction
            if (
                k + 1 < len(tokens.folded)
                and tokens.folded[k] in _LIST_CONJUNCTIONS
                and (tokens.original[k + 1][:1].isupper() or tokens.folded[k + 1] in ALIASES)
            ):
                tokens.folded[k] = "no"  # read the conjunction as a repeated negation
            i = k
        else:
            i += neg_len


def catalog_artist(words: list[str], resolve_artist: ArtistResolver | None) -> str | None:
    """The longest leading run of words that names an artist the catalog knows."""
    if resolve_artist is None:
        return None
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n]).strip(".'\"")
        if name and (resolved := resolve_artist(name)):
            return resolved
    return None


def artist_named(words: list[str], resolve_artist: ArtistResolver | None) -> str | None:
    """The longest leading run of words that names an artist."""
    if resolve_artist is not None:
        resolved = catalog_artist(words, resolve_artist)
        if resolved:
            return resolved
        name = " ".join(words).strip(".'\"")
        # not in the catalog, but clearly a name: honour the exclusion anyway
        return name if name[:1].isupper() else None
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n]).strip(".'\"")
        if name[:1].isupper() and fold(name) not in _SKIP_AFTER_NEGATION:
            return name
    return None


def read_clean(tokens: Tokens, out: dict[str, Any]) -> None:
    """"Clean", "family friendly": no explicit tracks."""
    for phrase in _CLEAN_PHRASES:
        if tokens.take(phrase) >= 0:
            out["explicit"] = False
