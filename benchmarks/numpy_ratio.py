"""The whole prompt -> playlist build against one bare numpy pass over the catalog, side by side.

    uv run python benchmarks/numpy_ratio.py [--catalog PATH[:PATH...]] [--rounds N]

The floor a Python engine can reach on a catalog is one vectorised pass over its feature
columns: a weighted distance of every track to a target on each audio feature, then the top 20.
Both are timed in one process, alternating prompt by prompt over the 40 dev prompts, so machine
load hits them alike; the figure is the ratio of the medians (and of the p90s). *build* is
``DJ.build`` (score, candidate pool, region, selection, sequencing, descriptions); the
interpretation is left out of both (it does not read the catalog).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from aidj.catalog import FLOAT_FEATURES, Catalog, load_catalog
from aidj.dj import DJ, artist_resolver
from aidj.local_interpreter import LocalInterpreter

HERE = Path(__file__).resolve().parent
DEFAULT_PROMPTS = HERE.parent.parent / "shared" / "eval" / "dev_prompts.jsonl"


def numpy_pass(catalog: Catalog, targets: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """One pass: weighted |feature - target| summed over the features, then the best 20."""
    total = np.zeros(len(catalog), dtype=np.float32)
    for name, target, weight in zip(FLOAT_FEATURES, targets, weights, strict=True):
        total += weight * np.abs(catalog.features[name] - target)
    best = np.argpartition(total, 20)[:20]
    return best[np.argsort(total[best])]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description="Build time against one numpy pass.")
    ap.add_argument("--catalog", default=None)
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    catalog = load_catalog(args.catalog)
    dj = DJ(catalog, LocalInterpreter(artist_resolver=artist_resolver(catalog)))
    dj.warm()
    prompts = [
        json.loads(line)["prompt"]
        for line in Path(args.prompts).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    intents = [dj.interpret(p) for p in prompts]
    rng = np.random.default_rng(0)  # fixed targets: the pass's cost does not depend on them
    targets = rng.random(len(FLOAT_FEATURES)).astype(np.float32)
    weights = rng.random(len(FLOAT_FEATURES)).astype(np.float32)
    for intent in intents[:3]:  # first-call costs (lazy masks, samples) are not per-prompt
        dj.build(intent)
        numpy_pass(catalog, targets, weights)
    build_ms, pass_ms = [], []
    for _ in range(args.rounds):
        for intent in intents:
            started = time.perf_counter()
            dj.build(intent)
            middle = time.perf_counter()
            numpy_pass(catalog, targets, weights)
            done = time.perf_counter()
            build_ms.append((middle - started) * 1000)
            pass_ms.append((done - middle) * 1000)
    build, bare = statistics.median(build_ms), statistics.median(pass_ms)
    print(f"{len(catalog):,} tracks, {len(intents)} prompts x {args.rounds} rounds")
    print("| measure | build | one numpy pass | ratio |")
    print("|---|---|---|---|")
    print(f"| median | {build:.2f} ms | {bare:.2f} ms | {build / bare:.1f}x |")
    b90, p90 = pct(build_ms, 90), pct(pass_ms, 90)
    print(f"| p90 | {b90:.2f} ms | {p90:.2f} ms | {b90 / p90:.1f}x |")


if __name__ == "__main__":
    main()
