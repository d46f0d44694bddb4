"""The catalog: one row per track id, merged genres, fast cached loads, clear errors."""

from pathlib import Path

import numpy as np
import pytest

from aidj.catalog import DEFAULT_CATALOG_NAMES, CatalogError, credited, load_catalog
from tests.conftest import CATALOG_TIDY


def test_one_row_per_track_id(catalog):
    assert len(catalog) == 89_740  # 89,741 unique ids less the one row without artist/title
    assert len(set(catalog.ids[:5000])) == 5000


def test_genres_of_duplicate_rows_are_merged(catalog):
    i = catalog.index_of("5SuOikwiRyPMVoIQDJUgSV")
    assert {"acoustic", "j-pop"} <= set(catalog.genres_of(i))


def test_versions_of_one_song_share_a_song_id(catalog):
    assert len(np.unique(catalog.song_id)) < len(catalog)


def test_unknown_id_is_none(catalog):
    assert catalog.index_of("0000000000000000000000") is None
    assert catalog.index_of("not-an-id") is None


def test_artist_matching_ignores_case_and_accents(catalog):
    assert catalog.artist_mask(["beyonce"]).sum() == catalog.artist_mask(["Beyoncé"]).sum() > 0


@pytest.mark.parametrize("names", [["Beyoncé"], ["Queen", "Daft Punk"], ["Nobody Called This"], []])
def test_artist_mask_marks_every_track_crediting_the_artist(catalog, names):
    wanted = {a for name in names for a in catalog.artist_ids_matching(name)}
    expected = [
        any(
            int(a) in wanted
            for a in catalog.artist_idx[catalog.artist_ptr[i] : catalog.artist_ptr[i + 1]]
        )
        for i in range(len(catalog))
    ]
    np.testing.assert_array_equal(catalog.artist_mask(names), expected)


def test_artist_mask_of_some_rows_is_the_catalogs_mask_at_those_rows(catalog):
    rows = np.flatnonzero(catalog.genre_mask(["pop", "r-n-b"]))
    subset = catalog.subset(rows)
    np.testing.assert_array_equal(
        subset.artist_mask(["Beyoncé", "Queen"]), catalog.artist_mask(["Beyoncé", "Queen"])[rows]
    )
    assert not catalog.subset(rows[:0]).artist_mask(["Queen"]).any()


def test_warm_load_reads_the_cache(catalog_path, catalog_cache_dir, catalog):
    again = load_catalog(catalog_path, cache_dir=catalog_cache_dir)
    assert again.ids[100] == catalog.ids[100] and len(again) == len(catalog)


def test_tidytuesday_schema_is_understood(tmp_path):
    if not CATALOG_TIDY.exists():
        pytest.skip("TidyTuesday catalog not present")
    tidy = load_catalog(CATALOG_TIDY, cache_dir=tmp_path)
    assert len(tidy) == 28_356 - 5 or len(tidy) > 28_000
    # labels as the file spells them: TidyTuesday's "r&b" is not the 114k set's "r-n-b"
    assert "r&b" in tidy.genres and "edm" in tidy.genres and "hip hop" in tidy.genres
    assert (tidy.year > 0).mean() > 0.99 and tidy.year.max() <= 2020


def test_missing_file_gives_one_clear_error(tmp_path):
    with pytest.raises(CatalogError, match="AIDJ_CATALOG"):
        load_catalog(tmp_path / "nope.csv", cache_dir=tmp_path)


def test_missing_file_error_names_both_shared_files_as_the_default(tmp_path):
    with pytest.raises(CatalogError) as raised:
        load_catalog(tmp_path / "nope.csv", cache_dir=tmp_path / "cache")
    message = str(raised.value)
    assert all(f"../shared/data/{name}" in message for name in DEFAULT_CATALOG_NAMES)


def test_malformed_file_gives_one_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,artist\nfoo,bar\n")
    with pytest.raises(CatalogError, match="track_id"):
        load_catalog(bad, cache_dir=tmp_path)


def test_binary_file_gives_one_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"track_id,danceability,energy,valence,tempo\n\xff\xfe\x00garbage\n")
    with pytest.raises(CatalogError, match="UTF-8"):
        load_catalog(bad, cache_dir=tmp_path)


def test_catalog_path_comes_from_the_environment(monkeypatch, catalog_path, catalog_cache_dir):
    monkeypatch.setenv("AIDJ_CATALOG", str(catalog_path))
    assert len(load_catalog(None, cache_dir=catalog_cache_dir)) > 0
    assert Path(catalog_path).exists()


def test_larger_dataset_schemas_are_understood(tmp_path):
    # "Spotify 1.2M+ Songs" (tracks_features.csv) writes artists as a Python list and uses id/name
    csv_text = (
        "id,name,album,artists,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,"
        "instrumentalness,liveness,valence,tempo,duration_ms,time_signature,year\n"
        '7lmeHLHBe4nmXzuXc0HDjk,Testify,The Battle Of Los Angeles,"[\'Rage Against The Machine\', ""Zack\'s Band""]",'
        "False,0.47,0.978,7,-5.399,1,0.07,0.0261,1.09e-05,0.356,0.503,117.906,210133,4,1999\n"
    )
    path = tmp_path / "tracks_features.csv"
    path.write_text(csv_text)
    cat = load_catalog(path, cache_dir=tmp_path / "cache")
    assert cat.artists_of(0) == ["Rage Against The Machine", "Zack's Band"]
    assert cat.names[0] == "Testify" and cat.index_of("7lmeHLHBe4nmXzuXc0HDjk") == 0


HEADER = "track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre\n"
FEATURES = "0.7,0.6,5,-5,1,0.05,0.1,0,0.1,0.6,120,4"


def _row(tid: str, artists: str, title: str, genre: str = "latino", explicit: str = "False") -> str:
    return f"{tid},{artists},Album,{title},50,200000,{explicit},{FEATURES},{genre}\n"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_versions_of_a_song_share_one_song_id_across_remixes_lives_and_guests(tmp_path):
    path = _write(
        tmp_path / "v.csv",
        [
            _row("a" * 22, "Pedro Capó", "Calma"),
            _row("b" * 22, "Pedro Capó;Farruko", "Calma - Remix"),
            _row("c" * 22, "Farruko;Pedro Capó", "Calma (Live)"),
            _row("d" * 22, "Pedro Capó", "Calmado"),
            _row("e" * 22, "Someone Else", "Calma"),
        ],
    )
    cat = load_catalog(path, cache_dir=tmp_path / "cache")
    song = [int(cat.song_id[cat.index_of(c * 22)]) for c in "abcde"]
    assert song[0] == song[1] == song[2]
    assert len({song[0], song[3], song[4]}) == 3  # another title, or the same title by someone else


def test_several_files_make_one_catalog_first_file_wins_genres_and_years_gather(tmp_path):
    first = _write(
        tmp_path / "a.csv",
        [_row("a" * 22, "Band", "Song One", "rock"), _row("b" * 22, "Band", "Song Two", "rock")],
    )
    tidy_header = "track_id,track_name,track_artist,track_popularity,track_album_release_date,playlist_genre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms\n"
    second = tmp_path / "b.csv"
    second.write_text(
        tidy_header
        + f"{'a' * 22},Song One,Band,90,1987-05-01,pop,0.1,0.1,1,-5,1,0.1,0.1,0,0.1,0.1,90,180000\n"
        + f"{'c' * 22},Song Three,Band,70,1994,pop,0.5,0.5,1,-5,1,0.1,0.1,0,0.1,0.5,100,180000\n",
        encoding="utf-8",
    )
    cat = load_catalog(f"{first}{__import__('os').pathsep}{second}", cache_dir=tmp_path / "cache")
    assert len(cat) == 3
    a = cat.index_of("a" * 22)
    assert set(cat.genres_of(a)) == {"rock", "pop"}
    assert cat.features["energy"][a] == pytest.approx(0.6)  # the first file's features
    assert int(cat.year[a]) == 1987 and int(cat.year[cat.index_of("b" * 22)]) == 0
    assert int(cat.year[cat.index_of("c" * 22)]) == 1994
    # the second file says nothing about explicit lyrics: unknown, not "clean"
    assert not cat.explicit_known[cat.index_of("c" * 22)] and cat.explicit_known[a]


def test_default_catalog_is_both_shared_files(monkeypatch, tmp_path):
    from aidj.catalog import resolve_catalog_paths
    from tests.conftest import CATALOG_114K, REPO

    if not CATALOG_TIDY.exists() or not CATALOG_114K.exists():
        pytest.skip("shared catalogs not present")
    monkeypatch.delenv("AIDJ_CATALOG", raising=False)
    monkeypatch.chdir(REPO)
    assert [p.name for p in resolve_catalog_paths(None)] == [CATALOG_114K.name, CATALOG_TIDY.name]


def test_compiling_twice_under_different_hash_seeds_gives_identical_files(tmp_path):
    import hashlib
    import subprocess
    import sys

    path = _write(
        tmp_path / "v.csv",
        [
            _row(f"{i:022d}", f"Artist {i % 7}", f"Song {i % 11} - Live", f"g{i % 5}")
            for i in range(300)
        ],
    )
    digests = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        code = f"from aidj.catalog import compile_catalog; compile_catalog({str(path)!r}, {str(out)!r})"
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": seed},
        )
        digests.append(
            {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(out.iterdir())}
        )
    assert digests[0] == digests[1]


def test_genre_relations_join_styles_that_share_artists_and_keep_strangers_apart(catalog):
    related = catalog.genre_related
    g = catalog.genre_index
    assert related[g("house"), g("deep-house")] and related[g("latino"), g("reggaeton")]
    assert not related[g("k-pop"), g("metal")] and not related[g("opera"), g("hardstyle")]
    assert (related == related.T).all()


@pytest.mark.parametrize(
    "values",
    [[], [""], ["Beyoncé", "", "Sigur Rós", "a\x00b", "Björk"], ["Queen", "ABBA", ""]],
)
def test_a_string_column_decodes_back_to_the_strings_it_was_built_from(values):
    from aidj.catalog import StringColumn

    assert StringColumn.from_strings(values).to_list() == values


def test_a_credit_lists_its_artists_in_order_without_empty_names():
    assert credited("Daft Punk;Pharrell Williams") == ["Daft Punk", "Pharrell Williams"]
    assert credited(";Daft Punk;;Nile Rodgers;") == ["Daft Punk", "Nile Rodgers"]
    assert credited("") == []
