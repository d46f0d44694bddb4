"""The 40 dev prompts on a large catalog, those naming genres above all: build time per prompt.

    uv run aidj catalog build .aidj/synthetic_10m.csv --out .aidj/artifact_10m
    uv run python benchmarks/named_genres.py --catalog .aidj/artifact_10m [--rounds 5] \\
        [--ids-out ids.json] [--label after]

One process, one loaded (memory-mapped) catalog, the prompts interpreted once. Each prompt's
first build is timed on its own (first touch: its genres' masks and row lists are not kept
yet), then every prompt is built ``--rounds`` times. Prints Markdown tables for
docs/BENCHMARKS.md: median / p99 of ``DJ.build`` over all prompts, over those naming genres and
over the genre-free ones, and each genre-naming prompt's median, rows scored and first build.

Before/after is measured in alternate processes, never two 10M catalogs at once: run the
script with ``PYTHONPATH=<other checkout>/packages/aidj/src`` for the other code, and compare
``--ids-out`` files (each prompt's track ids) to see the playlists are identical.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from dev_prompts import DEFAULT_PROMPTS, pct, read_prompts

from aidj import engine
from aidj.catalog import load_catalog
from aidj.dj import DJ, artist_resolver
from aidj.local_interpreter import LocalInterpreter


def main() -> None:
    ap = argparse.ArgumentParser(description="Build times of the dev prompts on a large catalog.")
    ap.add_argument("--catalog", required=True, help="a compiled catalog (aidj catalog build)")
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--ids-out", help="write each prompt's track ids here (JSON)")
    ap.add_argument("--label", default="this checkout", help="the column's name in the tables")
    args = ap.parse_args()

    catalog = load_catalog(args.catalog)
    dj = DJ(catalog, LocalInterpreter(artist_resolver=artist_resolver(catalog)))
    dj.warm()
    prompts = read_prompts(args.prompts)
    intents = [dj.interpret(p) for p in prompts]
    named = [i for i, intent in enumerate(intents) if intent.genres]
    free = [i for i, intent in enumerate(intents) if not intent.genres]

    # how many rows each build scores (the largest scoring call of the build)
    scored_rows: list[int] = []
    real = engine.fit_scores

    def counting(target, intent):
        scored_rows.append(len(target))
        return real(target, intent)

    engine.fit_scores = counting  # type: ignore[assignment]
    first: dict[int, float] = {}
    rows: dict[int, int] = {}
    ids: dict[str, list[str]] = {}
    for i, intent in enumerate(intents):
        scored_rows.clear()
        started = time.perf_counter()
        playlist = dj.build(intent)
        first[i] = (time.perf_counter() - started) * 1000
        rows[i] = max(scored_rows, default=0)
        ids[prompts[i]] = [t.id for t in playlist.tracks]
    engine.fit_scores = real  # type: ignore[assignment]
    times: dict[int, list[float]] = {i: [] for i in range(len(intents))}
    for _ in range(args.rounds):
        for i, intent in enumerate(intents):
            started = time.perf_counter()
            dj.build(intent)
            times[i].append((time.perf_counter() - started) * 1000)

    def spread(which: list[int]) -> str:
        values = [ms for i in which for ms in times[i]]
        return f"{statistics.median(values):.1f} / {pct(values, 99):.1f} ms"

    def first_spread(which: list[int]) -> str:
        values = [first[i] for i in which]
        return f"{statistics.median(values):.1f} / {max(values):.1f} ms"

    print(f"{len(catalog):,} tracks ({args.catalog}); {args.rounds} rounds; code: {args.label}\n")
    print(f"| prompts | {args.label}: median / p99 | first build: median / max |")
    print("|---|---|---|")
    for label, which in (
        (f"all {len(intents)}", list(range(len(intents)))),
        (f"{len(named)} naming genres", named),
        (f"{len(free)} naming none", free),
    ):
        print(f"| {label} | {spread(which)} | {first_spread(which)} |")
    print(f"\n| prompt naming genres | {args.label}: median | rows scored | first build |")
    print("|---|---|---|---|")
    for i in sorted(named, key=lambda i: -statistics.median(times[i])):
        print(
            f"| {prompts[i]} | {statistics.median(times[i]):.1f} ms | {rows[i]:,} | "
            f"{first[i]:.0f} ms |"
        )
    if args.ids_out:
        Path(args.ids_out).write_text(json.dumps(ids, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
