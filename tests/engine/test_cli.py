"""The aidj command as a user types it."""

import json
import subprocess
import sys

from tests.conftest import CATALOG_114K, REPO


def aidj(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "aidj_service.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env={**__import__("os").environ, "AIDJ_CATALOG": str(CATALOG_114K)},
    )


def test_json_output_has_parameters_tracks_and_stats(catalog):
    out = aidj("playlist", "15 songs of classic soul", "--format", "json")
    data = json.loads(out.stdout)
    assert len(data["tracks"]) == 15 and data["parameters"]["genres"][0] == "soul"
    assert {
        "id",
        "uri",
        "name",
        "artists",
        "album",
        "duration_ms",
        "explicit",
        "popularity",
        "genres",
        "tempo",
        "key",
        "mode",
        "energy",
        "danceability",
        "valence",
        "score",
    } <= set(data["tracks"][0])


def test_table_output_shows_tracks(catalog):
    out = aidj("playlist", "deep house", "--limit", "5")
    assert out.returncode == 0 and "harmonic transitions" in out.stdout


def test_export_to_file(catalog, tmp_path):
    target = tmp_path / "set.m3u8"
    out = aidj("playlist", "jazz for dinner", "--out", str(target), "--format", "json")
    assert out.returncode == 0 and target.read_text().startswith("#EXTM3U")


def test_batch_keeps_order_and_reports_bad_lines(catalog):
    lines = '{"id": "a", "prompt": "jazz"}\nnot json\n{"id": "b", "prompt": "techno"}\n'
    out = aidj("playlist", "--batch", "-", stdin=lines)
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r.get("id") for r in results] == ["a", None, "b"] and "error" in results[1]


def test_interpret_prints_only_parameters(catalog):
    data = json.loads(aidj("interpret", "45 minutes of jazz").stdout)
    assert data["duration_minutes"] == 45 and "tracks" not in data


def test_missing_catalog_is_one_clear_line(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "aidj_service.cli",
            "playlist",
            "jazz",
            "--catalog",
            str(tmp_path / "x.csv"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert (
        out.returncode == 2 and "catalog not found" in out.stderr and "Traceback" not in out.stderr
    )


def test_serve_with_a_missing_catalog_is_one_clear_line(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "aidj_service.cli",
            "serve",
            "--port",
            "0",
            "--catalog",
            str(tmp_path / "x.csv"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert (
        out.returncode == 2 and "catalog not found" in out.stderr and "Traceback" not in out.stderr
    )
