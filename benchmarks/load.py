"""Bounded load test of ``aidj serve`` on 127.0.0.1 with locust: throughput, p50/p99, a soak.

    uv run python benchmarks/load.py                          # 1, 8, 32, 128 clients x 30 s, 10 min soak
    uv run python benchmarks/load.py --seconds 10 --soak-seconds 60 --users 1,8
    uv run python benchmarks/load.py --workers 2
    uv run python benchmarks/load.py --users 16 --seconds 3 --soak-users 8 --soak-seconds 4 --json

Starts ``aidj serve`` (local interpreter, SQLite history in a temp folder), warms it, then runs
locust headless (benchmarks/locustfile.py: closed-loop users, prompts from the dev set) once per
client count, and a soak at ``--soak-users`` clients recording the server's RSS (all worker
processes together) at start and end. Any failed request fails the run (exit status 1).
``--json`` prints the figures as one JSON object (``runs``, ``soak``) instead of the tables; the
load smoke test (tests/faults/test_load_smoke.py) reads that.
Client and server share the machine's cores, so throughput is a floor.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from aidj_service.edge.serve_process import ServeProcess

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"


def executable(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def run_locust(
    url: str, users: int, seconds: float, folder: Path, label: str, *, stop_timeout: int = 30
) -> dict:
    """One headless locust run, summed over its request types.

    Users still waiting for an answer when the run time is up get ``stop_timeout`` seconds to
    receive it (on a busy machine a first answer can take longer than a short run). The figures
    come from ``--json-file``, which locust writes once every user has stopped; its CSV files are
    rewritten by a timer and can miss the last seconds of a short run (on a busy machine: all of
    them). ``requests`` is 0, and the latencies None, when no request finished; ``locust_output``
    then says why.
    """
    prefix = folder / label
    command = [
        executable("locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        str(users),
        "--run-time",
        f"{int(seconds)}s",
        "--stop-timeout",
        str(stop_timeout),
        "--host",
        url,
        "--csv",
        str(prefix),
        "--json-file",
        str(prefix),
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + stop_timeout + 120
    )
    if not Path(f"{prefix}.json").exists():
        raise RuntimeError(f"locust wrote no stats (exit {done.returncode}): {done.stderr[-2000:]}")
    return {
        "users": users,
        "seconds": seconds,
        **read_stats(prefix, seconds),
        "locust_output": (done.stdout + done.stderr)[-2000:],
    }


def read_stats(prefix: Path, seconds: float) -> dict:
    """Totals and latency percentiles from locust's ``PREFIX.json``; failure messages from its CSV."""
    entries = json.loads(Path(f"{prefix}.json").read_text())
    times: dict[int, int] = {}
    for entry in entries:
        for ms, count in entry["response_times"].items():
            times[int(ms)] = times.get(int(ms), 0) + count
    requests = sum(e["num_requests"] for e in entries)
    failures_path = Path(f"{prefix}_failures.csv")
    failure_lines = failures_path.read_text().splitlines()[1:] if failures_path.exists() else []
    top = float(max(e["max_response_time"] for e in entries)) if entries else None

    def capped(q: float) -> float | None:
        value = percentile(times, q)  # locust rounds the histogram's times; the max is exact
        return None if value is None or top is None else min(value, top)

    return {
        "requests": requests,
        "failures": sum(e["num_failures"] for e in entries),
        "rps": requests / seconds if requests else None,
        "p50_ms": capped(0.50),
        "p99_ms": capped(0.99),
        "max_ms": top,
        "failure_samples": failure_lines[:5],
    }


def percentile(times: dict[int, int], q: float) -> float | None:
    """The ``q`` quantile of a {rounded ms: count} histogram; None when it is empty."""
    total = sum(times.values())
    if not total:
        return None
    seen = 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= q * total:
            return float(ms)
    return float(max(times))


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def warm(url: str, n: int = 20) -> None:
    body = json.dumps({"prompt": "warm up with some energetic music"}).encode()
    for _ in range(n):
        request = urllib.request.Request(
            url + "/playlist", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()


def soak(
    server: ServeProcess, users: int, seconds: float, folder: Path, *, stop_timeout: int = 30
) -> dict:
    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    started = time.monotonic()

    def sample() -> None:
        while not stop.wait(max(1.0, seconds / 20)):
            samples.append((time.monotonic() - started, server.rss_mb()))

    rss_start = server.rss_mb()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = run_locust(server.url, users, seconds, folder, "soak", stop_timeout=stop_timeout)
    stop.set()
    sampler.join()
    result.update(
        rss_start_mb=rss_start,
        rss_end_mb=server.rss_mb(),
        rss_max_mb=max([rss_start, *[mb for _, mb in samples]]),
        rss_samples=[(round(t), round(mb)) for t, mb in samples],
    )
    return result


def table(rows: list[dict]) -> str:
    lines = [
        "| clients | requests | failed | throughput | p50 | p99 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['users']} | {r['requests']:,} | {r['failures']} | {r['rps'] or 0:.0f} req/s | {ms(r['p50_ms'])} "
            f"| {ms(r['p99_ms'])} | {ms(r['max_ms'])} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", default="1,8,32,128", help="client counts, comma-separated")
    ap.add_argument("--seconds", type=float, default=30, help="length of each client-count run")
    ap.add_argument("--soak-seconds", type=float, default=600, help="0 skips the soak")
    ap.add_argument("--soak-users", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1, help="aidj serve --workers")
    ap.add_argument("--warm", type=int, default=20, help="playlist requests before measuring")
    ap.add_argument(
        "--stop-timeout",
        type=int,
        default=30,
        help="seconds users still waiting when a run's time is up get to receive their answer",
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object, not tables")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="aidj-load-"))
    try:
        server = ServeProcess(
            {"AIDJ_DB_PATH": str(folder / "history.sqlite3")},
            folder / "server.log",
            workers=args.workers,
            startup_s=180,
        ).start()
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None
    try:
        warm(server.url, args.warm)
        rows = []
        for users in (int(u) for u in args.users.split(",") if u.strip()):
            rows.append(
                run_locust(
                    server.url,
                    users,
                    args.seconds,
                    folder,
                    f"u{users}",
                    stop_timeout=args.stop_timeout,
                )
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        soaked = (
            soak(server, args.soak_users, args.soak_seconds, folder, stop_timeout=args.stop_timeout)
            if args.soak_seconds > 0
            else None
        )
    except RuntimeError as exc:  # locust wrote no figures: say why rather than a traceback
        raise SystemExit(str(exc)) from None
    finally:
        server.stop()
    if args.json:
        print(json.dumps({"runs": rows, "soak": soaked}), flush=True)
    else:
        print_tables(args, rows, soaked)
    failed = sum(r["failures"] for r in rows) + (soaked["failures"] if soaked else 0)
    empty = [r["users"] for r in [*rows, *([soaked] if soaked else [])] if r["requests"] == 0]
    if empty:
        raise SystemExit(
            f"no request finished in the runs with {empty} clients: run longer or on a quieter machine"
        )
    if failed:
        for r in [*rows, *([soaked] if soaked else [])]:
            for line in r["failure_samples"]:
                print(f"failure: {line}", file=sys.stderr)
        raise SystemExit(f"{failed} requests failed")


def print_tables(args: argparse.Namespace, rows: list[dict], soaked: dict | None) -> None:
    print(
        f"aidj serve --workers {args.workers}; locust closed-loop clients, {args.seconds:g} s per row\n"
    )
    print(table(rows))
    if soaked:
        print(
            f"\nSoak: {soaked['users']} clients x {soaked['seconds']:g} s: {soaked['requests']:,} requests, "
            f"{soaked['failures']} failed, {soaked['rps'] or 0:.0f} req/s, p50 {ms(soaked['p50_ms'])}, "
            f"p99 {ms(soaked['p99_ms'])}; server RSS {soaked['rss_start_mb']:.0f} MB at start, "
            f"{soaked['rss_end_mb']:.0f} MB at end (max {soaked['rss_max_mb']:.0f} MB)"
        )
        print(f"RSS samples (s, MB): {soaked['rss_samples']}", file=sys.stderr)


if __name__ == "__main__":
    main()
