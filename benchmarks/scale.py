"""How the engine scales with catalog size: compile, warm load, memory and per-prompt latency.

    uv run python benchmarks/make_synthetic_catalog.py --rows 1000000 --seed 1 --out .aidj/synthetic_1m.csv
    uv run python benchmarks/make_synthetic_catalog.py --rows 10000000 --seed 1 --out .aidj/synthetic_10m.csv
    uv run python benchmarks/scale.py --catalog ../shared/data/spotify_tracks_114k.csv \
        --catalog .aidj/synthetic_1m.csv --catalog .aidj/synthetic_10m.csv

Every measurement of one catalog runs in fresh child processes, so peak RSS belongs to that
catalog alone:

1. *compile*: CSV -> columnar cache into an empty folder (cold), time and peak RSS;
2. *serve*: load the compiled cache (warm, median of 3), then interpret and build a playlist for
   every dev prompt ``--rounds`` times, the embedding model loaded as the server does.
   "build" is score + select + sequence (``DJ.build``), the part that grows with the catalog.

Prints a Markdown table for docs/BENCHMARKS.md (## Scale) and the JSON rows on stderr.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dev_prompts import DEFAULT_PROMPTS, pct, read_prompts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child_compile(catalog: str, cache: str) -> dict:
    from aidj.catalog import compile_catalog

    started = time.perf_counter()
    compile_catalog(catalog, cache)
    return {"compile_s": time.perf_counter() - started, "compile_peak_rss_mb": peak_rss_mb()}


def child_serve(cache: str, prompts_path: str, rounds: int) -> dict:
    from aidj.catalog import load_catalog
    from aidj.dj import DJ, artist_resolver
    from aidj.local_interpreter import LocalInterpreter

    loads = []
    for _ in range(3):
        started = time.perf_counter()
        catalog = load_catalog(cache)
        loads.append(time.perf_counter() - started)
    rss_loaded = current_rss_mb()
    dj = DJ(catalog, LocalInterpreter(artist_resolver=artist_resolver(catalog)))
    dj.warm()
    prompts = read_prompts(prompts_path)
    dj.build(dj.interpret(prompts[0]))  # first-call costs (lazy indexes) are not per-prompt costs
    interpret_ms, build_ms, tracks = [], [], []
    per_prompt: dict[str, list[float]] = {}
    for _ in range(rounds):
        for prompt in prompts:
            t0 = time.perf_counter()
            intent = dj.interpret(prompt)
            t1 = time.perf_counter()
            playlist = dj.build(intent)
            t2 = time.perf_counter()
            interpret_ms.append((t1 - t0) * 1000)
            build_ms.append((t2 - t1) * 1000)
            per_prompt.setdefault(prompt, []).append((t2 - t1) * 1000)
            tracks.append(len(playlist.tracks))
    return {
        "tracks": len(catalog),
        "warm_load_ms": statistics.median(loads) * 1000,
        "rss_after_load_mb": rss_loaded,
        "interpret_median_ms": statistics.median(interpret_ms),
        "build_median_ms": statistics.median(build_ms),
        "build_p99_ms": pct(build_ms, 99),
        "build_max_ms": max(build_ms),
        "empty_playlists": sum(1 for t in tracks if t == 0),
        "serve_peak_rss_mb": peak_rss_mb(),
        "prompts": len(build_ms),
        # where the tail comes from: the prompts whose median build is slowest
        "slowest": sorted(((statistics.median(v), p) for p, v in per_prompt.items()), reverse=True)[
            :4
        ],
    }


def run_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode != 0:
        return {
            "error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1],
            "exit": done.returncode,
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(
    catalog: Path,
    prompts: str,
    rounds: int,
    cache_root: Path,
    keep_cache: bool = False,
    reuse: bool = False,
) -> dict:
    cache = cache_root / f"scale-{catalog.stem}"
    row: dict = {"catalog": catalog.name, "csv_mb": catalog.stat().st_size / 2**20}
    if reuse and (cache / "meta.json").exists():
        row["compile_reused"] = (
            True  # serving figures only: the compile was measured when it was made
        )
    else:
        shutil.rmtree(cache, ignore_errors=True)
        row.update(run_child("--child", "compile", str(catalog), str(cache)))
    if "error" not in row:
        row.update(run_child("--child", "serve", str(cache), prompts, str(rounds)))
        row["cache_mb"] = sum(p.stat().st_size for p in cache.iterdir()) / 2**20
    if not keep_cache:
        shutil.rmtree(cache, ignore_errors=True)
    print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def table(rows: list[dict]) -> str:
    lines = [
        "| tracks | CSV | compile (cold) | compile peak RSS | cache on disk | warm load | RSS after load "
        "| build median / p99 | serving peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(
                f"| {r['catalog']} | {r['csv_mb']:.0f} MB | failed: {r['error']} | | | | | | |"
            )
            continue
        compiled = (
            "reused | reused"
            if r.get("compile_reused")
            else f"{r['compile_s']:.1f} s | {r['compile_peak_rss_mb']:.0f} MB"
        )
        lines.append(
            f"| {r['tracks']:,} | {r['csv_mb']:.0f} MB | {compiled} "
            f"| {r['cache_mb']:.0f} MB | {r['warm_load_ms']:.0f} ms | {r['rss_after_load_mb']:.0f} MB "
            f"| {r['build_median_ms']:.1f} / {r['build_p99_ms']:.1f} ms | {r['serve_peak_rss_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        result = (
            child_compile(*rest)
            if kind == "compile"
            else child_serve(rest[0], rest[1], int(rest[2]))
        )
        print(json.dumps(result))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--catalog",
        action="append",
        type=Path,
        required=True,
        help="a catalog CSV; repeat, small to large",
    )
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--cache-root",
        type=Path,
        default=None,
        help="where compiled caches go (default: a temp dir)",
    )
    ap.add_argument(
        "--keep-caches",
        action="store_true",
        help="keep the compiled caches (to profile them after)",
    )
    ap.add_argument(
        "--reuse-caches",
        action="store_true",
        help="serve from caches kept in --cache-root by an earlier run instead of compiling again",
    )
    args = ap.parse_args()
    cache_root = args.cache_root or Path(tempfile.mkdtemp(prefix="aidj-scale-"))
    cache_root.mkdir(parents=True, exist_ok=True)
    keep = args.keep_caches or args.reuse_caches
    rows = [
        measure(c, args.prompts, args.rounds, cache_root, keep, args.reuse_caches)
        for c in args.catalog
    ]
    print(table(rows))
    print("\nSlowest prompts (median build ms):")
    for r in rows:
        if "slowest" in r:
            print(
                f"- {r['tracks']:,}: " + "; ".join(f"{p!r} {ms:.0f} ms" for ms, p in r["slowest"])
            )


if __name__ == "__main__":
    main()
