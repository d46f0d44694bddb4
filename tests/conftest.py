"""Shared fixtures: the real catalogs live in ../shared/data and are never copied here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AIDJ_SHARED_DIR", REPO.parent / "shared"))
CATALOG_114K = SHARED / "data" / "spotify_tracks_114k.csv"
CATALOG_TIDY = SHARED / "data" / "spotify_songs_tidytuesday_2020-01-21.csv"
SPOTIFY_OPENAPI = SHARED / "reference" / "spotify-web-api.openapi.yml"
EVAL_DIR = SHARED / "eval"


@pytest.fixture(scope="session")
def catalog_path() -> Path:
    if not CATALOG_114K.exists():
        pytest.skip(f"catalog not found at {CATALOG_114K}; set AIDJ_SHARED_DIR")
    return CATALOG_114K


@pytest.fixture(scope="session")
def catalog_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("catalog-cache")


@pytest.fixture(scope="session")
def catalog(catalog_path: Path, catalog_cache_dir: Path):
    from aidj.catalog import load_catalog

    return load_catalog(catalog_path, cache_dir=catalog_cache_dir)


@pytest.fixture(scope="session")
def both_catalogs(catalog_cache_dir: Path):
    """The default catalog: both shared files, the second adding release years."""
    if not CATALOG_114K.exists() or not CATALOG_TIDY.exists():
        pytest.skip("shared catalogs not found; set AIDJ_SHARED_DIR")
    from aidj.catalog import load_catalog

    return load_catalog([CATALOG_114K, CATALOG_TIDY], cache_dir=catalog_cache_dir)


@pytest.fixture(scope="session")
def spotify_openapi_path() -> Path:
    if not SPOTIFY_OPENAPI.exists():
        pytest.skip(f"Spotify OpenAPI document not found at {SPOTIFY_OPENAPI}")
    return SPOTIFY_OPENAPI
