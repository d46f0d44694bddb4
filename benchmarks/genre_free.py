"""Prompts that name no genre on a large catalog: the sampled region path against scoring everything.

    uv run aidj catalog build .aidj/synthetic_10m.csv --out .aidj/artifact_10m
    uv run python benchmarks/genre_free.py --catalog .aidj/artifact_10m [--rounds 5]

One process, one loaded catalog, the 40 dev prompts interpreted once; every prompt is built
``--rounds`` times on each path, the paths alternating so all see the same machine load.
*sampled* is what the engine does (aidj.sampled_region, catalogs of 2M+ tracks, forced here at
any size); *sampled, gathered* the same without the compiled genre-major copy (the anchor
genre's rows gathered out of the catalog-ordered columns, as a cache compiled under 2M tracks
has it); *full* scores every track. Reports build time (`DJ.build`: score + select + sequence)
for the genre-free prompts and for all 40 as served, how often the paths agree on the anchor
genre, how many playlists are identical, and their mean fit under the whole catalog's scores.
Prints the Markdown tables for docs/BENCHMARKS.md; ``--profile N`` adds where the sampled
path's time goes (cProfile over N rounds of the genre-free prompts).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from dev_prompts import DEFAULT_PROMPTS, pct, read_prompts

from aidj import sampled_region
from aidj.catalog import load_catalog, load_compiled
from aidj.dj import DJ, artist_resolver
from aidj.local_interpreter import LocalInterpreter
from aidj.scoring import fit_scores

PATHS = ("sampled", "gathered", "full")
LABELS = {"sampled": "sampled", "gathered": "sampled, gathered", "full": "scoring everything"}


def timed_build(dj: DJ, intent, path: str, major):
    # the sampled path is forced at any size, so a catalog under its threshold can be compared too
    sampled_region.SAMPLE_MIN_TRACKS = 10**15 if path == "full" else 0
    dj.catalog.genre_major = major if path == "sampled" else None
    started = time.perf_counter()
    playlist = dj.build(intent)
    return (time.perf_counter() - started) * 1000, playlist


def profile(dj: DJ, intents, major, rounds: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    for _ in range(rounds):
        for intent in intents:
            profiler.runcall(timed_build, dj, intent, "sampled", major)
    print("\nwhere the sampled path's time goes (cumulative, genre-free prompts):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser(
        description="Genre-free prompts: sampled region vs scoring everything."
    )
    ap.add_argument("--catalog", required=True, help="a compiled catalog (aidj catalog build)")
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", type=int, default=0, help="cProfile rounds of the sampled path")
    ap.add_argument(
        "--in-memory", action="store_true", help="read the columns into memory instead of mapping"
    )
    args = ap.parse_args()

    started = time.perf_counter()
    catalog = load_compiled(args.catalog) if args.in_memory else load_catalog(args.catalog)
    load_s = time.perf_counter() - started
    major = catalog.genre_major
    dj = DJ(catalog, LocalInterpreter(artist_resolver=artist_resolver(catalog)))
    dj.warm()
    prompts = read_prompts(args.prompts)
    intents = [dj.interpret(p) for p in prompts]
    free = [i for i, intent in enumerate(intents) if not intent.genres]
    started = time.perf_counter()
    sampled_region.catalog_sample(catalog)
    sample_s = time.perf_counter() - started
    for intent in intents:
        for path in PATHS:  # first-call costs (lazy masks, first page touches) are not per prompt
            timed_build(dj, intent, path, major)

    times: dict[str, dict[int, list[float]]] = {path: {} for path in PATHS}
    last: dict[str, dict[int, object]] = {path: {} for path in PATHS}
    for _ in range(args.rounds):
        for i, intent in enumerate(intents):
            for path in PATHS:
                ms, playlist = timed_build(dj, intent, path, major)
                times[path].setdefault(i, []).append(ms)
                last[path][i] = playlist

    def spread(path: str, which: list[int]) -> str:
        values = [ms for i in which for ms in times[path][i]]
        return f"{statistics.median(values):.1f} / {pct(values, 99):.1f} ms"

    def ids(path: str, i: int) -> list[str]:
        return [t.id for t in last[path][i].tracks]  # type: ignore[attr-defined]

    print(
        f"{len(catalog):,} tracks ({args.catalog}); load {load_s:.2f} s; genre-major copy: "
        f"{'yes' if major else 'no (compiled under 2M tracks: both sampled paths gather)'}; "
        f"sample of {len(sampled_region.catalog_sample(catalog)[1]):,} rows built once in "
        f"{sample_s:.2f} s; {args.rounds} rounds\n"
    )
    every = list(range(len(intents)))
    print("| prompts | " + " | ".join(f"{LABELS[p]}: median / p99" for p in PATHS) + " |")
    print("|---|" + "---|" * len(PATHS))
    for label, which in ((f"{len(free)} naming no genre", free), (f"all {len(intents)}", every)):
        print(f"| {label} | " + " | ".join(spread(p, which) for p in PATHS) + " |")
    free_med = {p: statistics.median([ms for i in free for ms in times[p][i]]) for p in PATHS}
    print(
        f"\ngenre-free median: sampled is {free_med['full'] / free_med['sampled']:.1f}x faster "
        f"than scoring everything, {free_med['gathered'] / free_med['sampled']:.2f}x faster "
        "than the sampled path gathering its rows"
    )
    # no worse? each genre-free playlist's mean fit, both scored by the whole catalog's scores
    fits: dict[str, list[float]] = {p: [] for p in PATHS}
    for i in free:
        scores = fit_scores(catalog, intents[i]).scores
        for path in PATHS:
            rows = [catalog.index_of(t) for t in ids(path, i)]
            fits[path].append(float(np.mean([scores[r] for r in rows if r is not None])))

    def region(path: str, i: int) -> object:
        return last[path][i].stats["region"]  # type: ignore[attr-defined]

    n = len(free)
    print(f"\n| sampled against scoring everything ({n} genre-free prompts) | |\n|---|---|")
    print(f"| same anchor genre | {sum(region('sampled', i) == region('full', i) for i in free)} |")
    print(f"| identical playlists | {sum(ids('sampled', i) == ids('full', i) for i in free)} |")
    print(
        f"| mean fit under the whole catalog's scores | {statistics.mean(fits['sampled']):.3f} "
        f"vs {statistics.mean(fits['full']):.3f} |"
    )
    worse = sum(a < b - 0.01 for a, b in zip(fits["sampled"], fits["full"], strict=True))
    print(f"| playlists fitting worse by > 0.01 | {worse} |")
    same = sum(ids("sampled", i) == ids("gathered", i) for i in every)
    print(
        f"| sampled with and without the genre-major copy: identical playlists | {same} of {len(every)} |"
    )
    slowest = sorted(
        ((statistics.median(times["sampled"][i]), prompts[i]) for i in free), reverse=True
    )[:4]
    print(
        "\nslowest genre-free (sampled, median): "
        + "; ".join(f"{p!r} {ms:.0f} ms" for ms, p in slowest)
    )
    worst = sorted(((max(times["sampled"][i]), i) for i in every), reverse=True)[:3]
    print(
        "slowest single builds (sampled | gathered | full, max ms): "
        + "; ".join(
            f"{prompts[i]!r} " + " | ".join(f"{max(times[p][i]):.0f}" for p in PATHS)
            for _, i in worst
        )
    )
    if args.profile:
        profile(dj, [intents[i] for i in free], major, args.profile)


if __name__ == "__main__":
    main()
