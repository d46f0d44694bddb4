"""What the HTTP layer costs per request, outside ``Api.handle``.

    uv run python benchmarks/http_overhead.py [--requests N] [--connections C] [--profile]

The server of ``aidj serve`` (uvicorn + httptools, ``server.AsgiApp``, one worker) in a child
process, in front of a stand-in for the API whose ``handle`` returns at once a stored answer to
``POST /playlist`` (a real one, made by the API at start, ~12 KB). So the child's CPU per
request (from /proc) is the HTTP layer's alone: parsing, the ASGI adapter, the hand-off to
the thread pool and back, the deadline's timer, writing the answer. The client (``http.client``,
keep-alive, ``--connections`` threads) runs in this process.

``--profile`` runs the child under cProfile (CPU time) and prints its largest functions: where
the layer's time goes. Prints a Markdown table for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import json
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from aidj_service.edge.http import Request, Response
from aidj_service.edge.serve_process import free_port

HERE = Path(__file__).resolve().parent


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CannedApi:
    """Answers every request with one stored playlist answer, at once."""

    def __init__(self, answer: Response) -> None:
        from aidj_service.config import Settings

        self.settings = Settings(local_mode=True)
        self.answer = answer

    def handle(self, request: Request) -> Response:
        return Response(self.answer.status, self.answer.body, dict(self.answer.headers))

    def close(self) -> None:
        pass


def real_answer(folder: Path) -> Response:
    """One real ``POST /playlist`` answer, made in-process by the API."""
    from aidj_service.config import Settings
    from aidj_service.edge.api import Api

    api = Api(Settings(db_path=str(folder / "history.sqlite3"), local_mode=True))
    body = json.dumps({"prompt": "energetic music for working out", "user_id": "bench"})
    return api.handle(
        Request(
            method="POST",
            path="/playlist",
            headers={"content-type": "application/json", "host": "127.0.0.1"},
            body=body.encode(),
            source_ip="127.0.0.1",
        )
    )


def serve(port: int, answer_file: Path, profile_file: Path | None) -> None:
    """The child: ``aidj serve``'s uvicorn settings around the canned API, until SIGTERM."""
    import uvicorn

    from aidj_service.edge.server import AsgiApp, uvicorn_config

    stored = json.loads(answer_file.read_text())
    answer = Response(stored["status"], stored["body"].encode(), stored["headers"])
    app = AsgiApp(lambda: CannedApi(answer))
    server = uvicorn.Server(uvicorn_config(app, "127.0.0.1", port))
    profile = cProfile.Profile(time.process_time) if profile_file else None
    if profile is not None:
        profile.enable()
    server.run()
    if profile is not None and profile_file is not None:
        profile.disable()
        profile.dump_stats(profile_file)


def drive(port: int, requests: int, connections: int, body: bytes) -> float:
    """``requests`` POSTs over ``connections`` keep-alive connections; the seconds it took."""
    per = requests // connections
    failures: list[BaseException] = []

    def client() -> None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(per):
                conn.request("POST", "/playlist", body, {"content-type": "application/json"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"the server answered {response.status}")
        except (OSError, RuntimeError) as exc:
            failures.append(exc)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise OSError(f"{len(failures)} client(s) failed: {failures[0]}")
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description="The HTTP layer's CPU per request.")
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument(
        "--serve", nargs=3, metavar=("PORT", "ANSWER", "PROFILE"), help=argparse.SUPPRESS
    )
    args = ap.parse_args()
    if args.serve:
        port, answer_file, profile_file = args.serve
        serve(int(port), Path(answer_file), Path(profile_file) if profile_file != "-" else None)
        return
    folder = Path(tempfile.mkdtemp(prefix="aidj-http-"))
    answer = real_answer(folder)
    answer_file = folder / "answer.json"
    answer_file.write_text(
        json.dumps(
            {"status": answer.status, "body": answer.body.decode(), "headers": answer.headers}
        )
    )
    profile_file = folder / "server.prof" if args.profile else None
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), str(answer_file), str(profile_file or "-")]
    )
    body = json.dumps({"prompt": "energetic music for working out"}).encode()
    deadline = time.monotonic() + 60
    while True:
        try:
            drive(port, 20, 1, body)  # up and warm
            break
        except OSError:
            if time.monotonic() > deadline:
                child.kill()
                raise SystemExit("the server did not start within 60 s") from None
            time.sleep(0.2)
    before = cpu_seconds(child.pid)
    seconds = drive(port, args.requests, args.connections, body)
    cpu_ms = (cpu_seconds(child.pid) - before) * 1000 / args.requests
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=30)
    print(
        f"{args.requests} requests over {args.connections} connections, answer {len(answer.body):,} bytes"
    )
    print("| HTTP layer (uvicorn + httptools + AsgiApp, canned answer) | value |")
    print("|---|---|")
    print(f"| server CPU per request | **{cpu_ms:.2f} ms** |")
    print(f"| requests per second (client on the same cores) | {args.requests / seconds:.0f} |")
    if profile_file is not None:
        print("\nlargest functions in the server (own CPU, profiled):")
        stats = pstats.Stats(str(profile_file))
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
