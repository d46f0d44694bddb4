"""Prompts that name no genre on a large catalog: the sampled region path against scoring everything.

    uv run aidj catalog build .aidj/synthetic_10m.csv --out .aidj/artifact_10m
    uv run python benchmarks/genre_free.py --catalog .aidj/artifact_10m [--rounds 5]

One process, one loaded catalog, the 40 dev prompts interpreted once; every prompt is built
``--rounds`` times on each path, the two paths alternating so both see the same machine load.
*sampled* is what the engine does (aidj.sampled_region, catalogs of 1M+ tracks); *full* scores
every track, as before. Reports build time (`DJ.build`: score + select + sequence) for the
genre-free prompts and for all 40 as served, how often the two paths agree on the anchor genre,
and how many playlists are identical. Prints a Markdown table for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from aidj import sampled_region
from aidj.catalog import load_catalog, load_compiled
from aidj.dj import DJ, artist_resolver
from aidj.local_interpreter import LocalInterpreter
from aidj.scoring import fit_scores

HERE = Path(__file__).resolve().parent
DEFAULT_PROMPTS = HERE.parent.parent / "shared" / "eval" / "dev_prompts.jsonl"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed_build(dj: DJ, intent, sampled: bool):
    # the sampled path is forced at any size, so a catalog under its threshold can be compared too
    sampled_region.SAMPLE_MIN_TRACKS = 0 if sampled else 10**15
    started = time.perf_counter()
    playlist = dj.build(intent)
    return (time.perf_counter() - started) * 1000, playlist


def main() -> None:
    ap = argparse.ArgumentParser(
        description="Genre-free prompts: sampled region vs scoring everything."
    )
    ap.add_argument("--catalog", required=True, help="a compiled catalog (aidj catalog build)")
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument(
        "--in-memory", action="store_true", help="read the columns into memory instead of mapping"
    )
    args = ap.parse_args()

    started = time.perf_counter()
    catalog = load_compiled(args.catalog) if args.in_memory else load_catalog(args.catalog)
    load_s = time.perf_counter() - started
    dj = DJ(catalog, LocalInterpreter(artist_resolver=artist_resolver(catalog)))
    dj.warm()
    prompts = [
        json.loads(line)["prompt"]
        for line in Path(args.prompts).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    intents = [dj.interpret(p) for p in prompts]
    free = [i for i, intent in enumerate(intents) if not intent.genres]
    started = time.perf_counter()
    sampled_region.catalog_sample(catalog)
    sample_s = time.perf_counter() - started
    for intent in intents[:2]:  # first-call costs (lazy masks) are not per-prompt costs
        timed_build(dj, intent, True)
        timed_build(dj, intent, False)

    times: dict[bool, dict[int, list[float]]] = {True: {}, False: {}}
    last: dict[bool, dict[int, object]] = {True: {}, False: {}}
    for _ in range(args.rounds):
        for i, intent in enumerate(intents):
            for sampled in (True, False):
                ms, playlist = timed_build(dj, intent, sampled)
                times[sampled].setdefault(i, []).append(ms)
                last[sampled][i] = playlist

    def spread(sampled: bool, which: list[int]) -> str:
        values = [ms for i in which for ms in times[sampled][i]]
        return f"{statistics.median(values):.1f} / {pct(values, 99):.1f} ms"

    anchors = sum(
        last[True][i].stats["region"] == last[False][i].stats["region"]  # type: ignore[attr-defined]
        for i in free
    )
    identical = sum(
        [t.id for t in last[True][i].tracks] == [t.id for t in last[False][i].tracks]  # type: ignore[attr-defined]
        for i in free
    )
    print(
        f"{len(catalog):,} tracks ({args.catalog}); load {load_s:.2f} s; sample of "
        f"{len(sampled_region.catalog_sample(catalog)[1]):,} rows built once in {sample_s:.2f} s"
    )
    print("| prompts | sampled path: build median / p99 | full scoring: median / p99 |")
    print("|---|---|---|")
    print(f"| {len(free)} naming no genre | {spread(True, free)} | {spread(False, free)} |")
    every = list(range(len(intents)))
    print(f"| all {len(intents)} dev prompts | {spread(True, every)} | {spread(False, every)} |")
    print(
        f"\nsame anchor genre: {anchors} of {len(free)}; identical playlists: {identical} of {len(free)}"
    )
    # no worse? each genre-free playlist's mean fit, both scored by the whole catalog's scores
    fits = {True: [], False: []}
    for i in free:
        scores = fit_scores(catalog, intents[i]).scores
        for sampled in (True, False):
            rows = [catalog.index_of(t.id) for t in last[sampled][i].tracks]  # type: ignore[attr-defined]
            fits[sampled].append(float(np.mean([scores[r] for r in rows if r is not None])))
    worse = sum(a < b - 0.01 for a, b in zip(fits[True], fits[False], strict=True))
    print(
        f"mean fit of the genre-free playlists (whole-catalog scores): sampled "
        f"{statistics.mean(fits[True]):.3f}, full {statistics.mean(fits[False]):.3f}; "
        f"sampled lower by > 0.01 on {worse} of {len(free)}"
    )
    slowest = sorted(
        ((statistics.median(times[True][i]), prompts[i]) for i in every), reverse=True
    )[:4]
    print("slowest (sampled path, median): " + "; ".join(f"{p!r} {ms:.0f} ms" for ms, p in slowest))


if __name__ == "__main__":
    main()
