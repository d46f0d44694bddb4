"""Warm start-up of ``aidj playlist`` against a bare ``python -c "import numpy"``, measured in pairs.

    uv run python benchmarks/cli_startup.py                 # 15 pairs
    uv run python benchmarks/cli_startup.py --pairs 30 --prompt "90 minutes of deep house"

"Warm" means the catalog cache and the OS file cache are already filled (one untimed run of
each first). The two commands run alternately, so a neighbour's load hits both alike; the
ratio of the medians is the figure recorded in docs/BENCHMARKS.md (target: <= 2.0). Wall time
and the CPU time of the child process are both reported: on a shared machine the CPU time is
the steadier of the two.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def aidj_command() -> list[str]:
    beside = Path(sys.executable).with_name("aidj")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "aidj_service.cli"]


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and child CPU seconds (user + system) of one run; exits on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-1000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(pairs: int, prompt: str) -> dict:
    numpy_cmd = [sys.executable, "-c", "import numpy"]
    aidj_cmd = [*aidj_command(), "playlist", prompt]
    timed(numpy_cmd)
    timed(aidj_cmd)  # warm: compiled catalog, model cut, file cache
    runs: dict[str, list[tuple[float, float]]] = {"numpy": [], "aidj": []}
    for i in range(pairs):
        order = [("numpy", numpy_cmd), ("aidj", aidj_cmd)]
        for name, command in order if i % 2 == 0 else reversed(order):
            runs[name].append(timed(command))
    result: dict = {"pairs": pairs, "prompt": prompt, "cpus": os.cpu_count()}
    for name, samples in runs.items():
        result[f"{name}_wall_ms"] = round(statistics.median(w for w, _ in samples) * 1000, 1)
        result[f"{name}_cpu_ms"] = round(statistics.median(c for _, c in samples) * 1000, 1)
    result["ratio_wall"] = round(result["aidj_wall_ms"] / result["numpy_wall_ms"], 2)
    result["ratio_cpu"] = round(result["aidj_cpu_ms"] / max(result["numpy_cpu_ms"], 1e-3), 2)
    # the pair-by-pair ratio: robust to a neighbour's load that comes and goes
    result["ratio_pairs_median"] = round(
        statistics.median(a[0] / n[0] for a, n in zip(runs["aidj"], runs["numpy"], strict=True)), 2
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--prompt", default="a 30 minute jazz set for dinner")
    args = parser.parse_args()
    print(json.dumps(measure(args.pairs, args.prompt)))


if __name__ == "__main__":
    main()
