"""Genre-free prompts on huge catalogs: the region is decided on a sample, then ranked in full.

The 89k-track catalog stands in for a large one: a small per-genre sample and a low threshold
make the sample a third of the catalog, so the sampled path really runs on part of it.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from aidj import sampled_region
from aidj.catalog import build_genre_index, genre_major, genre_sample_of
from aidj.engine import build_playlist
from aidj.intent import Intent
from aidj.sampled_region import catalog_sample, uses_sample
from aidj.sampled_region import sampled_region as region_of

from ..conftest import EVAL_DIR

PER_GENRE = 100


@pytest.fixture(scope="module")
def large(catalog):
    """The catalog as a large one looks: a genre index, each genre's columns side by side and a
    thin per-genre sample."""
    ptr, rows = build_genre_index(catalog.genre_bits, len(catalog.genres))
    typical = genre_sample_of(ptr, rows, catalog.playable(), PER_GENRE)
    major = genre_major(lambda name: catalog.features.get(name, getattr(catalog, name, None)), rows)
    return dataclasses.replace(
        catalog, genre_ptr=ptr, genre_rows=rows, genre_major=major, _genre_sample=typical
    )


@pytest.fixture
def sampled(monkeypatch):
    monkeypatch.setattr(sampled_region, "SAMPLE_MIN_TRACKS", 0)
    monkeypatch.setattr(sampled_region, "SAMPLE_ROWS", 20_000)


def genre_free_intents(dj) -> list[Intent]:
    lines = (EVAL_DIR / "dev_prompts.jsonl").read_text().splitlines()
    intents = [dj.interpret(json.loads(line)["prompt"]) for line in lines if line.strip()]
    return [i for i in intents if not i.genres and not i.seed_artists]


def test_a_samples_season_and_cover_marks_are_the_whole_catalogs_at_its_rows(large, sampled):
    from aidj.covers import renditions
    from aidj.seasons import seasonal_mask

    sample, rows = catalog_sample(large)
    christmas = seasonal_mask(large, "christmas")
    assert christmas.any()
    assert np.array_equal(seasonal_mask(sample, "christmas"), christmas[rows])
    # a song is a cover by the whole catalog's count, not by how many renditions the sample kept
    assert np.array_equal(renditions(sample), renditions(large)[rows])


def test_a_sample_row_is_the_catalogs_row(large, sampled):
    sample, rows = catalog_sample(large)
    assert len(large) / 4 < len(sample) < len(large) / 2
    for j in (0, 1, len(rows) // 2, len(rows) - 1):
        assert sample.track(j) == large.track(int(rows[j]))
        assert sample.artists_of(j) == large.artists_of(int(rows[j]))


def test_the_sample_holds_every_genres_typical_tracks_where_the_catalog_has_them(large, sampled):
    sample, rows = catalog_sample(large)
    ptr, typical = large.genre_sample()
    sample_ptr, at = sample.genre_sample()
    assert np.array_equal(sample_ptr, ptr) and np.array_equal(rows[at], typical)


def test_the_sample_is_built_once_per_catalog(large, sampled):
    assert catalog_sample(large)[0] is catalog_sample(large)[0]


def test_genre_free_prompts_keep_the_anchor_the_whole_catalog_gives(dj, large, sampled):
    intents = genre_free_intents(dj)
    assert len(intents) >= 10
    same = 0
    for intent in intents:
        sampled_region.SAMPLE_MIN_TRACKS = 10**12
        full = build_playlist(large, intent)
        sampled_region.SAMPLE_MIN_TRACKS = 0
        fast = build_playlist(large, intent)
        same += full.stats["region"] == fast.stats["region"]
    assert same >= 0.7 * len(intents)  # 9 of 11 on this thin sample; 10 of 11 at 1M


def test_the_region_is_the_anchors_best_of_the_whole_catalog_not_of_the_sample(dj, large, sampled):
    intent = dj.interpret("energetic music for working out")
    found = region_of(large, intent, 20, None)
    assert found is not None
    scored, pool, region = found
    _, rows = catalog_sample(large)
    assert not np.isin(pool, rows).all()  # tracks the sample never held
    anchor = large.genre_index(region.anchor)
    carries = np.unpackbits(large.genre_bits[pool], axis=1, bitorder="little")[:, anchor]
    assert carries.all()
    assert np.all(np.diff(scored.scores[pool]) <= 0)  # best first


@pytest.mark.parametrize(
    "intent",
    [
        Intent(genres=["techno"], limit=20),
        Intent(seed_artists=["Daft Punk"], limit=20),
        Intent(limit=2),
    ],
)
def test_genres_seed_artists_and_tiny_counts_never_take_the_sample(large, sampled, intent):
    assert not uses_sample(large, intent, max(intent.limit or 20, 0))


def test_small_catalogs_never_take_the_sample(catalog):
    assert not uses_sample(catalog, Intent(limit=20), 20)


def test_the_cutoff_stands_for_the_whole_catalogs_last_region_candidate() -> None:
    from aidj.coherence import REGION_CANDIDATES
    from aidj.sampled_region import SAMPLE_ROWS, cutoff

    n = SAMPLE_ROWS * 10  # every 10th track is in the even part of the sample
    rows = np.arange(0, n, 5)  # the sample: the even part and as many rows beside it
    scores = -rows.astype(np.float32)  # the lower the row, the better the fit
    pool = np.arange(len(rows))  # ranked best first
    assert cutoff(scores, pool, rows, n) == -(REGION_CANDIDATES - 10)


def test_the_genre_major_copy_changes_no_genre_free_playlist(dj, large, sampled):
    gathered = dataclasses.replace(large, genre_major=None)
    for intent in genre_free_intents(dj):
        sliced, plain = build_playlist(large, intent), build_playlist(gathered, intent)
        assert [t.id for t in sliced.tracks] == [t.id for t in plain.tracks], intent
        assert [t.score for t in sliced.tracks] == [t.score for t in plain.tracks]


def test_lent_score_arrays_come_back_zeroed_so_the_next_prompt_starts_clean(dj, large, sampled):
    intents = genre_free_intents(dj)
    first = [[t.id for t in build_playlist(large, i).tracks] for i in intents]
    again = [[t.id for t in build_playlist(large, i).tracks] for i in reversed(intents)]
    assert first == again[::-1]  # each build reuses the arrays the one before gave back
    found = region_of(large, intents[0], 20, None)
    assert found is not None
    scored, pool, _ = found
    assert scored.allowed[pool].any()
    sampled_region.release(large, scored, pool)
    assert not scored.scores.any() and not scored.allowed.any() and not scored.genre_match.any()


def test_a_lent_region_reads_zero_outside_its_rows_as_a_scatter_would(dj, large, sampled):
    intent = dj.interpret("chill music for a rainy afternoon")
    found = region_of(large, intent, 20, None)
    assert found is not None
    scored, pool, _ = found
    outside = np.ones(len(large), dtype=bool)
    outside[pool] = False
    assert not scored.scores[outside].any() and not scored.allowed[outside].any()


def test_a_listeners_favourites_in_the_anchor_keep_their_scores_for_taste_to_add(
    dj, large, sampled
):
    # taste adds favourites from outside the region (aidj.taste.steer): their scores must be
    # the anchor's as when everything is scored, and go back zeroed with the region's
    intent = dj.interpret("chill music for a rainy afternoon")
    found = region_of(large, intent, 20, None)
    assert found is not None
    scored, pool, region = found
    sampled_region.release(large, scored, pool)
    anchor = large.rows_with_genres([region.anchor])
    assert anchor is not None
    favourites = np.setdiff1d(anchor, pool)[:200]
    found = region_of(large, intent, 20, None, keep=favourites)
    assert found is not None
    scored, pool, _ = found
    assert scored.allowed[favourites].any() and scored.scores[favourites].any()
    sampled_region.release(large, scored, np.concatenate([pool, favourites]))
    assert not scored.scores.any() and not scored.allowed.any() and not scored.genre_match.any()
