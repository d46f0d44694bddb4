"""Living-playlist operations on a real catalog: how long a swap, refine, extend and refresh take.

    uv run python benchmarks/living.py [--catalog PATH] [--prompts PATH] [--rounds N]

Each dev prompt's playlist gets one of each operation; prints a Markdown table (median and p95
in ms) to paste into docs/BENCHMARKS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable

from dev_prompts import DEFAULT_PROMPTS, read_prompts

from aidj.catalog import load_catalog, resolve_catalog_paths
from aidj.dj import artist_resolver
from aidj.engine import build_playlist
from aidj.local_interpreter import LocalInterpreter
from aidj.revision import Draft, Edit, apply_edits, avoid_set, extend, refine, refresh, render


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", default=None)
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    prompts = read_prompts(args.prompts)
    with tempfile.TemporaryDirectory() as cache:
        catalog = load_catalog(resolve_catalog_paths(args.catalog), cache_dir=cache)
        interpreter = LocalInterpreter(
            artist_resolver=artist_resolver(catalog), use_embeddings=False
        )
        times: dict[str, list[float]] = {}

        def timed(name: str, work: Callable[[], object]) -> object:
            start = time.perf_counter()
            out = work()
            times.setdefault(name, []).append((time.perf_counter() - start) * 1000)
            return out

        for _ in range(args.rounds):
            for prompt in prompts:
                intent = interpreter.interpret(prompt)
                playlist = build_playlist(catalog, intent)
                if len(playlist.tracks) < 3:
                    continue
                time_operations(catalog, interpreter, intent, playlist, timed)
    print(f"catalog: {len(catalog)} tracks, {len(prompts)} prompts x {args.rounds} rounds\n")
    print("| operation | median ms | p95 ms |")
    print("|---|---|---|")
    for name, values in times.items():
        p95 = (
            statistics.quantiles(values, n=20, method="inclusive")[-1]
            if len(values) > 1
            else values[0]
        )
        print(f"| {name} | {statistics.median(values):.0f} | {p95:.0f} |")


def time_operations(catalog, interpreter, intent, playlist, timed) -> None:
    """One of each living-playlist operation on one prompt's playlist, each timed."""
    draft = Draft(intent, [t.id for t in playlist.tracks], [], playlist)
    avoid = avoid_set([draft.track_ids])
    mid = draft.track_ids[len(draft.track_ids) // 2]
    swapped = timed(
        "swap (edit + render)",
        lambda: render(catalog, apply_edits(catalog, draft, [Edit("swap", mid)], avoid)),
    )
    timed(
        "move (edit + render)",
        lambda: render(catalog, apply_edits(catalog, draft, [Edit("move", mid, to=0)], avoid)),
    )
    timed(
        "more_like 3",
        lambda: render(
            catalog,
            apply_edits(catalog, draft, [Edit("more_like", mid, count=3)], avoid),
        ),
    )
    timed(
        "refine 'more upbeat'",
        lambda: render(
            catalog,
            refine(catalog, draft, interpreter.refine("more upbeat", intent), avoid),
        ),
    )
    timed("extend +5", lambda: render(catalog, extend(catalog, draft, avoid, count=5)))
    timed("refresh", lambda: render(catalog, refresh(catalog, draft, avoid)))
    assert swapped is not None


if __name__ == "__main__":
    main()
