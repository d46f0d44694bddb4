"""A playlist lives in one region of music: prompts that name no genre still get a set, not a shuffle."""

import itertools

import numpy as np
import pytest

from aidj.coherence import _bit_counts, anchor_allowed, take_turns, typicality, unrelated_pairs
from aidj.dj import DJ, artist_resolver
from aidj.engine import build_playlist
from aidj.intent import EnergyArc, Intent
from aidj.local_interpreter import LocalInterpreter


@pytest.fixture(scope="module")
def full_dj(both_catalogs) -> DJ:
    return DJ(both_catalogs, LocalInterpreter(artist_resolver=artist_resolver(both_catalogs)))


def related_share(catalog, tracks) -> float:
    """Share of neighbouring tracks whose genres are related (the shared checker's 'flow')."""
    rows = [catalog.index_of(t.id) for t in tracks]
    pairs = list(itertools.pairwise(rows))
    related = catalog.genre_related

    def linked(a, b):
        ga = [catalog.genre_index(g) for g in catalog.genres_of(a)]
        gb = [catalog.genre_index(g) for g in catalog.genres_of(b)]
        return bool(related[np.ix_(ga, gb)].any())

    return sum(linked(a, b) for a, b in pairs) / len(pairs)


GENRE_FREE = [
    "start chill and end with a big hype finish, 25 songs",
    "energetic music for working out",
    "songs for a long drive at night",
    "música para una fiesta en la playa",
    "musique douce pour un dimanche matin",
    "gute Laune beim Putzen",
    "canzoni per una cena tra amici",
    "música pra relaxar depois do trabalho",
]


@pytest.mark.parametrize("prompt", GENRE_FREE)
def test_a_prompt_naming_no_genre_gets_related_neighbours(full_dj, prompt):
    playlist = full_dj.playlist(prompt)
    assert not playlist.intent.genres or prompt not in GENRE_FREE[:1]
    assert related_share(full_dj.catalog, playlist.tracks) >= 0.8


def test_a_named_mix_keeps_both_genres(full_dj):
    playlist = full_dj.playlist("k-pop and metal")
    genres = [set(t.genres) for t in playlist.tracks]
    assert sum("k-pop" in g for g in genres) >= 4 and sum("metal" in g for g in genres) >= 4


def test_an_english_mood_prompt_is_not_built_around_another_languages_genre(full_dj):
    for prompt in (
        "songs for a long drive at night",
        "a feel-good playlist",
        "music for a rainy afternoon",
    ):
        region = full_dj.playlist(prompt).stats["region"]
        assert region not in (
            "pop-film",
            "k-pop",
            "j-pop",
            "turkish",
            "latino",
            "reggaeton",
            "comedy",
            "children",
        )


def test_novelty_genres_never_anchor_and_local_ones_only_in_their_language(both_catalogs):
    english, spanish = anchor_allowed(both_catalogs, "en"), anchor_allowed(both_catalogs, "es")
    g = both_catalogs.genre_index
    assert not english[g("comedy")] and not spanish[g("comedy")]
    assert not english[g("reggaeton")] and spanish[g("reggaeton")]
    assert english[g("deep-house")] and spanish[g("deep-house")]


def test_an_energy_arc_moves_around_the_moods_own_energy(both_catalogs):
    calm = build_playlist(both_catalogs, Intent(arc=EnergyArc.WIND_DOWN, energy=0.35, limit=15))
    energies = [t.energy for t in calm.tracks]
    assert energies[0] > energies[-1]
    assert max(energies) <= 0.75  # a relaxing wind-down does not open on a dance floor


def test_typicality_of_some_genres_is_theirs_in_the_whole_answer(catalog):
    # a genre-free prompt asks it for the regions in question only: the same means, to the bit
    scores = np.random.default_rng(7).random(len(catalog), dtype=np.float32)
    everyone = typicality(catalog, scores)
    for genres in ([0], [3, 40, 41, 90], list(range(0, len(catalog.genres), 3)), []):
        some = np.asarray(genres, dtype=np.int64)
        np.testing.assert_array_equal(typicality(catalog, scores, some), everyone[some])


def test_unrelated_pairs_mark_tracks_whose_genres_share_no_relation(catalog):
    rows = np.random.default_rng(3).choice(len(catalog), 40, replace=False).tolist()
    related = catalog.genre_related
    genres = [[catalog.genre_index(g) for g in catalog.genres_of(r)] for r in rows]
    expected = np.array(
        [[0.0 if related[np.ix_(a, b)].any() else 1.0 for b in genres] for a in genres]
    )
    assert expected.any() and not expected.all()
    np.testing.assert_array_equal(unrelated_pairs(catalog, rows), expected)


def test_take_turns_deals_the_queues_rank_by_rank_then_the_pool_each_row_once():
    queues = [np.array([5, 7, 9]), np.array([2]), np.array([7, 3])]
    pool = np.array([1, 2, 8, 3, 0])
    # rank 0: 5, 2, 7; rank 1: 7 (already dealt), 3; rank 2: 9; then the pool's new rows
    assert take_turns(queues, pool).tolist() == [5, 2, 7, 3, 9, 1, 8, 0]


def test_take_turns_without_queues_is_the_pool():
    assert take_turns([], np.array([4, 1, 4])).tolist() == [4, 1]


@pytest.mark.parametrize("rows", [1, 254, 255, 256, 4000, 4001])
def test_bit_counts_are_each_columns_ones_even_past_a_byte(rows):
    # every column full in some cases: a count past 255 must not spill into the next column
    rng = np.random.default_rng(rows)
    bits = (rng.random((rows, 24)) < np.linspace(0.0, 1.0, 24)).astype(np.uint8)
    np.testing.assert_array_equal(_bit_counts(bits), bits.sum(axis=0))
