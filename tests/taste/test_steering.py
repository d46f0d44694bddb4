"""Taste in the engine: it leans within what fits, never past what the prompt allows."""

from __future__ import annotations

import pytest

from aidj.engine import build_playlist
from aidj.languages import language_packs
from aidj.taste.asks import Ask, intent_for, read_ask
from aidj.taste.build import build
from aidj.taste.neighbours import artist_index
from aidj.taste.profile import TasteProfile
from aidj.taste.signals import excluded, from_top_artists, steering
from aidj.taste.steer import Taste

TRIP_HOP = ["Portishead", "Massive Attack", "Tricky", "Morcheeba", "Zero 7"]


@pytest.fixture(scope="module")
def trip_hop_fan(dj) -> TasteProfile:
    return build(from_top_artists([{"name": n} for n in TRIP_HOP], "medium_term"), dj.catalog)


def _artists(playlist) -> set[str]:
    return {a for t in playlist.tracks for a in t.artists}


def _share(catalog, playlist, names) -> float:
    index = artist_index(catalog)
    near = set(names) | {n for a in names for n in index.neighbours_of(a)}
    return sum(any(a in near for a in t.artists) for t in playlist.tracks) / len(playlist.tracks)


def test_without_taste_the_list_is_the_anonymous_one(dj, trip_hop_fan):
    intent = dj.interpret("trip hop for a late night")
    anonymous = build_playlist(dj.catalog, intent)
    assert build_playlist(dj.catalog, intent, taste=None).tracks == anonymous.tracks
    off = Taste(trip_hop_fan.with_use(False))
    assert build_playlist(dj.catalog, intent, taste=off).tracks == anonymous.tracks


def test_favoured_artists_and_their_neighbours_rise(dj, trip_hop_fan):
    intent = dj.interpret("trip hop for a late night")
    anonymous = build_playlist(dj.catalog, intent)
    mine = build_playlist(dj.catalog, intent, taste=Taste(trip_hop_fan))
    assert _share(dj.catalog, mine, TRIP_HOP) > _share(dj.catalog, anonymous, TRIP_HOP)


def test_a_track_chosen_for_taste_says_so_in_the_prompts_language(dj, trip_hop_fan):
    for prompt, words in (
        ("trip hop for a late night", "you play"),
        ("trip hop para una noche tranquila", "escuchas mucho a"),
    ):
        playlist = build_playlist(dj.catalog, dj.interpret(prompt), taste=Taste(trip_hop_fan))
        assert any(words in t.reason for t in playlist.tracks), prompt


def test_a_never_artist_is_gone_and_a_never_genre_too(dj, trip_hop_fan):
    profile = build(steering(never=[{"artist": "Portishead"}, {"genre": "trip-hop"}]), dj.catalog)
    for prompt in ("trip hop for a late night", "dark moody electronic music"):
        playlist = build_playlist(dj.catalog, dj.interpret(prompt), taste=Taste(profile))
        assert "Portishead" not in _artists(playlist)
        assert not any("trip-hop" in t.genres for t in playlist.tracks)


def test_more_of_an_artist_brings_them_to_a_prompt_they_fit(dj):
    intent = dj.interpret("melancholic downtempo electronic music")
    assert "Lemongrass" not in _artists(build_playlist(dj.catalog, intent))
    profile = build(steering(more=[{"artist": "Lemongrass"}]), dj.catalog)
    assert "Lemongrass" in _artists(build_playlist(dj.catalog, intent, taste=Taste(profile)))


def test_the_prompts_own_exclusion_beats_a_favourite(dj, trip_hop_fan):
    intent = dj.interpret("trip hop without Portishead")
    playlist = build_playlist(dj.catalog, intent, taste=Taste(trip_hop_fan))
    assert "Portishead" not in _artists(playlist)


def test_taste_never_brings_in_another_genre_than_the_one_asked(dj, trip_hop_fan):
    intent = dj.interpret("heavy metal for the gym")
    anonymous = build_playlist(dj.catalog, intent)
    mine = build_playlist(dj.catalog, intent, taste=Taste(trip_hop_fan))
    assert mine.stats["genre_match_share"] >= anonymous.stats["genre_match_share"]
    assert not {"Portishead", "Massive Attack", "Tricky"} & _artists(mine)


def test_disliked_artists_sink(dj):
    intent = dj.interpret("trip hop for a late night")
    assert "Massive Attack" in _artists(build_playlist(dj.catalog, intent))
    profile = build(excluded(["Massive Attack"]) * 2, dj.catalog)
    assert "Massive Attack" not in _artists(
        build_playlist(dj.catalog, intent, taste=Taste(profile))
    )


def test_discover_moves_from_the_familiar_to_the_new(dj, trip_hop_fan):
    intent = dj.interpret("trip hop for a late night")

    def own(discover: float) -> int:
        playlist = build_playlist(dj.catalog, intent, taste=Taste(trip_hop_fan, discover=discover))
        return sum(any(a in TRIP_HOP for a in t.artists) for t in playlist.tracks)

    assert own(0.0) > own(1.0)


def test_new_to_me_plays_neighbours_not_the_listeners_own_artists(dj, trip_hop_fan):
    reading = read_ask("new to me")
    playlist = build_playlist(
        dj.catalog, intent_for(reading, dj.interpret), taste=Taste(trip_hop_fan, ask=reading.ask)
    )
    own = sum(any(a in TRIP_HOP for a in t.artists) for t in playlist.tracks)
    assert own <= 2
    assert any("new to you" in t.reason for t in playlist.tracks)


def test_my_favourites_plays_the_listeners_own_artists_in_their_genres(dj, trip_hop_fan):
    reading = read_ask("my favourites")
    playlist = build_playlist(
        dj.catalog, intent_for(reading, dj.interpret), taste=Taste(trip_hop_fan, ask=reading.ask)
    )
    assert playlist.intent.genres[0] == "trip-hop"
    assert sum(any(a in TRIP_HOP for a in t.artists) for t in playlist.tracks) >= 6


def test_deep_cuts_are_less_popular_than_the_favourites_hits(dj, trip_hop_fan):
    def mean_popularity(prompt: str) -> float:
        reading = read_ask(prompt)
        playlist = build_playlist(
            dj.catalog,
            intent_for(reading, dj.interpret),
            taste=Taste(trip_hop_fan, ask=reading.ask),
        )
        return sum(t.popularity for t in playlist.tracks) / len(playlist.tracks)

    assert mean_popularity("deep cuts from my top artists") < mean_popularity("my favourites")


def test_like_what_i_usually_play_but_calmer_is_their_sound_only_calmer(dj, trip_hop_fan):
    reading = read_ask("like what I usually play but calmer")
    assert reading.ask is Ask.USUAL and reading.rest == "but calmer"
    playlist = build_playlist(
        dj.catalog, intent_for(reading, dj.interpret), taste=Taste(trip_hop_fan, ask=reading.ask)
    )
    assert "trip-hop" in playlist.intent.genres
    centre = trip_hop_fan.centre_features()["energy"]
    assert playlist.stats["mean_energy"] < centre


@pytest.mark.parametrize("code", sorted(language_packs().packs))
def test_every_language_can_ask_for_each_kind_of_taste(code):
    asks = language_packs().packs[code].taste.asks
    assert sorted(asks) == sorted(a.value for a in Ask)
    for kind, phrases in asks.items():
        reading = read_ask(f"{phrases[0]}, 20 songs")
        assert (reading.ask, reading.language) == (Ask(kind), code), phrases[0]
        assert reading.rest == "20 songs"


def test_an_ask_alone_is_not_an_unreadable_prompt(dj):
    intent = intent_for(read_ask("mis favoritas"), dj.interpret)
    assert intent.unmet == [] and intent.language == "es"


def test_a_prompt_without_an_ask_is_left_as_it_is():
    assert read_ask("Música tranquila para dormir").rest == "Música tranquila para dormir"
    assert read_ask("Música tranquila para dormir").ask is None


def test_taste_is_deterministic(dj, trip_hop_fan):
    intent = dj.interpret("trip hop for a late night")
    first = build_playlist(dj.catalog, intent, taste=Taste(trip_hop_fan))
    again = build_playlist(
        dj.catalog, intent, taste=Taste(TasteProfile.from_dict(trip_hop_fan.to_dict()))
    )
    assert first.tracks == again.tracks


def test_a_genre_free_set_is_built_around_the_listeners_genre_when_it_serves(dj):
    house = ["Disclosure", "Duke Dumont", "Gorgon City", "Purple Disco Machine", "MK"]
    profile = build(from_top_artists([{"name": n} for n in house], "medium_term"), dj.catalog)
    intent = dj.interpret("dance party music")
    anonymous = build_playlist(dj.catalog, intent).stats["region"]
    mine = build_playlist(dj.catalog, intent, taste=Taste(profile)).stats["region"]
    assert mine != anonymous
    assert mine in [e.name for e in profile.ranked_genres(3)]
