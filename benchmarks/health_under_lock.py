"""``/health`` latency of a local ``aidj serve`` while its SQLite history is write-locked.

    uv run python benchmarks/health_under_lock.py
    uv run python benchmarks/health_under_lock.py --clients 32 --probes 100

Starts ``aidj serve`` (SQLite history in a temp folder), measures ``GET /health`` alone, then
has another connection hold the history file's write lock (``BEGIN IMMEDIATE``, as a stuck
writer would) while ``--clients`` clients keep POSTing playlists into it, and measures
``/health`` again, plus what the POSTs and ``/health?deep=1`` answer and how long they take.
Before issue 14 all routes shared one pool and SQLite waited 30 s: ``/health`` took 27 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

from aidj_service.edge.serve_process import ServeProcess


def quantiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    q = (
        statistics.quantiles(ordered, n=100, method="inclusive")
        if len(ordered) > 1
        else ordered * 99
    )
    return {
        "n": len(ordered),
        "p50_ms": round(q[49] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def probe(url: str, n: int) -> list[float]:
    out = []
    with requests.Session() as session:
        for _ in range(n):
            started = time.perf_counter()
            response = session.get(url + "/health", timeout=60)
            out.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"/health answered {response.status_code}: {response.text[:300]}")
            time.sleep(0.02)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--clients", type=int, default=24, help="POSTing clients while the store is locked"
    )
    parser.add_argument("--probes", type=int, default=50, help="/health requests per phase")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="aidj-health-lock-"))
    db = folder / "history.sqlite3"
    server = ServeProcess({"AIDJ_DB_PATH": str(db)}, folder / "server.log", startup_s=180).start()
    result: dict = {
        "cpus": os.cpu_count(),
        "clients": args.clients,
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    stop = threading.Event()
    posts: list[tuple[int, float]] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        with requests.Session() as session:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    code = session.post(
                        server.url + "/playlist",
                        json={"prompt": f"jazz {i}", "limit": 5},
                        timeout=60,
                    ).status_code
                except requests.RequestException:
                    code = 0
                with lock:
                    posts.append((code, time.perf_counter() - started))

    try:
        requests.post(
            server.url + "/playlist", json={"prompt": "warm up"}, timeout=60
        )  # creates the file
        result["health_idle"] = quantiles(probe(server.url, args.probes))
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        threads = [
            threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        time.sleep(1.0)  # let the clients fill the engine pool with store waits
        result["health_store_locked"] = quantiles(probe(server.url, args.probes))
        started = time.perf_counter()
        deep = requests.get(server.url + "/health", params={"deep": "1"}, timeout=60)
        result["deep_health_locked"] = {
            "status": deep.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
        stop.set()
        for t in threads:
            t.join(timeout=90)
        holder.execute("ROLLBACK")
        holder.close()
        codes: dict[str, int] = {}
        for code, _ in posts:
            codes[str(code)] = codes.get(str(code), 0) + 1
        result["posts_locked"] = {"status_counts": codes, **quantiles([s for _, s in posts])}
    finally:
        stop.set()
        server.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
