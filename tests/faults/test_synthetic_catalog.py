"""The scale benchmark's synthetic catalogs: reproducible, realistic bounds, unique ids, readable
by the real catalog loader."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aidj.catalog import load_catalog

REPO = Path(__file__).resolve().parents[2]
ROWS = 3_000


def make(rows: int, seed: int, out: Path, source: Path) -> Path:
    """The generator as the scale benchmark's instructions run it (docs/BENCHMARKS.md)."""
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "make_synthetic_catalog.py"),
            *("--rows", str(rows), "--seed", str(seed), "--out", str(out), "--source", str(source)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"make_synthetic_catalog.py failed:\n{done.stderr[-2000:]}"
    return out


@pytest.fixture(scope="module")
def made(catalog_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("synthetic")
    return (
        make(ROWS, 7, folder / "a.csv", catalog_path),
        make(ROWS, 7, folder / "b.csv", catalog_path),
        make(ROWS, 8, folder / "c.csv", catalog_path),
    )


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(made) -> None:
    a, b, c = made
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_it_has_the_real_catalogs_columns(made, catalog_path: Path) -> None:
    with open(catalog_path, newline="", encoding="utf-8") as handle:
        real_header = next(csv.reader(handle))
    with open(made[0], newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == real_header


def test_ids_are_unique_22_character_base62(made) -> None:
    ids = [r["track_id"] for r in rows(made[0])]
    assert len(ids) == ROWS == len(set(ids))
    assert all(re.fullmatch(r"[0-9A-Za-z]{22}", i) for i in ids)


def test_features_stay_within_realistic_bounds(made) -> None:
    for r in rows(made[0]):
        for unit in (
            "danceability",
            "energy",
            "speechiness",
            "acousticness",
            "instrumentalness",
            "liveness",
            "valence",
        ):
            assert 0.0 <= float(r[unit]) <= 1.0
        assert 40.0 <= float(r["tempo"]) <= 220.0
        assert int(r["key"]) in range(12) and int(r["mode"]) in (0, 1)
        assert int(r["duration_ms"]) > 0 and 0 <= int(r["popularity"]) <= 100
        assert -60.0 <= float(r["loudness"]) <= 4.0


def test_genres_and_artists_come_from_the_real_catalog(made, catalog) -> None:
    synthetic = rows(made[0])
    assert {r["track_genre"] for r in synthetic} <= set(catalog.genres)
    real_artists = set(catalog.artist_names)
    assert all(r["artists"].split(";")[0] in real_artists for r in synthetic[:200])


def test_the_catalog_loader_reads_it(made, tmp_path: Path) -> None:
    loaded = load_catalog(made[0], cache_dir=tmp_path)
    assert len(loaded) == ROWS
    assert loaded.index_of(rows(made[0])[0]["track_id"]) == 0
