"""A new user's first playlist: clone, ``uv run --no-dev aidj playlist ...``, and the .venv it leaves.

    uv run python benchmarks/first_run.py                # clones HEAD of this repository
    uv run python benchmarks/first_run.py --runs 3

Each run clones the committed tree into a fresh folder (so no .venv, no uv.lock), points the
catalog at ../shared's CSV and the compiled-catalog cache at an empty folder, and times the
README's main command: uv resolving against the committed pins, installing from uv's package
cache (warm: the figure assumes a machine that has downloaded the wheels once), compiling the
catalog and cutting the embedding model, then the playlist. Then the second run of the same
command, and ``uv run pytest --version`` (what the test command adds). Targets: first run
<= 15 s, .venv <= 300 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# the product's default catalog: both shared files
CATALOGS = [
    REPO.parent / "shared" / "data" / name
    for name in ("spotify_tracks_114k.csv", "spotify_songs_tidytuesday_2020-01-21.csv")
]
PROMPT = "a 30 minute jazz set for dinner"


def folder_mb(path: Path) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total / 1e6


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, uv and everything it started) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_run(uv: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="aidj-first-run-") as tmp:
        clone, cache = Path(tmp) / "aidj", Path(tmp) / "aidj-cache"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        env = {
            **os.environ,
            "AIDJ_CATALOG": os.pathsep.join(map(str, CATALOGS)),
            "AIDJ_CACHE_DIR": str(cache),
        }
        env.pop("VIRTUAL_ENV", None)  # the clone gets its own .venv, as for a new user
        main = [uv, "run", "--no-dev", "aidj", "playlist", PROMPT]
        first, first_cpu = timed(main, clone, env)
        venv_mb = folder_mb(clone / ".venv")
        second, _ = timed(main, clone, env)
        tests, _ = timed([uv, "run", "pytest", "--version"], clone, env)
        return {
            "first_run_s": round(first, 2),
            # on a shared machine the wall time grows with the neighbours' load; the CPU time less so
            "first_run_cpu_s": round(first_cpu, 2),
            "second_run_s": round(second, 2),
            "venv_mb": round(venv_mb),
            "test_toolchain_install_s": round(tests, 2),
            "venv_with_dev_mb": round(folder_mb(clone / ".venv")),
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("uv is not on PATH: install it (pip install uv) to measure the first run")
    missing = [c for c in CATALOGS if not c.exists()]
    if missing:
        raise SystemExit(
            f"the catalog is not at {missing[0]}: put ../shared beside this repository"
        )
    runs = [one_run(uv) for _ in range(args.runs)]
    summary = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(
        json.dumps(
            {
                "runs": runs,
                "median": summary,
                "cpus": os.cpu_count(),
                "load_avg_1m": round(os.getloadavg()[0], 2),
            }
        )
    )
    if summary["first_run_s"] > 15 or summary["venv_mb"] > 300:
        raise SystemExit(
            f"over target: first run {summary['first_run_s']} s (<= 15), .venv {summary['venv_mb']} MB (<= 300)"
        )


if __name__ == "__main__":
    main()
