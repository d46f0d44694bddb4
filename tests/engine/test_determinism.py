"""Same input, same output: every eval prompt gives the same playlist under two hash seeds."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import CATALOG_114K, CATALOG_TIDY, EVAL_DIR, REPO

pytestmark = pytest.mark.slow

PROMPT_FILES = [
    EVAL_DIR / "dev_prompts.jsonl",
    *sorted((REPO / "tests" / "eval_data").glob("*.jsonl")),
]


def _batch(lines: str, seed: str) -> list[tuple[str, list[str], list[str]]]:
    env = {
        **os.environ,
        "PYTHONHASHSEED": seed,
        "AIDJ_CATALOG": os.pathsep.join(map(str, (CATALOG_114K, CATALOG_TIDY))),
    }
    done = subprocess.run(
        [sys.executable, "-m", "aidj_service.cli", "playlist", "--batch", "-"],
        input=lines,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=900,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    out = []
    for line in done.stdout.splitlines():
        body = json.loads(line)
        out.append(
            (body.get("id"), [t["id"] for t in body.get("tracks", [])], body.get("notices", []))
        )
    return out


def test_every_eval_prompt_gives_the_same_playlist_under_two_hash_seeds():
    if not (CATALOG_114K.exists() and CATALOG_TIDY.exists()):
        pytest.skip("shared catalogs not present")
    cases = [
        json.loads(line)
        for path in PROMPT_FILES
        if path.exists()
        for line in path.open()
        if line.strip()
    ]
    lines = "".join(json.dumps({"id": c["id"], "prompt": c["prompt"]}) + "\n" for c in cases)
    first, second = _batch(lines, "1"), _batch(lines, "2")
    assert len(first) == len(cases)
    differing = [a[0] for a, b in zip(first, second) if a != b]
    assert not differing, f"different playlists under PYTHONHASHSEED=1 and 2: {differing[:5]}"
