"""Engine benchmark on a real catalog: load times, interpret and build latency, peak memory.

    uv run python benchmarks/engine.py [--catalog PATH[:PATH...]] [--prompts PATH] [--rounds N]

The default catalog is the product's default: both shared files. Also times the worst case a
user can send: a 1,000-character prompt no rule places (bounded by the embedding cut).

Prints a Markdown table; paste it into docs/BENCHMARKS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from dev_prompts import DEFAULT_PROMPTS, pct, read_prompts

from aidj.catalog import load_catalog, resolve_catalog_paths
from aidj.dj import DJ, artist_resolver
from aidj.languages.packs import load as load_language_packs
from aidj.languages.packs import load_cached as load_cached_language_packs
from aidj.local_interpreter import LocalInterpreter


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", default=None)
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    source = resolve_catalog_paths(args.catalog)
    prompts = read_prompts(args.prompts)

    with tempfile.TemporaryDirectory() as cache:
        t = time.perf_counter()
        load_catalog(source, cache_dir=cache)
        cold = time.perf_counter() - t
        warm_times = []
        for _ in range(5):
            t = time.perf_counter()
            catalog = load_catalog(source, cache_dir=cache)
            warm_times.append(time.perf_counter() - t)

    packs_validate, packs_cached = [], []
    with tempfile.TemporaryDirectory() as cache:
        for _ in range(5):
            t = time.perf_counter()
            load_language_packs()
            packs_validate.append(time.perf_counter() - t)
        load_cached_language_packs(cache_dir=Path(cache))
        for _ in range(5):
            t = time.perf_counter()
            load_cached_language_packs(cache_dir=Path(cache))
            packs_cached.append(time.perf_counter() - t)

    interpreter = LocalInterpreter(artist_resolver=artist_resolver(catalog))
    dj = DJ(catalog, interpreter)
    t = time.perf_counter()
    # what a server does at start: the embedding model and its anchors, the artist-name lookup,
    # the seasonal and learning-song marks
    dj.warm()
    model_load = time.perf_counter() - t

    interpret_ms, build_ms, total_ms = [], [], []
    for _ in range(args.rounds):
        for prompt in prompts:
            t0 = time.perf_counter()
            intent = dj.interpret(prompt)
            t1 = time.perf_counter()
            dj.build(intent)
            t2 = time.perf_counter()
            interpret_ms.append((t1 - t0) * 1000)
            build_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
    semantic = [
        p
        for p in [
            "something mellow to doze off to tonight",
            "vibes for a slow sunday with coffee",
            "musica per una serata tra amici",
            "Klänge für einen verregneten Nachmittag",
        ]
    ]
    sem_ms = []
    for prompt in semantic * args.rounds:
        t = time.perf_counter()
        interpreter.interpret(prompt)
        sem_ms.append((time.perf_counter() - t) * 1000)
    words = [
        "zorblat",
        "quixote",
        "mirth",
        "lantern",
        "obsidian",
        "velvet",
        "cascade",
        "harbor",
        "ember",
        "thistle",
    ]
    long_prompt = " ".join(words[(i * 7) % len(words)] for i in range(200))[:1000]
    long_ms = []
    for _ in range(args.rounds * 4):
        t = time.perf_counter()
        interpreter.interpret(long_prompt)
        long_ms.append((time.perf_counter() - t) * 1000)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    names = " + ".join(p.name for p in source)
    print(
        f"Catalog: {names}, {len(catalog):,} tracks; {len(prompts)} prompts x {args.rounds} rounds\n"
    )
    print("| measure | value |")
    print("|---|---|")
    print(f"| cold load (CSV -> columnar cache) | {cold:.2f} s |")
    print(f"| warm load (median of 5) | {statistics.median(warm_times) * 1000:.0f} ms |")
    print(
        f"| warm-up at start: embedding model, artist lookup, seasonal marks (once) | {model_load * 1000:.0f} ms |"
    )
    print(
        f"| language packs: read + validate + merge (median of 5) | {statistics.median(packs_validate) * 1000:.1f} ms |"
    )
    print(
        f"| language packs: read from the validated cache (median of 5) | {statistics.median(packs_cached) * 1000:.1f} ms |"
    )
    print(
        f"| interpret, rules (median / p99) | {statistics.median(interpret_ms):.2f} / {pct(interpret_ms, 99):.2f} ms |"
    )
    print(
        f"| interpret, embedding fallback (median / p99) | {statistics.median(sem_ms):.2f} / {pct(sem_ms, 99):.2f} ms |"
    )
    print(
        f"| interpret, 1,000-character unplaceable prompt (median / max) | {statistics.median(long_ms):.2f} / {max(long_ms):.2f} ms |"
    )
    print(
        f"| score + select + sequence (median / p99) | {statistics.median(build_ms):.2f} / {pct(build_ms, 99):.2f} ms |"
    )
    print(
        f"| whole prompt -> playlist (median / p99) | {statistics.median(total_ms):.2f} / {pct(total_ms, 99):.2f} ms |"
    )
    print(f"| peak RSS | {rss_mb:.0f} MB |")


if __name__ == "__main__":
    main()
