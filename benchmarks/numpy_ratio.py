"""The whole prompt -> playlist against one bare numpy pass over the catalog, side by side.

    uv run python benchmarks/numpy_ratio.py [--catalog PATH[:PATH...]] [--rounds N]

*Whole prompt* is what a request pays in the engine: ``DJ.interpret`` (the local interpreter,
embedding model warm) then ``DJ.build`` (score, candidate pool, region, selection, sequencing,
each track's reason and transition), for each of the 40 dev prompts.

*One numpy pass* is the least any engine that scores the catalog with numpy must do for a
prompt, and nothing more:

- every feature the engine's fit scores (``scoring.WEIGHTS``' six unit features and tempo),
  read in the dtype the catalog stores them (float32), no copy or conversion;
- a weighted distance to a target: ``sum(w * |x - t|)``, the fit's weights, speechiness' scale
  and tempo's span folded into the weight (a multiply the pass does anyway); no clipping, no
  half/double-time tempo, no genre, era, exclusion or familiarity terms;
- the unplayable rows (``Catalog.playable``: too short, too long, no tempo) excluded;
- the top k, k the playlist's length: ``argpartition`` then ``argsort`` of those k.

The targets come from the prompt's intent where it set them, else 0.5 (the pass costs the same
whatever they are). Both are timed in one process, prompt by prompt, alternating, so machine
load hits them alike; the figures are the ratio of the medians and of the p90s. CPU time
(``time.process_time``) and wall time are both reported; on a busy machine the CPU ratio is
the one to read. The catalog keeps the genre masks requests ask for (``Catalog.masks``) and the
genre subsets they score (``Catalog.subsets``), and 40 prompts in rotation ask the same styles
again: the figures are given both with these kept and with them cleared before every prompt
(each prompt the first to ask its styles).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from dev_prompts import DEFAULT_PROMPTS, pct, read_prompts

from aidj.catalog import Catalog, load_catalog
from aidj.dj import DJ, artist_resolver
from aidj.intent import Intent
from aidj.local_interpreter import LocalInterpreter
from aidj.scoring import SCALE, TEMPO_SPAN, TEMPO_WEIGHT, WEIGHTS


def pass_terms(intent: Intent) -> list[tuple[str, np.float32, np.float32]]:
    """(feature, target, weight) for every feature the fit scores."""
    targets = intent.targets()
    terms = [
        (
            name,
            np.float32(targets.get(name, 0.5)),
            np.float32(weight * SCALE.get(name, 1.0)),
        )
        for name, weight in WEIGHTS.items()
    ]
    tempo = intent.tempo if intent.tempo is not None else 120.0
    terms.append(("tempo", np.float32(tempo), np.float32(TEMPO_WEIGHT / TEMPO_SPAN)))
    return terms


def numpy_pass(
    catalog: Catalog, terms: list[tuple[str, np.float32, np.float32]], k: int
) -> np.ndarray:
    """One pass: weighted |feature - target| over the scored features, unplayable rows out,
    then the best ``k`` in order."""
    features = catalog.features
    total = np.zeros(len(catalog), dtype=np.float32)
    scratch = np.empty(len(catalog), dtype=np.float32)
    for name, target, weight in terms:
        np.subtract(features[name], target, out=scratch)
        np.abs(scratch, out=scratch)
        scratch *= weight
        total += scratch
    total[~catalog.playable()] = np.inf
    best = np.argpartition(total, k)[:k]
    return best[np.argsort(total[best], kind="stable")]


def main() -> None:
    ap = argparse.ArgumentParser(description="Whole prompt against one numpy pass.")
    ap.add_argument("--catalog", default=None)
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    catalog = load_catalog(args.catalog)
    dj = DJ(catalog, LocalInterpreter(artist_resolver=artist_resolver(catalog)))
    dj.warm()
    prompts = read_prompts(args.prompts)
    cases = []
    for prompt in prompts:  # first-call costs (lazy masks, samples) are not per-prompt
        intent = dj.interpret(prompt)
        k = max(1, len(dj.build(intent).tracks))
        cases.append((prompt, pass_terms(intent), k))
        numpy_pass(catalog, cases[-1][1], k)
    print(
        f"{len(catalog):,} tracks, {len(cases)} prompts x {args.rounds} rounds; "
        f"the pass: {len(cases[0][1])} features, float32, playable rows, top k"
    )
    print("| masks | measure | whole prompt | one numpy pass | ratio |")
    print("|---|---|---|---|---|")
    # the catalog keeps the genre masks and subsets requests ask for (Catalog.masks, .subsets):
    # a style asked before, then every prompt as the first to ask its styles
    for masks, cold in (("kept", False), ("cleared", True)):
        wall, cpu = time_rounds(dj, catalog, cases, args.rounds, cold)
        for label, series in (("CPU", cpu), ("wall", wall)):
            for name, stat in (("median", statistics.median), ("p90", lambda v: pct(v, 90))):
                whole, bare = stat(series["prompt"]), stat(series["pass"])
                print(
                    f"| {masks} | {label} {name} | {whole:.3f} ms | {bare:.3f} ms "
                    f"| **{whole / bare:.2f}×** |"
                )


def time_rounds(
    dj: DJ, catalog: Catalog, cases: list, rounds: int, cold: bool
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU ms of each whole prompt and of the pass right after it."""
    wall: dict[str, list[float]] = {"prompt": [], "pass": []}
    cpu: dict[str, list[float]] = {"prompt": [], "pass": []}
    for _ in range(rounds):
        for prompt, terms, k in cases:
            if cold:
                catalog.masks.clear()
                catalog.subsets.clear()
            w0, c0 = time.perf_counter(), time.process_time()
            dj.build(dj.interpret(prompt))
            w1, c1 = time.perf_counter(), time.process_time()
            numpy_pass(catalog, terms, k)
            w2, c2 = time.perf_counter(), time.process_time()
            wall["prompt"].append((w1 - w0) * 1000)
            wall["pass"].append((w2 - w1) * 1000)
            cpu["prompt"].append((c1 - c0) * 1000)
            cpu["pass"].append((c2 - c1) * 1000)
    return wall, cpu


if __name__ == "__main__":
    main()
