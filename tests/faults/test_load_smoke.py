"""A seconds-long version of benchmarks/load.py: locust against a real ``aidj serve``, mixed dev
prompts, a short soak with the server's memory sampled; no request may fail.

The full run (30 s per client count, 10 minute soak) and its figures are in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.serve_process import ServeProcess

REPO = Path(__file__).resolve().parents[2]


STOP_TIMEOUT_S = 120


def load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "aidj_load_benchmark", REPO / "benchmarks" / "load.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_concurrent_clients_and_a_short_soak_see_no_failed_request(
    catalog_path: Path, catalog_cache_dir: Path, tmp_path: Path
) -> None:
    load = load_module()
    env = {
        "AIDJ_CATALOG": str(catalog_path),
        "AIDJ_CACHE_DIR": str(catalog_cache_dir),
        "AIDJ_DB_PATH": str(tmp_path / "history.sqlite3"),
    }
    server = ServeProcess(env, tmp_path / "server.log", workers=1).start()
    try:
        load.warm(server.url, n=3)
        # On a busy machine 16 first answers can take longer than the run itself: users still
        # waiting when time is up get STOP_TIMEOUT_S to receive them, so they are counted.
        burst = load.run_locust(server.url, 16, 3, tmp_path, "burst", stop_timeout=STOP_TIMEOUT_S)
        soaked = load.soak(server, 8, 4, tmp_path, stop_timeout=STOP_TIMEOUT_S)
    finally:
        server.stop()

    for label, run in (("burst", burst), ("soak", soaked)):
        assert run["requests"] > 0, (
            f"{label}: locust recorded no finished request; its output:\n{run['locust_output']}"
        )
        assert run["failures"] == 0, f"{label}: {run['failure_samples']}"
    assert soaked["rss_start_mb"] > 0 and soaked["rss_end_mb"] > 0


def test_a_run_that_finished_no_request_reads_as_zero_requests_not_a_crash(tmp_path: Path) -> None:
    load = load_module()
    (tmp_path / "empty.json").write_text("[]")  # what locust writes when no request finished
    stats = load.read_stats(tmp_path / "empty", 3)
    assert stats["requests"] == 0 and stats["rps"] is None
    assert stats["p50_ms"] is None and stats["p99_ms"] is None and stats["max_ms"] is None


def test_percentiles_come_from_the_whole_histogram() -> None:
    load = load_module()
    histogram = {10: 50, 20: 40, 400: 10}
    assert load.percentile(histogram, 0.5) == 10.0
    assert load.percentile(histogram, 0.9) == 20.0
    assert load.percentile(histogram, 0.99) == 400.0
