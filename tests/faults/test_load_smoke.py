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

pytestmark = pytest.mark.slow


def load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("aidj_load_benchmark", REPO / "benchmarks" / "load.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
        burst = load.run_locust(server.url, 16, 3, tmp_path, "burst")
        soaked = load.soak(server, 8, 4, tmp_path)
    finally:
        server.stop()

    for run in (burst, soaked):
        assert run["requests"] > 0
        assert run["failures"] == 0, run["failure_samples"]
    assert soaked["rss_start_mb"] > 0 and soaked["rss_end_mb"] > 0
