"""Load test for the local server: POST /playlist throughput and latency percentiles.

    uv run python benchmarks/service_load.py                      # starts `aidj serve`-equivalent itself
    uv run python benchmarks/service_load.py --workers 2 --seconds 20 --connections 16
    uv run python benchmarks/service_load.py --url http://127.0.0.1:8000   # an already running server

Target (issue 3): >= 200 req/s and p99 < 100 ms on 2 cores with the local interpreter.
The client runs on the same machine and takes CPU from the server, so the numbers are a floor.
Prompts rotate through the dev eval prompts so no answer is ever reused; what a real server
keeps between requests is kept here too (a worker's genre masks, ``Catalog.masks``, after a
style's first request; ``numpy_ratio.py`` shows the prompt with them cleared).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from aidj_service.edge.serve_process import free_port

REPO = Path(__file__).resolve().parents[1]
PROMPTS = REPO.parent / "shared" / "eval" / "dev_prompts.jsonl"


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "AIDJ_DB_PATH": str(Path(tempfile.mkdtemp(prefix="aidj-bench-")) / "history.sqlite3"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "aidj_service.edge.server", "127.0.0.1", str(port), str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 120 s")


def cpu_seconds(root_pid: int) -> float:
    """User+system CPU of ``root_pid`` and its descendants (the uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    wanted = {root_pid}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _) in stats.items():
            if ppid in wanted and pid not in wanted:
                wanted.add(pid)
                grew = True
    return sum(stats[pid][1] for pid in wanted if pid in stats)


def run(url: str, connections: int, seconds: float, limit: int | None) -> dict[str, float]:
    parts = urlsplit(url)
    prompts = [
        json.loads(line)["prompt"] for line in PROMPTS.open(encoding="utf-8") if line.strip()
    ] or ["energetic music for working out"]
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine: list[float] = []
        bad = 0
        i = n
        while time.monotonic() < stop_at:
            body = {"prompt": prompts[i % len(prompts)], "user_id": f"bench-{n}"}
            if limit:
                body["limit"] = limit
            i += connections
            started = time.perf_counter()
            try:
                conn.request(
                    "POST", "/playlist", json.dumps(body), {"content-type": "application/json"}
                )
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            mine.append(time.perf_counter() - started)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    if not latencies:
        # a machine so busy that no request finished: say so rather than crash on empty statistics
        raise SystemExit(
            f"no request finished within {seconds:g} s: run again with more --seconds or on a quieter machine"
        )
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {
        "requests": len(latencies),
        "errors": errors,
        "req_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="benchmark a running server instead of starting one")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument(
        "--limit", type=int, help="tracks per playlist (default: what each prompt asks)"
    )
    args = parser.parse_args()
    process = None
    url = args.url
    if url is None:
        process, url = start_server(args.workers)
    try:
        run(url, args.connections, args.warmup, args.limit)
        cpu_before = cpu_seconds(process.pid) if process else None
        result = run(url, args.connections, args.seconds, args.limit)
        if process is not None and cpu_before is not None:
            # Server CPU per request gives the capacity of the cores the server had, even on a busy
            # machine where the load generator and other jobs compete for them.
            per_request = (cpu_seconds(process.pid) - cpu_before) / max(1, result["requests"])
            result["server_cpu_ms_per_request"] = round(per_request * 1000, 2)
            # /proc counts CPU in clock ticks (10 ms): a short run can measure none at all
            result["capacity_req_per_s_on_workers_cores"] = (
                round(min(args.workers, os.cpu_count() or 1) / per_request, 1)
                if per_request > 0
                else None
            )
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=15)
    print(
        json.dumps(
            {
                "url": url,
                "workers": args.workers if process else None,
                "connections": args.connections,
                "cpus": os.cpu_count(),
                **result,
            }
        )
    )


if __name__ == "__main__":
    main()
