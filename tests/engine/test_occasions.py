"""Occasions, covers, seasons and modifiers (issue 23): what the interpreter reads and what the
engine then plays, on the real catalog files."""

from __future__ import annotations

import numpy as np
import pytest

from aidj.engine import build_playlist
from aidj.intent import Intent
from aidj.learning import is_sleep_set
from aidj.notices import render
from aidj.seasons import seasonal_mask
from aidj.selection import Variety

CHRISTMAS_WORDS = ("christmas", "jingle bell", "santa claus", "let it snow", "rudolph", "sleigh")


def _christmassy(title: str) -> bool:
    return any(word in title.lower() for word in CHRISTMAS_WORDS)


# ------------------------------------------------------------------ reading the prompt


@pytest.mark.parametrize(
    "prompt",
    [
        "crowd-pleasers for the office party",
        "a campfire sing-along",
        "hits for a drive with the grandparents",
        "canciones para la fiesta de la oficina",
        "músicas para karaokê",
        "des chansons pour un mariage",
        "Musik für die Firmenfeier",
        "canzoni da cantare con i nonni",
        "meezingers voor het kampvuur",
        "songs for my birthday party",
        "Musik für die Geburtstagsparty",
    ],
)
def test_an_occasion_that_wants_known_songs_sets_familiarity(rules_only, prompt):
    assert rules_only.interpret(prompt).familiarity >= 0.8


def test_a_prompt_without_an_occasion_leaves_familiarity_unset(rules_only):
    assert rules_only.interpret("dark techno for a night drive").familiarity is None


@pytest.mark.parametrize(
    "prompt", ["covers of classic rock songs", "versiones de boleros", "reprises de chansons"]
)
def test_asking_for_covers_allows_several_renditions(rules_only, prompt):
    assert rules_only.interpret(prompt).covers is True


def test_covers_are_off_unless_asked(rules_only):
    assert rules_only.interpret("classic rock songs").covers is False


@pytest.mark.parametrize(
    "prompt",
    [
        "christmas songs",
        "canciones de navidad",
        "músicas de Natal",
        "chansons de Noël",
        "Weihnachtslieder zum Backen",
        "canzoni di Natale",
        "kerstmuziek",
    ],
)
def test_a_season_named_in_any_language_is_asked_for(rules_only, prompt):
    assert rules_only.interpret(prompt).seasons == ["christmas"]


def test_no_season_named_asks_for_none(rules_only):
    assert rules_only.interpret("soul for a cozy evening").seasons == []


@pytest.mark.parametrize(
    ("prompt", "style"),
    [
        ("blues with a horn section", "blues"),
        ("rock featuring slide guitar", "rock"),
        ("salsa con sección de vientos", "salsa"),
        ("Rockmusik mit Bläsersatz", "rock"),
        ("rock with banjo", "rock"),
    ],
)
def test_an_instrument_next_to_a_style_keeps_the_style_and_says_so(rules_only, prompt, style):
    intent = rules_only.interpret(prompt)
    assert intent.genres[0] == style
    assert not {"guitar", "bluegrass"} & set(intent.genres)
    assert any(code.startswith("instrument:") for code in intent.unmet)


def test_an_instrument_that_is_itself_the_style_stays_the_style(rules_only):
    intent = rules_only.interpret("banjo music")
    assert intent.genres
    assert not any(code.startswith("instrument:") for code in intent.unmet)


def test_a_cappella_is_a_vocal_preference_and_a_notice(rules_only):
    intent = rules_only.interpret("acapella pop songs")
    assert intent.genres[0] == "pop"
    assert intent.instrumentalness is not None and intent.instrumentalness <= 0.1
    assert "instrument:acapella" in intent.unmet


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr", "de", "it", "nl"])
def test_the_instrument_notice_is_written_in_every_language(language):
    (sentence,) = render(["instrument:horn section"], language)
    assert "horn section" in sentence


# ------------------------------------------------------------------ the catalog's seasonal songs


def test_seasonal_songs_are_told_by_title_and_album(both_catalogs):
    mask = seasonal_mask(both_catalogs, "christmas")
    titles = {both_catalogs.names[i] for i in np.flatnonzero(mask)}
    assert {"Winter Wonderland", "Last Christmas", "Feliz Navidad"} <= titles
    assert "Cantique de Noël" in titles  # accents folded
    assert "Seven Nation Army" not in titles


# ------------------------------------------------------------------ what the engine plays


@pytest.mark.parametrize(
    "intent",
    [
        {"genres": ["soul"], "energy": 0.35, "limit": 30},
        {"genres": ["jazz"], "mood": "romantic", "energy": 0.3, "limit": 30},
        {"mood": "festive", "energy": 0.5, "valence": 0.75, "explicit": False, "limit": 30},
    ],
)
def test_seasonal_songs_stay_out_unless_their_season_is_asked(both_catalogs, intent):
    playlist = build_playlist(both_catalogs, Intent.from_dict(intent))
    mask = seasonal_mask(both_catalogs, "christmas")
    assert not any(mask[both_catalogs.index_of(t.id)] for t in playlist.tracks)


def test_a_season_asked_for_fills_the_set_with_its_songs(both_catalogs):
    intent = Intent(seasons=["christmas"], mood="festive", valence=0.7, limit=20)
    titles = [t.name for t in build_playlist(both_catalogs, intent).tracks]
    assert sum(map(_christmassy, titles)) >= 0.7 * len(titles)


def test_familiarity_favours_songs_people_know(both_catalogs):
    base = {"energy": 0.7, "valence": 0.7, "danceability": 0.7, "limit": 25}
    plain = build_playlist(both_catalogs, Intent.from_dict(base))
    known = build_playlist(both_catalogs, Intent.from_dict({**base, "familiarity": 0.9}))
    deep = build_playlist(both_catalogs, Intent.from_dict({**base, "familiarity": 0.05}))

    def mean_popularity(playlist):
        return float(np.mean([t.popularity for t in playlist.tracks]))

    assert mean_popularity(known) >= 65
    assert mean_popularity(known) > mean_popularity(plain) > mean_popularity(deep)


def test_one_rendition_of_a_standard_plays_unless_covers_are_asked(both_catalogs):
    intent = Intent(seasons=["christmas"], limit=60)
    titles = [t.name.lower() for t in build_playlist(both_catalogs, intent).tracks]
    assert sum(t.startswith("jingle bell rock") for t in titles) <= 1
    assert sum(t.startswith("white christmas") for t in titles) <= 1


def _rows(catalog, title: str) -> list[int]:
    return [i for i in range(len(catalog)) if catalog.names[i] == title]


def test_a_long_title_by_another_artist_is_the_same_song(both_catalogs):
    renditions = _rows(both_catalogs, "Jingle Bell Rock")
    first = renditions[0]
    other = next(
        i for i in renditions if both_catalogs.artist_id[i] != both_catalogs.artist_id[first]
    )
    variety = Variety(both_catalogs)
    variety.add(first)
    assert not variety.allows(other)


def test_a_covers_set_plays_each_song_once(both_catalogs):
    intent = Intent(seasons=["christmas"], covers=True, limit=60)
    titles = [t.name.lower() for t in build_playlist(both_catalogs, intent).tracks]
    assert sum(t.startswith("jingle bell rock") for t in titles) <= 1
    assert sum(t.startswith("white christmas") for t in titles) <= 1


def test_a_short_generic_title_is_not_a_cover_when_the_songs_differ(both_catalogs):
    homes = _rows(both_catalogs, "Home")
    c = both_catalogs
    pairs = [
        (a, b)
        for a in homes
        for b in homes
        if c.artist_id[a] != c.artist_id[b]
        and abs(int(c.duration_ms[a]) - int(c.duration_ms[b])) > 0.2 * int(c.duration_ms[a])
    ]
    a, b = pairs[0]
    variety = Variety(c)
    variety.add(a)
    assert variety.allows(b)


# ------------------------------------------------------------------ lullabies


@pytest.mark.parametrize(
    "prompt",
    [
        "a lullaby playlist for my toddler",
        "berceuses pour bébé",
        "Schlaflieder für mein Baby",
        "ninne nanne per il bambino",
        "cantigas de ninar para o bebê",
        "canciones de cuna",
    ],
)
def test_a_lullaby_is_a_soft_sleep_song_in_every_language(rules_only, prompt):
    intent = rules_only.interpret(prompt)
    assert intent.genres[0] == "sleep"
    assert intent.energy is not None and intent.energy <= 0.2
    assert intent.valence is not None and intent.valence <= 0.5


def test_a_sleep_set_leaves_out_learning_songs(both_catalogs):
    intent = Intent(genres=["sleep", "children"], energy=0.15, valence=0.75, limit=40)
    titles = [t.name.lower() for t in build_playlist(both_catalogs, intent).tracks]
    learning = ("phonics", "alphabet", "abc", "days of the week", "months of the year")
    assert not [t for t in titles if any(word in t for word in learning)]


@pytest.mark.parametrize(
    ("intent", "sleep"),
    [
        (Intent(genres=["sleep", "children"]), True),
        (Intent(mood="calm", energy=0.2), True),
        (Intent(genres=["children"], energy=0.7), False),  # a kids' party may sing the ABC
    ],
)
def test_only_a_sleep_set_leaves_learning_songs_out(intent, sleep):
    assert is_sleep_set(intent) is sleep


# ------------------------------------------------------------------ sound modifiers


@pytest.mark.parametrize(
    "prompt",
    [
        "instrumental hip hop",
        "hip hop instrumental para estudiar",
        "hip hop instrumental para estudar",
        "hip-hop instrumental pour réviser",
        "instrumentaler Hip-Hop zum Lernen",
        "hip hop strumentale per studiare",
        "instrumentale hiphop om te studeren",
    ],
)
def test_instrumental_is_a_preference_on_the_style_in_every_language(rules_only, prompt):
    intent = rules_only.interpret(prompt)
    assert intent.genres[0] == "hip-hop"
    assert intent.instrumentalness is not None and intent.instrumentalness >= 0.7


def test_a_sound_word_before_a_style_describes_it(rules_only):
    intent = rules_only.interpret("acoustic rock")
    assert intent.genres[0] == "rock" and "acoustic" not in intent.genres
    assert intent.acousticness is not None and intent.acousticness >= 0.7


@pytest.mark.parametrize(
    ("prompt", "genre"), [("acoustic", "acoustic"), ("acoustic guitar for reading", "guitar")]
)
def test_a_sound_word_that_names_the_style_stays_a_genre(rules_only, prompt, genre):
    assert genre in rules_only.interpret(prompt).genres


def test_the_intent_keeps_only_seasons_the_catalog_can_tell():
    assert Intent.from_dict({"seasons": ["Christmas", "summer", 3]}).seasons == ["christmas"]
    assert Intent.from_dict({"covers": "yes"}).covers is False  # only a real boolean turns it on
    assert Intent.from_dict({"familiarity": 7}).familiarity == 1.0


def test_a_covers_set_plays_songs_several_artists_have_recorded(both_catalogs):
    from aidj.covers import renditions

    recorded = renditions(both_catalogs)

    def share(intent: Intent) -> float:
        rows = [both_catalogs.index_of(t.id) for t in build_playlist(both_catalogs, intent).tracks]
        return float(np.mean([recorded[i] for i in rows]))

    asked = Intent(genres=["rock"], covers=True, limit=20)
    assert share(asked) >= 0.6
    assert share(asked) > share(asked.replace(covers=False))


def test_a_song_recorded_by_two_artists_is_told_by_its_title(both_catalogs):
    from aidj.covers import renditions

    recorded = renditions(both_catalogs)
    rows = _rows(both_catalogs, "Jingle Bell Rock")
    assert all(recorded[i] for i in rows)
