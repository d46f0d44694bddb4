"""A seconds-long run of benchmarks/load.py, through its command line: locust against a real
``aidj serve``, mixed dev prompts, a short soak with the server's memory sampled; no request may
fail.

The full run (30 s per client count, 10 minute soak) and its figures are in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
LOAD = REPO / "benchmarks" / "load.py"

# On a busy machine 16 first answers can take longer than a run itself: users still waiting when
# time is up get STOP_TIMEOUT_S to receive them, so they are counted.
STOP_TIMEOUT_S = 120
BURST_USERS, BURST_S = 16, 3
SOAK_USERS, SOAK_S = 8, 4
# server start-up (load.py allows 180 s), warm-up, two runs each with its stop timeout, slack
RUN_LIMIT_S = 180 + 120 + 2 * (STOP_TIMEOUT_S + 120) + BURST_S + SOAK_S


def run_load(env: dict[str, str]) -> dict[str, Any]:
    """``load.py --json`` with the smoke test's sizes; its one JSON object, or a failed assertion."""
    command = [
        sys.executable,
        str(LOAD),
        *("--users", str(BURST_USERS), "--seconds", str(BURST_S)),
        *("--soak-users", str(SOAK_USERS), "--soak-seconds", str(SOAK_S)),
        *("--warm", "3", "--stop-timeout", str(STOP_TIMEOUT_S), "--json"),
    ]
    # its own session, so a run past the limit takes its server and locust down with it
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=RUN_LIMIT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        pytest.fail(f"load.py did not finish within {RUN_LIMIT_S} s; its output:\n{err[-3000:]}")
    lines = [line for line in out.splitlines() if line.startswith("{")]
    assert lines, f"load.py printed no figures (exit {process.returncode}):\n{err[-3000:]}"
    return json.loads(lines[-1])


@pytest.mark.slow
def test_concurrent_clients_and_a_short_soak_see_no_failed_request(
    catalog_path: Path, catalog_cache_dir: Path, tmp_path: Path
) -> None:
    result = run_load(
        {
            "AIDJ_CATALOG": str(catalog_path),
            "AIDJ_CACHE_DIR": str(catalog_cache_dir),
            "TMPDIR": str(tmp_path),  # load.py's history and locust files, removed with the test's
        }
    )

    [burst] = result["runs"]
    soaked = result["soak"]
    for label, run in (("burst", burst), ("soak", soaked)):
        assert run["requests"] > 0, (
            f"{label}: locust recorded no finished request; its output:\n{run['locust_output']}"
        )
        assert run["failures"] == 0, f"{label}: {run['failure_samples']}"
        assert run["p50_ms"] <= run["p99_ms"] <= run["max_ms"], f"{label}: {run}"
    assert soaked["rss_start_mb"] > 0 and soaked["rss_end_mb"] > 0
