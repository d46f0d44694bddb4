"""The genre map (aidj.genre_map): a style as listeners know it, a place and a style as both.

Every test runs on both real catalogs. Artist names below are what a listener would notice,
written here as expectations only: the map itself is derived from the data.
"""

from __future__ import annotations

import pytest

from aidj.engine import build_playlist
from aidj.genre_map import aliases
from aidj.intent import Intent
from aidj.local_interpreter import LocalInterpreter
from aidj.notices import render
from aidj.playlist import Playlist

METAL_FAMILY = {"metal", "heavy-metal", "death-metal", "black-metal", "metalcore", "grindcore"}


@pytest.fixture(scope="module")
def play(both_catalogs, rules_only: LocalInterpreter):
    def run(prompt: str) -> Playlist:
        return build_playlist(both_catalogs, rules_only.interpret(prompt))

    return run


def places(catalog, playlist: Playlist) -> list[str]:
    return [catalog.places[catalog.place[catalog.index_of(t.id)]] for t in playlist.tracks]


def artists(playlist: Playlist) -> set[str]:
    return {a for t in playlist.tracks for a in t.artists}


def test_a_well_formed_metal_intent_plays_no_alternative_rock_bands(both_catalogs):
    playlist = build_playlist(both_catalogs, Intent(genres=["metal", "heavy-metal"]))
    assert len(playlist.tracks) == 20
    assert not artists(playlist) & {"Red Hot Chili Peppers", "Foo Fighters", "Hoobastank"}


def test_hip_hop_asked_in_english_is_no_local_scene(both_catalogs, play):
    playlist = play("hip hop for lifting")
    assert set(places(both_catalogs, playlist)) == {""}  # no Indian, Latin or Korean scene
    assert not artists(playlist) & {"Sidhu Moose Wala", "KR$NA", "Karan Aujla", "Emiway Bantai"}


def test_hip_hop_asked_in_english_is_what_the_other_file_calls_rap(both_catalogs, play):
    playlist = play("hip hop for lifting")
    rap = both_catalogs.genre_mask(aliases(["hip-hop"])[1:])  # "hip hop", "rap", "trap", ...
    vouched = sum(
        bool(rap[both_catalogs.artist_rows([t.artists[0]])].any()) for t in playlist.tracks
    )
    assert vouched >= 15


def test_funk_without_a_place_is_not_funk_carioca(both_catalogs, play):
    playlist = play("funk for a party")
    assert "pt" not in places(both_catalogs, playlist)
    assert {"Stevie Wonder", "Earth, Wind & Fire"} & artists(playlist)


def test_a_place_next_to_a_style_is_both(both_catalogs, play):
    playlist = play("Turkish rock")
    assert playlist.intent.scenes == ["turkish"]
    assert set(places(both_catalogs, playlist)) == {"tr"}
    assert playlist.notices == []  # the catalog holds enough Turkish rock


def test_spanish_indie_is_spanish_indie_not_spanish_pop(both_catalogs, play):
    playlist = play("Spanish indie")
    assert places(both_catalogs, playlist).count("es") >= 16
    assert not artists(playlist) & {"Pablo Alborán", "David Bisbal", "Alejandro Sanz"}


def test_german_rap_is_mostly_german(both_catalogs, play):
    playlist = play("German rap")
    assert places(both_catalogs, playlist).count("de") >= 15
    assert "Mickie Krause" not in artists(playlist)  # party schlager is not rap


def test_a_thin_combination_keeps_the_style_and_says_so(both_catalogs, play):
    playlist = play("Swedish metal")
    assert any(code.startswith("scene_thin:sv:") for code in playlist.intent.unmet)
    assert playlist.notices and "Swedish" in playlist.notices[0]
    assert not artists(playlist) & {"ABBA", "The Cardigans", "Tove Lo"}
    metal = both_catalogs.genre_mask(METAL_FAMILY)
    first = [i for t in playlist.tracks if (i := both_catalogs.index_of(t.id)) is not None]
    assert sum(bool(metal[i]) for i in first) >= 12  # the style, not the nation's other music


@pytest.mark.parametrize(
    "prompt",
    [
        "Swedish metal",
        "metal sueco",
        "metal sueco, por favor",
        "metal suédois",
        "schwedischer Metal",
        "metal svedese",
        "Zweedse metal",
    ],
)
def test_every_language_reads_a_place_and_a_style_as_both(play, prompt):
    intent = play(prompt).intent
    assert intent.scenes == ["swedish"]
    assert "metal" in intent.genres and "swedish" not in intent.genres


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr", "de", "it", "nl"])
def test_every_pack_says_a_thin_or_missing_combination(language):
    thin, missing = render(["scene_thin:sv:4"], language), render(["scene_none:tr"], language)
    assert len(thin) == 1 and "4" in thin[0]
    assert len(missing) == 1 and thin != missing


def test_a_sub_style_excluded_inside_its_style_keeps_the_style(both_catalogs, play):
    playlist = play("rock but no grunge")
    assert "rock" in playlist.intent.genres and playlist.intent.exclude_genres == ["grunge"]
    assert playlist.stats["genre_match_share"] >= 0.8
    assert not any("grunge" in t.genres for t in playlist.tracks)
    assert not artists(playlist) & {"Nirvana", "Pearl Jam", "Soundgarden", "Alice In Chains"}


def test_a_sub_style_that_reads_as_its_style_does_not_cancel_it(play):
    # "trap" reads as hip-hop: excluding it must not exclude the style that was asked for
    playlist = play("hip hop but no trap")
    assert playlist.intent.genres == ["hip-hop"]
    assert "hip-hop" not in playlist.intent.exclude_genres
    assert playlist.stats["genre_match_share"] >= 0.8


def test_an_excluded_sub_style_leaves_the_wanted_list(play):
    intent = play("metal but no metalcore").intent
    assert "metalcore" not in intent.genres and "metal" in intent.genres


# ------------------------------------------------ the request's numbers inside a narrowed style


def test_a_style_keeps_the_tempo_the_request_names(play):
    playlist = play("hip hop around 100 bpm for a walk")
    lo, hi = playlist.intent.tempo_min, playlist.intent.tempo_max
    assert lo is not None and hi is not None
    in_range = [lo <= t.tempo <= hi for t in playlist.tracks]
    assert sum(in_range) >= 0.8 * len(in_range)


def test_a_hits_request_keeps_its_popularity_floor_inside_the_style(play):
    playlist = play("the most famous rap songs ever, clean")
    assert not any(t.explicit for t in playlist.tracks)
    assert sum(t.popularity for t in playlist.tracks) / len(playlist.tracks) >= 55


def test_a_style_without_vocals_stays_instrumental(both_catalogs, play):
    playlist = play("electro without vocals for coding")
    rows = [both_catalogs.index_of(t.id) for t in playlist.tracks]
    values = both_catalogs.features["instrumentalness"][rows]
    assert float(values.mean()) >= 0.5


# ------------------------------------------------ scenes from more evidence than one label


def test_k_pop_is_not_the_film_songs_its_label_also_holds(play):
    playlist = play("k-pop love songs")
    film = {"Ilaiyaraaja", "Yuvan Shankar Raja", "Anuradha Paudwal", "Jagjit Singh", "Alka Yagnik"}
    assert not artists(playlist) & film


def test_artists_whose_titles_are_spanish_are_placed_in_spain_s_scene(both_catalogs):
    for name in ("Joan Sebastian", "Banda Cuisillos"):
        rows = both_catalogs.artist_rows([name])
        assert {both_catalogs.places[p] for p in both_catalogs.place[rows]} == {"es"}


def test_r_and_b_asked_in_english_is_not_mexican_banda(both_catalogs, play):
    playlist = play("r&b for a slow dance")
    assert "es" not in places(both_catalogs, playlist)
    assert not artists(playlist) & {"Joan Sebastian", "Banda Cuisillos", "Lupillo Rivera"}
