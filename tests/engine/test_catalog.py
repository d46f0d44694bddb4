"""The catalog: one row per track id, merged genres, fast cached loads, clear errors."""

from pathlib import Path

import numpy as np
import pytest

from aidj.catalog import CatalogError, load_catalog
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
        any(int(a) in wanted for a in catalog.artist_idx[catalog.artist_ptr[i] : catalog.artist_ptr[i + 1]])
        for i in range(len(catalog))
    ]
    np.testing.assert_array_equal(catalog.artist_mask(names), expected)


def test_artist_mask_of_some_rows_is_the_catalogs_mask_at_those_rows(catalog):
    rows = np.flatnonzero(catalog.genre_mask(["pop", "r-n-b"]))
    subset = catalog.subset(rows)
    np.testing.assert_array_equal(subset.artist_mask(["Beyoncé", "Queen"]), catalog.artist_mask(["Beyoncé", "Queen"])[rows])
    assert not catalog.subset(rows[:0]).artist_mask(["Queen"]).any()


def test_warm_load_reads_the_cache(catalog_path, catalog_cache_dir, catalog):
    again = load_catalog(catalog_path, cache_dir=catalog_cache_dir)
    assert again.ids[100] == catalog.ids[100] and len(again) == len(catalog)


def test_tidytuesday_schema_is_understood(tmp_path):
    if not CATALOG_TIDY.exists():
        pytest.skip("TidyTuesday catalog not present")
    tidy = load_catalog(CATALOG_TIDY, cache_dir=tmp_path)
    assert len(tidy) == 28_356 - 5 or len(tidy) > 28_000
    assert "r-n-b" in tidy.genres and "edm" in tidy.genres


def test_missing_file_gives_one_clear_error(tmp_path):
    with pytest.raises(CatalogError, match="AIDJ_CATALOG"):
        load_catalog(tmp_path / "nope.csv", cache_dir=tmp_path)


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
        "7lmeHLHBe4nmXzuXc0HDjk,Testify,The Battle Of Los Angeles,\"['Rage Against The Machine', \"\"Zack's Band\"\"]\","
        "False,0.47,0.978,7,-5.399,1,0.07,0.0261,1.09e-05,0.356,0.503,117.906,210133,4,1999\n"
    )
    path = tmp_path / "tracks_features.csv"
    path.write_text(csv_text)
    cat = load_catalog(path, cache_dir=tmp_path / "cache")
    assert cat.artists_of(0) == ["Rage Against The Machine", "Zack's Band"]
    assert cat.names[0] == "Testify" and cat.index_of("7lmeHLHBe4nmXzuXc0HDjk") == 0
