"""The shape of a language pack and of the cross-language data, validated by pydantic on load.

A pack is a folder ``languages/<code>/`` of JSON files, one model below per file. Every word
class is a field with an empty default, so a pack may leave out what its language does not
need, and a new word class is one new field here plus the reader that uses it. Phrases are
written accent-folded and lowercase (as ``aidj.text.fold`` leaves them), one space between
words; the loader rejects anything else, duplicates within a list, unknown concept, qualifier
or nationality names, and genre targets that are not catalog genre slugs.
"""

from __future__ import annotations

import re
import string
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from aidj.intent import SEASONS

Phrases = list[str]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------ common/ (cross-language)


class ConceptDef(_Section):
    """A mood or activity and what it means musically; its words live in the packs."""

    name: str
    description: str  # an English sentence, an exemplar for the embedding fallback
    settings: dict[str, Any]  # Intent fields the concept implies ("mood" is its English label)
    genres: list[str] = Field(default_factory=list)  # only used when the prompt names no genre
    weight: float = 1.0  # how strongly its settings pull when several concepts are mentioned


class CommonMoods(_Section):
    concepts: list[ConceptDef]
    qualifiers: dict[str, dict[str, Any]]  # name -> feature nudges ("energy_min", "tempo", ...)


class CommonGenres(_Section):
    genres: list[str]  # the catalog's genre slugs
    mood_genres: list[str]  # slugs that are a mood grab-bag, used only when named outright
    regional: list[str]  # slugs naming a country or language rather than a style
    related: dict[str, list[str]]
    nations: dict[str, list[str]]  # nationality -> its genres when no style word narrows it
    nation_styles: dict[
        str, dict[str, list[str]]
    ]  # nationality -> style word -> genres ("japanese" "rock")
    genre_hints: dict[
        str, dict[str, Any]
    ]  # slug -> Intent fields it implies when nothing else sets them
    # slug -> the same style under another catalog file's labels (TidyTuesday's "hip hop", "rap"):
    # the files that date their tracks use those labels, so an era reaches for them too
    other_labels: dict[str, list[str]] = {}
    # nationality -> the language its songs are sung in, for nations the catalog has no genre
    # for: "canzoni italiane" is answered, and told that sung language cannot be chosen
    nation_languages: dict[str, str] = {}
    # slugs no genre-free set is built around: novelty or label genres nobody means by a mood
    never_anchor: list[str] = []
    # language code -> genres tied to it, for languages without a pack (told by their script, or
    # named by a remote interpreter); a pack lists its own in its genres.json ``local_genres``
    local_genres: dict[str, list[str]] = {}
    # words a playlist name writes as listed whatever case the prompt typed them in ("r&b slow
    # jams" -> "R&B slow jams"): the genre acronyms, and the DJ's own (DJ, BPM)
    acronyms: list[str] = []
    # sub-style slug -> the style it belongs to ("grunge" -> "alt-rock" -> "rock"): a style's
    # family is itself and everything below it (see aidj.genre_map)
    parents: dict[str, str] = {}
    # nationality with a catalog label -> the language code of its scene ("swedish" -> "sv"):
    # what "Swedish metal" intersects the style with
    scene_languages: dict[str, str] = {}
    # language code -> words frequent in the Latin-script titles of a scene without a pack
    # (transliterated film and Punjabi songs: "dil", "kadhal"): they tell a catalog title's
    # scene (aidj.genre_map) where its script cannot, never a prompt's language
    title_markers: dict[str, list[str]] = {}


class Common(_Section):
    moods: CommonMoods
    genres: CommonGenres

    @model_validator(mode="after")
    def _check(self) -> Common:
        known = catalog_labels(self)
        problems = [
            f"genres.{where}: '{slug}' is not a catalog genre slug"
            for where, slugs in (
                ("never_anchor", self.genres.never_anchor),
                *((f"local_genres.{code}", s) for code, s in self.genres.local_genres.items()),
                ("parents", [*self.genres.parents, *self.genres.parents.values()]),
            )
            for slug in slugs
            if slug not in known
        ]
        problems += [
            f"genres.acronyms: '{word}' should be one word with a capital letter"
            for word in self.genres.acronyms
            if word.lower() == word or len(word.split()) != 1
        ]
        if problems:
            raise ValueError("common/genres.json: " + "; ".join(problems))
        return self


def catalog_labels(common: Common) -> set[str]:
    """Every genre label a catalog file uses: the slugs and their other files' labels."""
    genres = common.genres
    return {*genres.genres, *(label for labels in genres.other_labels.values() for label in labels)}


# ------------------------------------------------------------------ <code>/ (one language)


class Words(_Section):
    """words.json: the language's name and its small grammatical and request words."""

    name: str = ""
    stop_words: Phrases = []  # end an exclusion or a seed-artist name ("and", "for", "with")
    filler: Phrases = []  # carry no request on their own ("music", "the", "please")
    after: Phrases = []  # "after <activity>" is a context, not the activity ("after my run")
    articles: Phrases = []  # may stand between "after" and the activity
    popular: Phrases = []
    very_popular: Phrases = []
    superlatives: Phrases = []  # "most" anywhere with a popularity word raises the floor
    obscure: Phrases = []
    major_key: Phrases = []
    minor_key: Phrases = []
    seed_markers: Phrases = []  # "like", "in the style of": an artist name follows
    inflections: Phrases = []  # word endings stripped to find a base word ("traurige" -> "traurig")
    elisions: Phrases = []  # "l'", "dell'": split from the next word
    off_topic: Phrases = []  # embedding anchors for prompts about nothing musical ("hola")
    vocabulary: list[
        str
    ] = []  # domain words the embedding vocabulary must keep, as typed (not folded)
    refine: dict[str, Phrases] = {}  # follow-up requests; a trailing '*' matches any word ending
    # short, frequent words that give the prompt's language away (aidj.language); read per pack
    markers: Phrases = []
    # letters, as typed (not folded), few other languages write ("ñ", "ß", "ij"): each counts as a marker
    marker_letters: list[str] = []
    # words frequent in song titles and rare in the other languages' ("corazon", "saudade"): with
    # ``markers`` they tell a catalog title's language (aidj.genre_map), never a prompt's
    title_markers: Phrases = []


class Moods(_Section):
    """moods.json: concept name -> its phrases; qualifier name -> its phrases (names in common/)."""

    concepts: dict[str, Phrases] = {}
    qualifiers: dict[str, Phrases] = {}


class Genres(_Section):
    genres: dict[str, list[str]] = {}  # phrase -> catalog slugs, most specific first
    style_hints: dict[str, dict[str, float]] = {}  # genre phrase -> how that style sounds
    nationalities: dict[str, Phrases] = {}  # nationality (common/) -> adjective base forms
    compound_suffixes: Phrases = []  # "rockmusik", "klaviermusik": a genre word glued to "music"
    compound_stems: dict[
        str, list[str]
    ] = {}  # a compound's stem that is no genre word alone -> slugs
    # expressions in which a genre word means something else: "cleaning the house", "Latin exam",
    # "Swedish massage", "avoir le blues" (their other words still count: "cleaning" is an activity)
    not_genres: Phrases = []
    # words that are no genre in a prompt in this pack's language, though others borrow them as
    # one: French "chansons pour courir", "chaque chanson une fois" are songs (a counted song;
    # "de la chanson", the style, stays), an English or German "chanson" is French chanson. A
    # longer genre phrase holding them still counts ("chansons françaises"). Read per pack.
    own_not_genres: Phrases = []
    # catalog genres tied to this language or its countries: they anchor a genre-free set only
    # for a prompt in this language, and score a little lower elsewhere (aidj.coherence); read per pack
    local_genres: list[str] = []


class Numbers(_Section):
    numbers: dict[str, float] = {}  # number words, including "a dozen", "una ventina"
    song_words: Phrases = []
    hour_words: Phrases = []
    minute_words: Phrases = []
    half_hour: Phrases = []
    and_a_half: Phrases = []  # after a number or an hour word
    and_a_half_words: Phrases = []  # one word meaning "and a half" ("eineinhalb")
    and_a_quarter: Phrases = []
    bpm_words: Phrases = []
    range_words: Phrases = []  # "120 to 130 bpm"
    and_words: Phrases = []  # "1 hour and 30 minutes"
    of_words: Phrases = []  # "una ventina di canzoni"
    approximately: Phrases = []  # suffixes glued to a number: "172ish bpm"
    at_least: Phrases = []  # before a number: a floor
    at_most: Phrases = []  # before a number: a ceiling
    no_more_than: Phrases = []  # a ceiling for lengths only
    per_track: Phrases = []  # "per song", "par morceau": a length that caps each track
    nothing: Phrases = []  # "nothing", "nada", "nix": before a floor it makes a ceiling ("nothing over 3 minutes")


class Arcs(_Section):
    build_up: Phrases = []
    wind_down: Phrases = []
    peak: Phrases = []
    vague_peak: Phrases = []  # "journey", "arc": a shape only when no other arc word names one
    tempo_phrases: Phrases = []  # arc phrases above that move the tempo rather than the energy
    tempo_up: Phrases = []
    tempo_down: Phrases = []
    calming: Phrases = []
    energising: Phrases = []
    tempo_subjects: Phrases = []  # "the tempo ... rises"
    energy_subjects: Phrases = []
    rising: Phrases = []
    falling: Phrases = []
    start_words: Phrases = []
    end_words: Phrases = []
    end_phrases: Phrases = []  # two-word "at the (end)"
    more_and_more: Phrases = []  # "cada vez más <adjective>"
    then_words: Phrases = []  # "then", "dann", "puis", "into": a later part of the set follows


# A feature's end a hedged word names: "boring" is energy_low, so "not boring" bounds energy from below.
HEDGE_ENDS = frozenset(
    f"{feature}_{end}"
    for feature in ("energy", "valence", "danceability", "acousticness", "tempo")
    for end in ("low", "high")
)


class Exclusions(_Section):
    negations: Phrases = []
    skip_after_negation: Phrases = []  # articles and "songs" between "no" and what it rules out
    comparatives: Phrases = []  # "no more than": not an exclusion
    list_conjunctions: Phrases = []  # "no rap or trap": the list goes on
    explicit_words: Phrases = []
    clean_phrases: Phrases = []
    vocals: Phrases = []  # "no vocals": instrumental
    # Hedges bound a feature instead of ruling a mood out: "not too loud", "aber nicht
    # langweilig". `hedges` are openers besides the negations ("not too", "pas trop", "ma non");
    # `hedged` sorts the words a hedge may bound by the end of a feature they name
    # (HEDGE_ENDS: "energy_low": "boring", "slow"; "energy_high": "loud"), a word may name two.
    hedges: Phrases = []
    hedged: dict[str, Phrases] = {}
    # "not too twangy", "nicht zu poppig", "pas trop rock": after a hedge of degree (one of
    # `degrees`: "too", "trop", "zu"), a style is a sub-style to leave out, never one to add.
    # The style is a genre name or an adjective `hedged_styles` files under its catalog slug
    # ("honky-tonk": "twangy"); those adjectives are read only there.
    degrees: Phrases = []
    hedged_styles: dict[str, Phrases] = {}

    @model_validator(mode="after")
    def _hedge_ends(self) -> Exclusions:
        unknown = sorted(set(self.hedged) - HEDGE_ENDS)
        if unknown:
            raise ValueError(f"exclusions.hedged: {unknown} are not among {sorted(HEDGE_ENDS)}")
        return self


class Eras(_Section):
    """eras.json: words that name an era ("eighties", "años 2000", "70ern"); the shapes are eras.py's."""

    decade_words: dict[str, int] = {}  # a word or two meaning a decade -> its first year
    decade_markers: Phrases = []  # before a bare number, make it a decade ("anni 90", "the 80s")
    decade_suffixes: Phrases = []  # glued to a number ("80s", "80er")
    early: Phrases = []  # the first years of a decade
    mid: Phrases = []
    late: Phrases = []
    year_markers: Phrases = []  # before a year ("from 1999", "desde 1999")


class Occasions(_Section):
    """occasions.json: occasions that want known songs, covers, seasons, modifiers."""

    familiar: Phrases = []  # occasions that want songs everyone knows ("office party", "karaoke")
    covers: Phrases = []  # asking for other renditions of songs ("covers of", "versiones de")
    # season -> words asking for it; they also mark a seasonal song's title or album
    seasons: dict[str, Phrases] = {}
    # season -> song-title fragments that mark a seasonal song but are not how one asks for it
    season_titles: dict[str, Phrases] = {}
    # instruments and arrangements the catalog cannot hear ("horn section", "slide guitar"):
    # next to a named style they are a notice, never a replacement genre
    instruments: Phrases = []
    # title fragments of children's learning songs ("phonics", "days of the week"): a lullaby is
    # a soft song for sleep, so a sleep set leaves them out
    learning_titles: Phrases = []


# notice kind -> the placeholders its sentence may use (filled by aidj.notices.render)
NOTICE_FIELDS: dict[str, frozenset[str]] = {
    "language": frozenset({"language", "read"}),
    "vocals": frozenset({"language", "read"}),
    "unknown": frozenset({"text"}),
    "style": frozenset({"style"}),
    "era_none": frozenset({"era"}),
    "era_thin": frozenset({"era", "found", "wider"}),
    "short": frozenset({"found", "asked"}),
    "duration": frozenset({"got", "asked"}),
    "exclusion_unknown": frozenset({"name"}),
    "instrument": frozenset({"text"}),
    "scene_thin": frozenset({"language", "found"}),
    "scene_none": frozenset({"language"}),
    "instrumental": frozenset(),  # the style named has too few instrumental tracks
}
# why a delivery left a track out (aidj.matching.REASONS) -> the placeholders its sentence may use
# (filled by aidj.delivery_notices): the closest candidate's title and artists, the platform's
# name, the candidate's version ("a live version", from ``versions``), the lengths' difference
UNMATCHED_FIELDS: dict[str, frozenset[str]] = {
    "not_found": frozenset({"platform"}),
    "other_artist": frozenset({"title", "artists", "platform"}),
    "title_differs": frozenset({"title", "artists", "platform"}),
    "other_version": frozenset({"title", "artists", "platform", "version"}),
    "duration_differs": frozenset({"title", "artists", "platform", "seconds"}),
    "low_confidence": frozenset({"title", "artists", "platform"}),
}
# what a delivery says about the whole playlist -> its placeholders
DELIVERY_FIELDS: dict[str, frozenset[str]] = {
    "left_out": frozenset({"left_out", "total", "platform"}),  # several tracks left out
    "left_out_one": frozenset({"total", "platform"}),  # one track left out
    "none_found": frozenset({"total", "platform"}),  # nothing found: nothing created
    "unknown_artist": frozenset(),  # {artists} of a candidate the platform names no artist for
}
# a candidate's version kind (aidj/data/versions.json "penalised", and "studio") -> how a
# sentence names it: "a live version", "una versión en directo"
VERSION_NAMES = frozenset(
    {"studio", "live", "remix", "acoustic", "instrumental", "cover", "tempo", "demo"}
)
# era format -> its placeholders: a decade ("the {year}s", "degli anni {short}"), a year, a range
ERA_FORMAT_FIELDS: dict[str, frozenset[str]] = {
    "decade": frozenset({"year", "short"}),
    "range": frozenset({"lo", "hi"}),
    "year": frozenset({"year"}),
    "bare": frozenset({"lo", "hi"}),
}


class Notices(_Section):
    """notices.json: the sentences a playlist's notices are written in (as typed, not folded).

    A pack without a sentence, a language name or an era format falls back to English's."""

    sentences: dict[str, str] = {}  # notice kind (NOTICE_FIELDS) -> sentence with {placeholders}
    language_names: dict[str, str] = {}  # ISO 639-1 code -> that language's name in this one
    era_formats: dict[str, str] = {}  # ERA_FORMAT_FIELDS -> how an era reads in a sentence
    conjunction: str = ""  # joins the last two names of a list ("English, Spanish and Dutch")
    # a delivery: why each track was left out (UNMATCHED_FIELDS), what it says of the whole
    # playlist (DELIVERY_FIELDS), how a candidate's version is named (VERSION_NAMES)
    unmatched: dict[str, str] = {}
    delivery: dict[str, str] = {}
    versions: dict[str, str] = {}

    @model_validator(mode="after")
    def _placeholders(self) -> Notices:
        problems = [
            *_template_problems("sentences", self.sentences, NOTICE_FIELDS),
            *_template_problems("era_formats", self.era_formats, ERA_FORMAT_FIELDS),
            *_template_problems("unmatched", self.unmatched, UNMATCHED_FIELDS),
            *_template_problems("delivery", self.delivery, DELIVERY_FIELDS),
            *_template_problems(
                "versions", self.versions, {name: frozenset() for name in VERSION_NAMES}
            ),
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _template_problems(where: str, templates: dict[str, str], allowed: dict[str, frozenset[str]]):
    for key, template in templates.items():
        if key not in allowed:
            yield f"notices.{where}: unknown key '{key}' (known: {', '.join(sorted(allowed))})"
            continue
        try:
            names = {
                name for _, name, _, _ in string.Formatter().parse(template) if name is not None
            }
        except ValueError as exc:
            yield f"notices.{where}.{key}: {exc}; write placeholders as {{name}}"
            continue
        for name in sorted(names - allowed[key]):
            yield (
                f"notices.{where}.{key}: unknown placeholder '{{{name}}}' "
                f"(it may use {', '.join('{' + n + '}' for n in sorted(allowed[key]))})"
            )


# taste.json: the asks a prompt can make of the listener's own taste (aidj.taste.asks.Ask)
TASTE_ASKS = frozenset({"favourites", "deep_cuts", "not_lately", "new_to_me", "usual"})
# taste sentence -> its placeholders (filled by aidj.taste.explain)
TASTE_FIELDS: dict[str, frozenset[str]] = {
    "favourite": frozenset({"artist"}),
    "more": frozenset({"artist"}),
    "neighbour": frozenset({"artist"}),
    "new": frozenset({"artist"}),
    "long_ago": frozenset({"artist"}),
    "summary": frozenset({"artists", "genres"}),
    "summary_era": frozenset({"decade"}),
    "summary_empty": frozenset(),
    "summary_off": frozenset(),
}


class Taste(_Section):
    """taste.json: prompts that ask for the listener's own taste ("my favourites", "nuevo para
    mí"), and the sentences a track chosen for taste and a profile's summary are written in."""

    asks: dict[str, Phrases] = {}  # TASTE_ASKS -> phrases
    sentences: dict[str, str] = {}  # TASTE_FIELDS -> sentence with {placeholders}, as typed

    @model_validator(mode="after")
    def _known(self) -> Taste:
        problems = [
            f"taste.asks: unknown ask '{k}' (known: {', '.join(sorted(TASTE_ASKS))})"
            for k in self.asks
            if k not in TASTE_ASKS
        ]
        problems += [
            p.replace("notices.", "taste.", 1)
            for p in _template_problems("sentences", self.sentences, TASTE_FIELDS)
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Pack(_Section):
    """One language: the union of its files. ``code`` is the ISO 639-1 code (and wordfreq's)."""

    code: str
    words: Words = Words()
    moods: Moods = Moods()
    genres: Genres = Genres()
    numbers: Numbers = Numbers()
    arcs: Arcs = Arcs()
    exclusions: Exclusions = Exclusions()
    eras: Eras = Eras()
    notices: Notices = Notices()
    taste: Taste = Taste()
    occasions: Occasions = Occasions()

    @model_validator(mode="after")
    def _check(self, info: Any) -> Pack:
        context = info.context or {}
        if context.get("merged"):
            return self  # made of packs each checked on its own
        common: Common | None = context.get("common")
        problems = [*_phrase_problems(self), *_letter_problems(self)]
        if common is not None:
            problems.extend(_reference_problems(self, common))
        if problems:
            raise ValueError(f"language pack '{self.code}': " + "; ".join(problems[:20]))
        return self


# Lists whose entries are not folded phrases (a section name alone: all of its fields).
_UNFOLDED = {
    ("words", "vocabulary"),
    ("words", "name"),
    ("words", "marker_letters"),
    ("notices",),
    ("taste", "sentences"),
}


def _phrase_lists(pack: Pack):
    """(where, list of phrases) for every phrase list in the pack, dict keys included."""
    for section_name in Pack.model_fields:
        if section_name == "code" or (section_name,) in _UNFOLDED:
            continue
        section = getattr(pack, section_name)
        for field_name in type(section).model_fields:
            if (section_name, field_name) in _UNFOLDED:
                continue
            value = getattr(section, field_name)
            where = f"{section_name}.{field_name}"
            if isinstance(value, list):
                yield where, value
            elif isinstance(value, dict):
                yield where, list(value)
                for key, inner in value.items():
                    if isinstance(inner, list) and field_name not in ("genres", "compound_stems"):
                        yield f"{where}.{key}", inner


# What a folded phrase usually looks like; anything else gets the full (slower) check.
_PLAIN = re.compile(r"[a-z0-9&'+.\-]+(?: [a-z0-9&'+.\-]+)*\*?")


def _phrase_problems(pack: Pack):
    from aidj.folding import fold

    for where, phrases in _phrase_lists(pack):
        if len(set(phrases)) == len(phrases) and all(map(_PLAIN.fullmatch, phrases)):
            continue  # the common case, at C speed: a pack loads at every start-up
        seen: set[str] = set()
        for phrase in phrases:
            if phrase in seen:
                yield f"'{phrase}' is listed twice in {where}"
            seen.add(phrase)
            if phrase.endswith("*") and where.startswith("words.refine"):
                phrase = phrase[:-1]
            if (
                not phrase
                or " ".join(phrase.split()) != phrase
                or ((not phrase.isascii() or not phrase.islower()) and fold(phrase) != phrase)
            ):
                yield f"'{phrase}' in {where} must be lowercase, accent-folded, single-spaced"


def _letter_problems(pack: Pack):
    """Marker letters are counted in the lowercased prompt: each must be lowercase, once."""
    seen: set[str] = set()
    for letters in pack.words.marker_letters:
        if not letters or letters != letters.lower() or any(ch.isspace() for ch in letters):
            yield f"'{letters}' in words.marker_letters must be lowercase letters, as typed"
        if letters in seen:
            yield f"'{letters}' is listed twice in words.marker_letters"
        seen.add(letters)


def _reference_problems(pack: Pack, common: Common):
    slugs = set(common.genres.genres)
    concepts = {c.name for c in common.moods.concepts}
    for name in pack.moods.concepts:
        if name not in concepts:
            yield f"moods.concepts: unknown concept '{name}' (known: see common/moods.json)"
    for name in pack.moods.qualifiers:
        if name not in common.moods.qualifiers:
            yield f"moods.qualifiers: unknown qualifier '{name}' (known: see common/moods.json)"
    for name in pack.genres.nationalities:
        if name not in common.genres.nations:
            yield f"genres.nationalities: unknown nationality '{name}' (add it to common/genres.json nations)"
    for where, table in (
        ("genres.genres", pack.genres.genres),
        ("genres.compound_stems", pack.genres.compound_stems),
    ):
        for phrase, targets in table.items():
            if not targets:
                yield f"{where}: '{phrase}' names no genre"
            for slug in targets:
                if slug not in slugs:
                    yield f"{where}: '{phrase}' -> '{slug}' is not a catalog genre slug"
    for phrase in pack.genres.style_hints:
        if phrase not in pack.genres.genres:
            yield f"genres.style_hints: '{phrase}' is not a genre phrase of this pack"
    labels = catalog_labels(common)
    for slug in pack.genres.local_genres:
        if slug not in labels:
            yield f"genres.local_genres: '{slug}' is not a catalog genre slug"
    for where, table in (
        ("occasions.seasons", pack.occasions.seasons),
        ("occasions.season_titles", pack.occasions.season_titles),
    ):
        for season in table:
            if season not in SEASONS:
                yield f"{where}: unknown season '{season}' (known: {', '.join(SEASONS)})"
    arc_phrases = {*pack.arcs.build_up, *pack.arcs.wind_down, *pack.arcs.peak}
    for phrase in pack.arcs.tempo_phrases:
        if phrase not in arc_phrases:
            yield f"arcs.tempo_phrases: '{phrase}' is not an arc phrase of this pack"
