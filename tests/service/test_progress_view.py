"""Progress people can see: a bar with an ETA on a terminal, plain lines everywhere else."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aidj.progress import ProgressEvent
from aidj_service.cli.progress_view import ProgressView
from tests.conftest import REPO


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def feed(view: ProgressView, clock: Clock, events: list[tuple[float, ProgressEvent]]) -> None:
    for at, event in events:
        clock.now = 100.0 + at
        view(event)


HALF_READ = [
    (0.0, ProgressEvent("read", 0, 1000, "bytes")),
    (10.0, ProgressEvent("read", 500, 1000, "bytes")),
]


def test_a_terminal_gets_a_bar_redrawn_in_place_with_the_stage_and_its_eta() -> None:
    out, clock = io.StringIO(), Clock()
    feed(ProgressView(out, terminal=True, clock=clock), clock, HALF_READ)
    drawn = out.getvalue().split("\r")[-1]
    assert "[1/4] reading the CSVs" in drawn
    assert "#" * 12 + "." * 12 in drawn and "50%" in drawn
    assert "ETA 0:10" in drawn  # half done in 10 s: 10 s to go
    assert "\n" not in out.getvalue()


def test_a_finished_stage_leaves_one_line_with_its_time_on_a_terminal() -> None:
    out, clock = io.StringIO(), Clock()
    feed(
        ProgressView(out, terminal=True, clock=clock),
        clock,
        [*HALF_READ, (20.0, ProgressEvent("read", 1000, 1000, "bytes"))],
    )
    assert out.getvalue().endswith("\r[1/4] reading the CSVs: done in 0:20\x1b[K\n")


def test_a_log_gets_plain_lines_without_control_characters() -> None:
    out, clock = io.StringIO(), Clock()
    feed(
        ProgressView(out, terminal=False, clock=clock),
        clock,
        [
            *HALF_READ,
            (20.0, ProgressEvent("read", 1000, 1000, "bytes")),
            (20.0, ProgressEvent("songs", 0, 10, "songs")),
            (21.0, ProgressEvent("songs", 10, 10, "songs")),
        ],
    )
    assert out.getvalue().splitlines() == [
        "[1/4] reading the CSVs (0.0 MB)",
        "[1/4] reading the CSVs: 50%  ETA 0:10",
        "[1/4] reading the CSVs: done in 0:20",
        "[2/4] folding versions into songs (10 songs)",
        "[2/4] folding versions into songs: done in 0:01",
    ]


def test_a_log_is_not_flooded_by_frequent_events() -> None:
    out, clock = io.StringIO(), Clock()
    events = [(i * 0.01, ProgressEvent("read", i, 1000, "bytes")) for i in range(400)]
    feed(ProgressView(out, terminal=False, clock=clock), clock, events)
    assert len(out.getvalue().splitlines()) == 1  # the stage's first line; 4 s is under 5 s


@pytest.fixture
def sample_csv(catalog_path: Path, tmp_path: Path) -> Path:
    lines = catalog_path.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "sample.csv"
    path.write_text(lines[0] + "".join(lines[1::40]), encoding="utf-8")
    return path


def aidj(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aidj_service.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env=os.environ.copy(),
    )


def test_catalog_build_writes_the_artifact_and_shows_every_stage(sample_csv, tmp_path) -> None:
    out = aidj("catalog", "build", str(sample_csv), "--out", str(tmp_path / "art"), "--json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    manifest = json.loads((tmp_path / "art" / "manifest.json").read_text())
    assert summary["digest"] == manifest["digest"] and summary["tracks"] == manifest["tracks"]
    for stage in ("reading the CSVs", "folding versions", "relating genres", "indexing"):
        assert f"{stage}" in out.stderr and "\x1b" not in out.stderr


def test_catalog_build_of_a_missing_csv_is_one_clear_line_and_exit_2(tmp_path) -> None:
    out = aidj("catalog", "build", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "art"))
    assert out.returncode == 2
    assert out.stderr.startswith("error: catalog not found") and len(out.stderr.splitlines()) == 1
