"""Phrases compete for words (issue 23, class 3): the longest, most specific reading of each word
wins. "punk rock classics" is punk rock (+ classics), never "rock classics" = classic rock."""

import pytest

from aidj.engine import build_playlist

ROCK_FAMILY = {"rock", "hard-rock", "rock-n-roll", "alt-rock"}


@pytest.mark.parametrize(
    "prompt",
    [
        "punk rock classics",
        "clásicos del punk rock",
        "classiques du punk rock",
        "Punk-Rock-Klassiker",
        "classici del punk rock",
        "clássicos do punk rock",
        "punk rock klassiekers",
    ],
)
def test_punk_rock_keeps_its_rock(rules_only, prompt):
    genres = rules_only.interpret(prompt).genres
    assert genres[0] == "punk-rock" and ROCK_FAMILY.isdisjoint(genres)


@pytest.mark.parametrize(
    ("prompt", "genres"),
    [
        ("deep house music", ["deep-house"]),  # "house music" is every house
        ("hard rock anthems", ["hard-rock"]),  # "rock anthems" is the whole rock family
        ("Deep-House-Set zum Kochen", ["deep-house"]),
        ("Hard-Rock-Hymnen", ["hard-rock"]),
    ],
)
def test_the_more_specific_of_two_equally_long_readings_wins(rules_only, prompt, genres):
    assert rules_only.interpret(prompt).genres == genres


def test_a_phrase_that_wins_no_word_still_reads_where_it_stands_alone(rules_only):
    intent = rules_only.interpret("classic rock and punk rock")
    assert {"rock", "punk-rock"} <= set(intent.genres)


def test_the_playlist_is_punk_not_classic_rock(catalog, rules_only):
    tracks = build_playlist(catalog, rules_only.interpret("punk rock classics")).tracks
    punk = sum(any(g in ("punk", "punk-rock") for g in t.genres) for t in tracks)
    assert punk >= len(tracks) * 0.8
