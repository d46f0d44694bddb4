"""Lists keep every name (issue 23, class 2): "without Coldplay, Keane or Snow Patrol", "sin X ni
Y", "weder X noch Y"... every listed artist and genre is ruled out, in all seven languages, and
a name the catalog lacks is reported, never swapped for an artist sharing its first name."""

import pytest

from aidj.engine import build_playlist
from aidj.notices import render

THREE_ARTISTS = ["Coldplay", "Keane", "Snow Patrol"]


@pytest.mark.parametrize(
    "prompt",
    [
        "indie rock without Coldplay, Keane or Snow Patrol",
        "rock indie sin Coldplay, Keane ni Snow Patrol",
        "rock indé sans Coldplay, Keane ni Snow Patrol",
        "Indie-Rock weder Coldplay noch Keane noch Snow Patrol",
        "indierock zonder Coldplay, Keane of Snow Patrol",
        "rock indie senza Coldplay, Keane né Snow Patrol",
        "rock indie sem Coldplay, Keane nem Snow Patrol",
        "indie rock, no Coldplay and no Keane and no Snow Patrol",
    ],
)
def test_every_listed_artist_is_excluded(interpreter, prompt):
    assert interpreter.interpret(prompt).exclude_artists == THREE_ARTISTS


@pytest.mark.parametrize(
    ("prompt", "genres"),
    [
        ("party music without rap, metal or techno", ["hip-hop", "metal", "techno"]),
        ("música de fiesta sin reggaetón ni salsa", ["reggaeton", "salsa"]),
        ("musique de fête sans rap, metal ni techno", ["hip-hop", "metal", "techno"]),
        ("Partymusik, weder Rap noch Metal", ["hip-hop", "metal"]),
        ("feestmuziek zonder rap of metal", ["hip-hop", "metal"]),
        ("musica per la festa senza rap né metal", ["hip-hop", "metal"]),
        ("música para festa sem rap nem metal", ["hip-hop", "metal"]),
    ],
)
def test_every_listed_genre_is_excluded(rules_only, prompt, genres):
    assert rules_only.interpret(prompt).exclude_genres == genres


def test_a_comma_that_ends_the_clause_ends_the_list(interpreter):
    intent = interpreter.interpret("no Coldplay, something happy please")
    assert intent.exclude_artists == ["Coldplay"] and intent.mood == "happy"


@pytest.mark.parametrize(
    "prompt",
    ["pop without Aretha Fakename", "pop sin Aretha Fakename", "Pop ohne Aretha Fakename"],
)
def test_an_unknown_name_is_reported_not_swapped_for_a_namesake(interpreter, prompt):
    intent = interpreter.interpret(prompt)
    assert "Aretha Franklin" not in intent.exclude_artists
    assert intent.unmet == ["exclusion_unknown:Aretha Fakename"]
    assert "Aretha Fakename" in render(intent.unmet, intent.language)[0]


def test_a_preposition_that_looks_like_no_reports_nothing(interpreter):
    """Portuguese 'no São João' is 'at the feast of St John': no notice about a missing artist."""
    assert interpreter.interpret("forró pra dançar no São João").unmet == []


def test_the_playlist_leaves_out_every_listed_artist(catalog, interpreter):
    intent = interpreter.interpret("britpop and indie rock without Coldplay, Keane or Snow Patrol")
    artists = {a for t in build_playlist(catalog, intent).tracks for a in t.artists}
    assert artists.isdisjoint(THREE_ARTISTS)


@pytest.mark.parametrize(
    "prompt",
    ["rustige muziek voor yoga, geen Ed Sheeran", "musica pop senza Ed Sheeran, Dua Lipa né Adele"],
)
def test_a_name_that_starts_with_a_small_word_is_still_a_name(interpreter, prompt):
    """Italian 'ed' is 'and', but 'Ed Sheeran' is one name."""
    assert "Ed Sheeran" in interpreter.interpret(prompt).exclude_artists
