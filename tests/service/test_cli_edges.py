"""The ``aidj`` command at its edges: bad paths, empty and over-long prompts, narrow terminals, batch lines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture
def aidj(catalog_path: Path, catalog_cache_dir: Path):
    def run(
        *args: str, stdin: str | None = None, columns: int | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "AIDJ_CATALOG": str(catalog_path),
            "AIDJ_CACHE_DIR": str(catalog_cache_dir),
        }
        if columns is not None:
            env["COLUMNS"] = str(columns)
        return subprocess.run(
            [sys.executable, "-m", "aidj_service.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=300,
            env=env,
        )

    return run


def one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def batch_results(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


# ---------------------------------------------------------------- single prompts


def test_out_into_a_missing_folder_is_one_line_and_exit_2(aidj, tmp_path: Path) -> None:
    result = aidj("playlist", "jazz", "--out", str(tmp_path / "nonexistent" / "x.m3u8"))
    assert result.returncode == 2
    assert "does not exist" in one_clear_line(result)


def test_out_with_an_unknown_suffix_is_refused(aidj, tmp_path: Path) -> None:
    result = aidj("playlist", "jazz", "--out", str(tmp_path / "x.mp3"))
    assert result.returncode == 2 and ".m3u8" in one_clear_line(result)


def test_interpret_refuses_an_empty_prompt(aidj) -> None:
    result = aidj("interpret", "")
    assert result.returncode == 2 and "give a prompt" in one_clear_line(result)


def test_a_prompt_over_the_apis_1000_characters_is_refused(aidj) -> None:
    result = aidj("playlist", "jazz " * 201)
    assert result.returncode == 2 and "1,000" in one_clear_line(result)


def test_the_table_fits_80_columns_without_cutting_the_time(aidj) -> None:
    result = aidj("playlist", "a 30 minute jazz set for dinner", "--limit", "8", columns=80)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    rows = [line for line in lines if re.match(r"^\s*\d+  ", line)]
    assert len(rows) == 8
    assert all(re.search(r"  \d+:\d\d$", row) for row in rows), rows
    table_lines = lines[2:]  # the name and parameter lines above the table may wrap in a terminal
    assert max(len(line) for line in table_lines) <= 80


def test_the_tables_times_are_the_tracks_durations(aidj) -> None:
    as_json = json.loads(aidj("playlist", "deep house", "--limit", "5", "--format", "json").stdout)
    table = aidj("playlist", "deep house", "--limit", "5", columns=80).stdout
    for track in as_json["tracks"]:
        ms = track["duration_ms"]
        assert f"{ms // 60000}:{ms // 1000 % 60:02d}" in table


def test_the_json_tracks_have_the_apis_track_shape(aidj) -> None:
    from aidj_service.models import Track

    as_json = json.loads(aidj("playlist", "deep house", "--limit", "3", "--format", "json").stdout)
    for track in as_json["tracks"]:
        assert list(track) == list(Track.model_fields)
        assert Track.model_validate(track).model_dump() == track


# ---------------------------------------------------------------- batch mode


def test_batch_answers_every_line_in_order_and_echoes_every_id(aidj) -> None:
    lines = [
        '{"id": "a", "prompt": "jazz"}',
        "",
        '{"id": "b"}',
        "not json",
        '{"id": "c", "prompt": ""}',
        '{"id": "d", "prompt": "techno", "limit": 0}',
        '{"id": 5, "prompt": "ska", "colour": "blue"}',
    ]
    result = aidj("playlist", "--batch", "-", stdin="\n".join(lines) + "\n")
    out = batch_results(result.stdout)
    assert [r["id"] for r in out] == ["a", None, "b", None, "c", "d", 5]
    assert "tracks" in out[0] and "error" not in out[0]
    assert all(r["error"]["code"] == "invalid_line" for r in out[1:])
    assert "blank" in out[1]["error"]["message"]
    assert "prompt" in out[2]["error"]["message"]
    assert "empty" in out[4]["error"]["message"]
    assert "limit" in out[5]["error"]["message"]
    assert "colour" in out[6]["error"]["message"]


def test_batch_exits_1_when_any_line_failed(aidj) -> None:
    result = aidj(
        "playlist",
        "--batch",
        "-",
        stdin='{"id": "a", "prompt": "jazz"}\n{"id": "b", "prompt": "  "}\n',
    )
    assert result.returncode == 1
    assert len(batch_results(result.stdout)) == 2


def test_batch_exits_0_when_every_line_succeeded(aidj) -> None:
    result = aidj(
        "playlist",
        "--batch",
        "-",
        stdin='{"id": "a", "prompt": "jazz"}\n{"id": "b", "prompt": "ska"}\n',
    )
    assert result.returncode == 0, result.stdout
    assert [r["id"] for r in batch_results(result.stdout)] == ["a", "b"]


def test_batch_honours_a_lines_limit_and_the_limit_option_for_the_others(aidj) -> None:
    stdin = '{"id": "a", "prompt": "jazz", "limit": 3}\n{"id": "b", "prompt": "jazz"}\n'
    out = batch_results(aidj("playlist", "--batch", "-", "--limit", "6", stdin=stdin).stdout)
    assert [len(r["tracks"]) for r in out] == [3, 6]


def test_batch_reads_a_file(aidj, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text('{"id": "x", "prompt": "ska party", "limit": 4}\n', encoding="utf-8")
    out = batch_results(aidj("playlist", "--batch", str(prompts)).stdout)
    assert out[0]["id"] == "x" and len(out[0]["tracks"]) == 4


@pytest.mark.parametrize(
    ("extra", "word"),
    [
        (["--out", "set.m3u8"], "--out"),
        (["jazz"], "prompt argument"),
        (["--format", "table"], "--format"),
    ],
)
def test_batch_refuses_options_it_cannot_honour(aidj, extra: list[str], word: str) -> None:
    result = aidj("playlist", "--batch", "-", *extra, stdin='{"id": "a", "prompt": "jazz"}\n')
    assert result.returncode == 2 and result.stdout == ""
    assert word in one_clear_line(result)


def test_the_clis_prompt_cap_is_the_apis() -> None:
    from aidj_service import models
    from aidj_service.cli import usage as cli

    assert cli.MAX_PROMPT_CHARS == models.MAX_PROMPT_CHARS


# ---------------------------------------------------------------- what a newcomer meets first


def test_a_limit_of_0_is_one_line_saying_the_range(aidj) -> None:
    result = aidj("playlist", "jazz", "--limit", "0")
    assert result.returncode == 2
    assert "from 1 to 100" in one_clear_line(result)


def test_an_unknown_command_is_one_line_naming_the_commands(aidj) -> None:
    result = aidj("plalyist", "jazz")
    assert result.returncode == 2
    line = one_clear_line(result)
    assert "unknown command 'plalyist'" in line and "playlist" in line.split(":", 2)[2]


def test_a_bad_batch_line_is_also_reported_on_stderr_with_its_number(aidj) -> None:
    lines = [
        json.dumps({"id": "ok", "prompt": "ska party", "limit": 3}),
        "not json",
        json.dumps({"id": "empty", "prompt": "  "}),
    ]
    result = aidj("playlist", "--batch", "-", stdin="\n".join(lines) + "\n")
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2, result.stderr
    assert errors[0].startswith("error: line 2 ") and "not valid JSON" in errors[0]
    assert errors[1].startswith("error: line 3") and "empty" in errors[1]


def test_the_readmes_export_example_writes_outside_the_repository_and_exports_are_ignored() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    outs = re.findall(r"aidj playlist .*?--out (\S+)", readme)
    assert outs, "the README shows --out"
    for out in outs:
        assert Path(out).is_absolute() and not Path(out).is_relative_to(REPO), out
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "set.m3u8", "mix.xspf"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert ignored.stdout.split() == ["set.m3u8", "mix.xspf"]


def test_the_table_lines_up_wide_east_asian_titles(dj) -> None:
    import io
    import unicodedata

    from aidj.playlist import Playlist
    from aidj_service.cli.table import print_table

    def columns(text: str) -> int:  # what a terminal draws: wide characters take two columns
        return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)

    data = dj.playlist("ska party", limit=3).to_dict()
    data["tracks"][0]["name"] = "東京の夜 夜明けまで踊ろう"  # each character two columns wide
    data["tracks"][1]["name"] = "Plain title"
    out = io.StringIO()
    print_table(Playlist.from_dict(data), out, width=100)
    rows = [line for line in out.getvalue().splitlines() if re.match(r"^[123]  \S", line)]
    artists = [a for a in (t["artists"][0] for t in data["tracks"])]
    starts = {columns(row[: row.index(artist)]) for row, artist in zip(rows, artists, strict=True)}
    assert len(starts) == 1, out.getvalue()


def test_the_table_header_says_in_words_whether_explicit_songs_may_play(dj) -> None:
    import io

    from aidj_service.cli.table import print_table

    headers = []
    for prompt in ("ska party", "clean ska party for kids"):
        out = io.StringIO()
        print_table(dj.playlist(prompt, limit=3), out, width=100)
        headers.append(out.getvalue().splitlines()[1])
    assert all("explicit=" not in h for h in headers), headers
    assert "explicit allowed" in headers[0] and "clean only" in headers[1], headers
