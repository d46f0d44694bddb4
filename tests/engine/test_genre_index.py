"""The per-genre row index (compiled into every catalog) changes how fast a playlist is built,
never which."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from aidj import catalog as catalog_module
from aidj import engine
from aidj.catalog import (
    CatalogRows,
    build_genre_index,
    genre_subset,
    load_catalog,
    styles_subset,
)
from aidj.engine import build_playlist
from aidj.intent import EnergyArc, Intent

from ..conftest import EVAL_DIR, REPO

PROMPT_FILES = [
    EVAL_DIR / "dev_prompts.jsonl",
    *sorted((REPO / "tests" / "eval_data").glob("*.jsonl")),
]


@pytest.fixture(scope="module")
def plain(catalog):
    """The catalog as it would be without the compiled index: every prompt scores every row."""
    return dataclasses.replace(catalog, genre_ptr=None, genre_rows=None)


@pytest.fixture(scope="module")
def indexed(catalog):
    ptr, rows = build_genre_index(catalog.genre_bits, len(catalog.genres))
    return dataclasses.replace(catalog, genre_ptr=ptr, genre_rows=rows)


def prompts() -> list[str]:
    out = []
    for path in PROMPT_FILES:
        if path.exists():
            out += [
                json.loads(line)["prompt"] for line in path.read_text().splitlines() if line.strip()
            ]
    return out


def test_index_lists_exactly_the_rows_of_each_genre(catalog, indexed):
    for genre in ("jazz", "k-pop", "sleep", "german"):
        np.testing.assert_array_equal(
            indexed.rows_with_genres([genre]), np.flatnonzero(catalog.genre_mask([genre]))
        )
    union = indexed.rows_with_genres(["jazz", "blues", "soul"])
    np.testing.assert_array_equal(
        union, np.flatnonzero(catalog.genre_mask(["jazz", "blues", "soul"]))
    )


def test_catalog_without_an_index_says_so(plain):
    assert plain.rows_with_genres(["jazz"]) is None


def test_the_shared_catalog_is_compiled_with_the_index(catalog):
    assert catalog.genre_ptr is not None and catalog.genre_rows is not None
    np.testing.assert_array_equal(
        catalog.rows_with_genres(["tango"]), np.flatnonzero(catalog.genre_mask(["tango"]))
    )


@pytest.fixture
def scored_on(monkeypatch) -> list[str]:
    """Records, per build, whether the scorer saw the genre rows only or the whole catalog."""
    seen: list[str] = []
    real = engine.fit_scores

    def spy(target, intent):
        seen.append("rows" if isinstance(target, CatalogRows) else "all")
        return real(target, intent)

    monkeypatch.setattr(engine, "fit_scores", spy)
    return seen


def test_every_eval_prompt_gets_the_same_playlist_with_and_without_the_index(
    dj, plain, indexed, scored_on
):
    texts = prompts()
    assert len(texts) >= 200
    different = []
    for text in texts:
        intent = dj.interpret(text)
        slow, fast = build_playlist(plain, intent), build_playlist(indexed, intent)
        if [t.id for t in slow.tracks] != [t.id for t in fast.tracks]:
            different.append(text)
    assert different == []
    assert scored_on.count("rows") > len(texts) / 2  # the index really served most of them


# 328 comedy tracks without explicit lyrics; without these two artists, 278: fewer than the
# 300 candidates a 100-track playlist wants, so the whole catalog has to be ranked
THIN = {
    "genres": ["comedy"],
    "explicit": False,
    "limit": 100,
    "exclude_artists": ["Kathleen Madigan", "Mike Birbiglia"],
}


@pytest.mark.parametrize(
    ("intent", "path"),
    [
        (Intent(**THIN), ["rows", "all"]),  # too few in genre: handed over to the whole catalog
        (
            Intent(**THIN, min_popularity=40),
            ["rows", "all"],
        ),  # a soft constraint would count outside
        (Intent(genres=["honky-tonk"], min_popularity=60, limit=40), ["rows"]),
        (Intent(genres=["opera"], tempo_min=150, limit=30), ["rows"]),
        (
            Intent(genres=["french", "rap"], explicit=False, limit=25),
            ["rows", "all"],
        ),  # the style's and the scene's rows first; too few clean French rap tracks: handed over
        # a country next to a style: the scene's tracks by the style's artists or of its sound
        # count too (genre_map.scene_match), and are among the rows scored
        (Intent(genres=["hip-hop", "french"], limit=20), ["rows"]),
        (Intent(genres=["rock", "spanish"], limit=20), ["rows"]),
        # a mix of unrelated styles: each style's own ranking is taken on the rows scored
        (
            Intent(genres=["k-pop", "metal"], genre_groups=[["k-pop"], ["metal"]], limit=20),
            ["rows"],
        ),
        (
            Intent(
                genres=["techno"],
                arc=EnergyArc.BUILD_UP,
                duration_minutes=60,
                exclude_artists=["Boris Brejcha"],
            ),
            ["rows"],
        ),
        (Intent(genres=["jazz"], mode="minor", seed_artists=["Miles Davis"], limit=15), ["rows"]),
    ],
)
def test_edge_intents_get_the_same_playlist_with_and_without_the_index(
    plain, indexed, intent, path, scored_on
):
    fast = build_playlist(indexed, intent)
    assert scored_on == path
    slow = build_playlist(plain, intent)
    assert [t.id for t in slow.tracks] == [t.id for t in fast.tracks]
    assert slow.stats["genre_match_share"] == fast.stats["genre_match_share"]


def test_large_catalogs_are_compiled_with_the_index(catalog_path, tmp_path, monkeypatch):
    monkeypatch.setattr(catalog_module, "GENRE_INDEX_MIN_TRACKS", 1000)
    compiled = load_catalog(catalog_path, cache_dir=tmp_path)
    assert compiled.genre_ptr is not None and compiled.genre_rows is not None
    assert compiled.genre_ptr[-1] == len(compiled.genre_rows)
    np.testing.assert_array_equal(
        compiled.rows_with_genres(["tango"]), np.flatnonzero(compiled.genre_mask(["tango"]))
    )


def test_the_compiled_genre_sample_is_the_one_the_catalog_would_build(catalog):
    from aidj.catalog import genre_sample_of

    assert catalog._genre_sample is not None, "a compiled catalog carries its genre sample"
    ptr, rows = catalog.genre_sample()
    built_ptr, built_rows = genre_sample_of(
        *build_genre_index(catalog.genre_bits, len(catalog.genres)), catalog.playable()
    )
    assert np.array_equal(ptr, built_ptr) and np.array_equal(rows, built_rows)
    assert rows.dtype == built_rows.dtype


def test_the_largest_catalogs_are_compiled_with_each_genres_columns_side_by_side(
    catalog_path, tmp_path, monkeypatch
):
    from aidj.catalog import GENRE_MAJOR_COLUMNS

    monkeypatch.setattr(catalog_module, "GENRE_INDEX_MIN_TRACKS", 1000)
    monkeypatch.setattr(catalog_module, "GENRE_MAJOR_MIN_TRACKS", 1000)
    compiled = load_catalog(catalog_path, cache_dir=tmp_path)
    assert compiled.genre_major is not None and compiled.genre_rows is not None
    assert sorted(compiled.genre_major) == sorted(GENRE_MAJOR_COLUMNS)
    row_major = {
        **compiled.features,
        **{k: getattr(compiled, k) for k in GENRE_MAJOR_COLUMNS if k not in compiled.features},
    }
    for name, column in compiled.genre_major.items():
        # every genre's slice holds, row for row, what the catalog holds at that genre's rows
        assert column.dtype == row_major[name].dtype, name
        np.testing.assert_array_equal(column, row_major[name][compiled.genre_rows], err_msg=name)


def test_a_genres_subset_reads_the_same_columns_as_a_gather_of_its_rows(
    catalog_path, tmp_path, monkeypatch
):
    monkeypatch.setattr(catalog_module, "GENRE_INDEX_MIN_TRACKS", 1000)
    monkeypatch.setattr(catalog_module, "GENRE_MAJOR_MIN_TRACKS", 1000)
    compiled = load_catalog(catalog_path, cache_dir=tmp_path)
    for genre in ("jazz", "k-pop", "sleep"):
        sliced = genre_subset(compiled, genre)
        rows = compiled.rows_with_genres([genre])
        assert sliced is not None and rows is not None
        gathered = compiled.subset(rows)
        np.testing.assert_array_equal(sliced.rows, rows)
        for name in ("energy", "tempo", "valence"):
            np.testing.assert_array_equal(sliced.features[name], gathered.features[name])
        for name in ("popularity", "duration_ms", "mode", "explicit", "year", "genre_bits"):
            np.testing.assert_array_equal(getattr(sliced, name), getattr(gathered, name))
        np.testing.assert_array_equal(sliced.playable(), compiled.playable()[rows])


def test_catalogs_under_the_threshold_have_no_genre_major_copy(catalog):
    assert catalog.genre_major is None


def test_a_genres_subset_keeps_the_catalogs_masks_at_its_rows(indexed):
    from aidj.seasons import seasonal_mask

    first, again = genre_subset(indexed, "pop"), genre_subset(indexed, "pop")
    assert first is not None and again is not None
    foreign = ("k-pop", "j-pop")
    np.testing.assert_array_equal(
        first.fixed_genre_mask(foreign), indexed.fixed_genre_mask(foreign)[first.rows]
    )
    np.testing.assert_array_equal(
        seasonal_mask(first, "christmas"), seasonal_mask(indexed, "christmas")[first.rows]
    )
    # kept per genre: the next prompt anchored on pop gathers nothing
    assert again.fixed_genre_mask(foreign) is first.fixed_genre_mask(foreign)
    other = genre_subset(indexed, "jazz")
    assert other is not None
    np.testing.assert_array_equal(
        other.fixed_genre_mask(foreign), indexed.fixed_genre_mask(foreign)[other.rows]
    )


@pytest.mark.parametrize(
    ("genres", "scenes"),
    [(["hip-hop"], ["french"]), (["rock"], ["spanish"]), (["pop"], ["german"])],
)
def test_a_scenes_rows_hold_every_track_the_scene_can_take_and_judge_them_as_the_whole(
    catalog, indexed, genres, scenes
):
    from aidj.catalog import place_rows
    from aidj.genre_map import aliases, scene_match, scene_places
    from aidj.named_rows import named_rows

    whole = scene_match(catalog, genres, scenes)
    subset = named_rows(indexed, aliases(genres), scenes)
    assert subset is not None and whole.any()
    assert np.isin(np.flatnonzero(whole), subset.rows).all()
    # judged on the subset as on the whole catalog: the scene's sound is all of its tracks'
    np.testing.assert_array_equal(scene_match(subset, genres, scenes), whole[subset.rows])
    # yet not all of the scene's tracks are read: only those by the style's artists or unfiled
    everything = np.union1d(
        indexed.rows_with_genres(aliases(genres)),
        place_rows(indexed, scene_places(indexed.places, scenes)),
    )
    assert len(subset) < len(everything)


def test_a_genre_subset_is_kept_for_the_next_request_naming_the_same_styles(catalog):
    first = styles_subset(catalog, ["jazz", "blues"])
    again = styles_subset(catalog, ["blues", "jazz", "jazz"])
    assert first is not None and again is first
    assert styles_subset(catalog, ["jazz"]) is not first


def test_a_kept_subsets_columns_and_masks_are_read_only(catalog):
    subset = styles_subset(catalog, ["tango"])
    assert subset is not None
    reads = [
        subset.popularity,
        subset.genre_bits,
        subset.features["energy"],
        subset.playable(),
        subset.genre_mask(["tango"]),
    ]
    assert not any(column.flags.writeable for column in reads)
    # and a second read is the kept array, not a new gather
    assert subset.genre_mask(["tango"]) is reads[-1] and subset.popularity is reads[0]


def test_subsets_past_the_row_budget_leave_least_recently_used_first(catalog):
    from aidj.catalog import SubsetCache

    cache = SubsetCache(budget_rows=2500)  # two subsets of 1,000 rows fit, three do not
    built = [catalog.subset(np.arange(k * 1000, (k + 1) * 1000)) for k in range(4)]
    kept = [cache.get((k,), lambda k=k: built[k]) for k in range(2)]
    assert cache.get((0,), lambda: built[2]) is kept[0]  # asked again: now the most recent
    cache.get((2,), lambda: built[2])  # the third pushes out the least recently used, (1,)
    assert cache.get((0,), lambda: built[3]) is kept[0]
    assert cache.get((1,), lambda: built[3]) is built[3]


def test_kept_subsets_do_not_change_a_playlist(dj, catalog):
    intent = dj.interpret("smooth jazz for a dinner party")
    catalog.subsets.clear()
    catalog.masks.clear()
    first = build_playlist(catalog, intent)
    assert intent.genres and len(catalog.subsets) > 0  # the path under test kept a subset
    again = build_playlist(catalog, intent)
    assert [t.to_dict() for t in first.tracks] == [t.to_dict() for t in again.tracks]


@pytest.mark.parametrize(
    ("prompt", "artists"),
    [
        ("jazz for a quiet evening", ["John Coltrane", "Miles Davis", "Bill Evans"]),
        ("rock classics for the car", ["Queen", "The Rolling Stones", "AC/DC"]),
    ],
)
def test_a_listeners_taste_steers_the_same_with_and_without_the_index(
    dj, plain, indexed, prompt, artists, scored_on
):
    # the favourites taste may add are outside the pool: scored on the genre rows, they must
    # keep their scores as when everything is scored
    from aidj.taste.build import build
    from aidj.taste.signals import from_top_artists
    from aidj.taste.steer import Taste

    intent = dj.interpret(prompt)
    profile = build(from_top_artists([{"name": n} for n in artists], "medium_term"), plain)
    slow = build_playlist(plain, intent, taste=Taste(profile))
    fast = build_playlist(indexed, intent, taste=Taste(profile))
    assert "rows" in scored_on
    assert [t.id for t in slow.tracks] == [t.id for t in fast.tracks]


@pytest.mark.parametrize(
    ("style", "numbers"),
    [
        ("alternative", {"tempo_min": 150}),
        ("dubstep", {"instrumentalness": 0.9}),
        ("blues", {"min_popularity": 70}),
    ],
)
def test_a_kept_genre_match_follows_the_requests_own_numbers(catalog, style, numbers):
    from aidj.scoring import genre_match

    subset = styles_subset(catalog, [style])
    assert subset is not None
    plain = genre_match(subset, Intent.from_dict({"genres": [style]}))  # kept first
    narrow = Intent.from_dict({"genres": [style], **numbers})
    kept = genre_match(subset, narrow)
    # the style's core is thin inside these numbers, so it widens: a key must say them
    assert not np.array_equal(plain, kept)
    subset.masks.clear()
    np.testing.assert_array_equal(kept, genre_match(subset, narrow))
    assert genre_match(subset, narrow) is genre_match(subset, narrow)  # asked again: kept
    assert not kept.flags.writeable


def test_a_scenes_widened_rows_are_kept_like_the_styles_own(catalog):
    from aidj.genre_map import aliases, scene_match
    from aidj.named_rows import named_rows

    labels = aliases(["hip-hop"])
    french = named_rows(catalog, labels, ["french"])
    assert french is not None and named_rows(catalog, labels, ["french"]) is french
    assert named_rows(catalog, labels, ["german"]) is not french
    assert named_rows(catalog, labels, ["french"], ["Booba"]) is not french
    # and so is its match: counting it (with_scenes) and scoring it read one array
    both = scene_match(french, ["hip-hop"], ["french"])
    assert scene_match(french, ["hip-hop"], ["french"]) is both and not both.flags.writeable


@pytest.mark.parametrize(
    "switch",
    [{"explicit": False}, {"seasons": ["christmas"]}, {"energy": 0.2}],  # the last: a sleep set
)
def test_kept_standing_limits_follow_each_switch(catalog, switch):
    from aidj.scoring import hard_mask

    subset = styles_subset(catalog, ["children", "kids"])
    assert subset is not None
    plain = hard_mask(subset, Intent.from_dict({"genres": ["kids"]}))  # kept first
    switched = Intent.from_dict({"genres": ["kids"], **switch})
    kept = hard_mask(subset, switched)
    assert not np.array_equal(plain, kept)  # the switch moves the limits: a key must say it
    subset.masks.clear()
    np.testing.assert_array_equal(kept, hard_mask(subset, switched))


@pytest.mark.parametrize(
    "numbers",
    [
        {"energy": 0.8},  # another target
        {"energy": 0.3, "tempo": 90},  # a tempo too
        {"energy": 0.3, "popularity": 80},  # the prior moves
        {"energy": 0.3, "arc": "build_up"},  # an energy arc drops the energy target
    ],
)
def test_kept_score_terms_follow_the_requests_own_numbers(catalog, numbers):
    from aidj.scoring import fit_scores

    subset = styles_subset(catalog, ["hip-hop"])
    assert subset is not None
    plain = fit_scores(subset, Intent.from_dict({"genres": ["hip-hop"], "energy": 0.3}))
    asked = Intent.from_dict({"genres": ["hip-hop"], **numbers})
    kept = fit_scores(subset, asked).scores
    assert not np.array_equal(plain.scores, kept)  # the numbers move the scores: keys must say them
    subset.terms.clear()
    np.testing.assert_array_equal(kept, fit_scores(subset, asked).scores)
    assert len(subset.terms)  # made again, and kept for the next request


def test_the_fit_to_a_requests_targets_is_made_every_time_never_kept(catalog):
    """The fit is the work every request must do (what numpy_ratio.py's pass measures): new
    targets on a kept subset add nothing to what it keeps."""
    from aidj.scoring import fit_scores

    subset = styles_subset(catalog, ["hip-hop"])
    assert subset is not None
    fit_scores(subset, Intent.from_dict({"genres": ["hip-hop"], "energy": 0.3}))
    kept = len(subset.terms)
    for energy in (0.5, 0.7, 0.9):
        fit_scores(subset, Intent.from_dict({"genres": ["hip-hop"], "energy": energy}))
    assert len(subset.terms) == kept


def test_a_kept_subset_scores_bit_for_bit_as_the_whole_catalog(catalog):
    from aidj.scoring import fit_scores

    intent = Intent.from_dict(
        {"genres": ["hip-hop", "trap"], "energy": 0.7, "valence": 0.4, "tempo": 140}
    )
    subset = styles_subset(catalog, ["hip-hop", "trap"])
    assert subset is not None
    whole = fit_scores(catalog, intent).scores[subset.rows]
    for _ in range(2):  # made, then read back from the kept terms
        np.testing.assert_array_equal(fit_scores(subset, intent).scores, whole)


def test_a_kept_subsets_artist_mask_is_kept_and_read_only(catalog):
    subset = styles_subset(catalog, ["hip-hop"])
    assert subset is not None
    mask = subset.artist_mask(["Drake"])
    np.testing.assert_array_equal(mask, catalog.artist_mask(["Drake"])[subset.rows])
    assert mask.any() and subset.artist_mask(["Drake"]) is mask and not mask.flags.writeable


def test_a_genre_prompts_lent_score_arrays_read_zero_outside_its_own_candidates(dj, catalog):
    from aidj.engine import score_and_rank
    from aidj.scoring import scratch_for
    from aidj.selection import wanted_count

    scores = []
    for prompt in ("smooth jazz for a dinner party", "hard rock for the gym"):
        intent = dj.interpret(prompt)
        scored, _, _, written = score_and_rank(catalog, intent, wanted_count(catalog, intent), None)
        assert written is not None  # the genre rows' path, in lent arrays
        elsewhere = np.ones(len(catalog), dtype=bool)
        elsewhere[written] = False
        # the previous prompt's rows were zeroed when given back
        assert not scored.scores[elsewhere].any() and not scored.allowed[elsewhere].any()
        assert not scored.genre_match[elsewhere].any()
        scores.append(scored.scores[written].copy())
        scratch_for(catalog).give_back(scored, written)
    assert scores[0].any() and scores[1].any()
