"""The HTTP edge: today's hand-written one against Powertools and FastAPI + Mangum (issue 18).

    uv venv /tmp/edgebench && uv pip install --python /tmp/edgebench \\
        -c <(python3 benchmarks/edge_frameworks.py --print-constraints) \\
        -e packages/aidj -e services/playlist \\
        aws-lambda-powertools==3.37.0 fastapi==0.163.2 mangum==0.22.0
    /tmp/edgebench/bin/python benchmarks/edge_frameworks.py [--runs 7] [--requests 1000]

The same small API surface (``edge_apps.py``: POST /playlist with the service's pydantic
``PlaylistRequest``, GET /playlists/{id}, GET /health, GET /openapi.json, the service's error
JSON, a request-id and a CORS step, stub operations) is served by each edge, and every one is
first checked to answer the same statuses, headers and error shape. Then, each in a fresh
subprocess of the given interpreter:

- cold start: import + build the app + answer the first POST /playlist event (ms, median of
  ``--runs``; wall and CPU), with this machine's .pyc files and again with none (every module
  compiled from source, as a Lambda zip without .pyc does on each cold start). The ``floor``
  row (no edge: validate, build, dump) is what every edge pays anyway;
- CPU per request for API Gateway v2 events, after warm-up (µs, median of 5 rounds);
- the first /openapi.json (ms of CPU: each edge builds the document once);
- what its dependencies add to the Lambda zip: each candidate is installed with
  ``uv pip install --target`` for Lambda's Python 3.12 on x86_64 manylinux wheels, beside the
  pinned pydantic the service already ships, and the difference is measured unpacked and zipped.

Candidates are never project dependencies: install them in a venv outside the repository. A
missing one stops the run with a message saying how to install it (exit 2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EDGES = ("floor", "handwritten", "powertools", "fastapi")
# What each edge imports beyond the service (pinned: the numbers hold for these versions).
CANDIDATES = {
    "powertools": ["aws-lambda-powertools==3.37.0"],
    "fastapi": ["fastapi==0.163.2", "mangum==0.22.0"],
}
MODULES = {"powertools": "aws_lambda_powertools", "fastapi": "fastapi, mangum"}
# The service's own edge modules: what the hand-written edge ships instead of a library.
OWN_EDGE = ("http.py", "lambda_adapter.py", "openapi.py", "routes.py", "server.py")
LAMBDA_TARGET = ("x86_64-manylinux_2_34", "3.12")
MB = 1_000_000
EXIT_MISSING = 2


# ---------------------------------------------------------------- in the child process


def child(edge: str, phase: str, requests: int) -> dict[str, Any]:
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    try:
        import edge_apps

        handler = edge_apps.BUILDERS[edge]()
    except ImportError as exc:
        print(
            f"edge_frameworks: {edge} cannot be imported ({exc}): install "
            f"{' '.join(CANDIDATES.get(edge, ['the workspace']))} into this interpreter "
            f"({sys.executable}), see this script's docstring",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_MISSING) from None
    ctx = edge_apps.Context()
    first = handler(edge_apps.event("POST", "/playlist", edge_apps.PLAYLIST_BODY), ctx)
    cold = {
        "cold_wall_ms": (time.perf_counter() - started_wall) * 1000,
        "cold_cpu_ms": (time.process_time() - started_cpu) * 1000,
    }
    if phase == "cold" or edge == "floor":
        return cold
    playlist_id = json.loads(first["body"])["playlist_id"]
    started = time.process_time()
    openapi = handler(edge_apps.event("GET", "/openapi.json"), ctx)
    openapi_ms = (time.process_time() - started) * 1000
    events = {
        "POST /playlist": edge_apps.event("POST", "/playlist", edge_apps.PLAYLIST_BODY),
        "GET /playlists/{id}": edge_apps.event("GET", f"/playlists/{playlist_id}"),
        "GET /health": edge_apps.event("GET", "/health"),
        "POST /playlist 422": edge_apps.event("POST", "/playlist", edge_apps.INVALID_BODY),
        "GET /nowhere 404": edge_apps.event("GET", "/nowhere"),
    }
    problems = check(edge_apps, handler, ctx, events, openapi)
    if problems:
        print(f"edge_frameworks: {edge} answers differently: {problems}", file=sys.stderr)
        raise SystemExit(1)
    cpu_us: dict[str, float] = {}
    for name, ev in events.items():
        for _ in range(max(50, requests // 5)):  # warm-up: caches, lazily built validators
            handler(ev, ctx)
        rounds = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(requests):
                handler(ev, ctx)
            rounds.append((time.process_time() - started) / requests * 1e6)
        cpu_us[name] = statistics.median(rounds)
    return {**cold, "openapi_cpu_ms": openapi_ms, "cpu_us": cpu_us}


def check(
    edge_apps: Any, handler: Any, ctx: Any, events: dict[str, dict], openapi: dict
) -> list[str]:
    """What makes the rows comparable: the same statuses, error shape and headers."""
    expected = {
        "POST /playlist": (200, None),
        "GET /playlists/{id}": (200, None),
        "GET /health": (200, None),
        "POST /playlist 422": (422, "validation_error"),
        "GET /nowhere 404": (404, "route_not_found"),
    }
    problems = []
    doc = json.loads(openapi["body"])
    if openapi["statusCode"] != 200 or not {"/playlist", "/health"} <= set(doc.get("paths", {})):
        problems.append("GET /openapi.json does not describe the routes")
    for name, ev in events.items():
        answer = handler(ev, ctx)
        status, code = expected[name]
        headers = {k.lower(): v for k, v in (answer.get("headers") or {}).items()}
        body = json.loads(answer["body"])
        request_id = ev["requestContext"]["requestId"]
        if answer["statusCode"] != status:
            problems.append(f"{name}: status {answer['statusCode']}, not {status}")
        if code is not None and (
            body.get("error", {}).get("code") != code
            or body["error"].get("request_id") != request_id
            or not body["error"].get("message")
        ):
            problems.append(f"{name}: error body {body}")
        if headers.get("x-request-id") != request_id:
            problems.append(f"{name}: x-request-id {headers.get('x-request-id')!r}")
        if headers.get("access-control-allow-origin") not in ("*", edge_apps.ORIGIN):
            problems.append(f"{name}: no CORS header")
    return problems


# ---------------------------------------------------------------- in the parent process


def run_child(
    python: str, edge: str, phase: str, requests: int, pyc_cache: str | None = None
) -> dict[str, Any]:
    """One fresh process; with ``pyc_cache`` (an empty folder) every module is compiled from
    source, as on Lambda: the zip ships no .pyc and /var/task is read-only."""
    env = {**os.environ, "PYTHONPATH": str(HERE), "PYTHONHASHSEED": "0"}
    if pyc_cache is not None:
        env["PYTHONPYCACHEPREFIX"] = pyc_cache
    out = subprocess.run(
        [
            python,
            str(Path(__file__)),
            "--child",
            edge,
            "--phase",
            phase,
            "--requests",
            str(requests),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=600,
    )
    if out.returncode != 0:
        print(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out, file=sys.stderr)
        raise SystemExit(out.returncode if out.returncode == EXIT_MISSING else 1)
    return json.loads(out.stdout.strip().splitlines()[-1])


def constraints() -> list[str]:
    """The workspace's exact pins (pydantic, anyio, ...), so sizes are of what the zip ships."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["tool"]["uv"]["constraint-dependencies"])


def installed(packages: list[str], into: Path, pins: Path) -> dict[str, int]:
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit(
            "edge_frameworks: uv is not on PATH; it measures the zip sizes (--no-size)"
        )
    platform_name, python_version = LAMBDA_TARGET
    command = [uv, "pip", "install", "--quiet", "--target", str(into), "-c", str(pins)]
    command += ["--python-platform", platform_name, "--python-version", python_version]
    command += ["--only-binary", ":all:", "--link-mode", "copy", *packages]
    out = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"edge_frameworks: could not install {packages}: {out.stderr.strip()}")
    return {
        str(p.relative_to(into)): p.stat().st_size
        for p in sorted(into.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def zip_sizes() -> dict[str, dict[str, float]]:
    """MB each candidate adds to the zip beyond the pinned pydantic the service ships."""
    pydantic = [pin for pin in constraints() if pin.startswith("pydantic==")]
    with tempfile.TemporaryDirectory(prefix="edgebench-size-") as tmp:
        pins = Path(tmp) / "pins.txt"
        pins.write_text("\n".join(constraints()) + "\n", encoding="utf-8")
        base = installed(pydantic, Path(tmp) / "base", pins)
        sizes = {}
        for edge, packages in CANDIDATES.items():
            root = Path(tmp) / edge
            files = installed([*pydantic, *packages], root, pins)
            added = sorted(name for name in files if name not in base)
            archive = Path(tmp) / f"{edge}.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                for name in added:
                    zf.write(root / name, name)
            sizes[edge] = {
                "unpacked_mb": sum(files[n] for n in added) / MB,
                "zipped_mb": archive.stat().st_size / MB,
            }
    own = REPO / "services" / "playlist" / "src" / "aidj_service"
    own_bytes = sum((own / name).stat().st_size for name in OWN_EDGE)
    sizes["handwritten"] = {"unpacked_mb": own_bytes / MB}  # already in the zip: adds nothing
    return sizes


def machine(python: str) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()}, Python {version}"


def table(results: dict[str, dict[str, Any]], sizes: dict[str, dict[str, float]]) -> str:
    routes = list(next((r["cpu_us"] for r in results.values() if "cpu_us" in r), {}))
    head = ["edge", "cold wall ms", "cold CPU ms", "cold CPU ms, no .pyc"]
    head += [f"{r} µs" for r in routes]
    head += ["first openapi.json CPU ms", "zip adds MB (unpacked / zipped)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for edge, r in results.items():
        size = sizes.get(edge)
        cells = [edge, f"{r['cold_wall_ms']:.0f}", f"{r['cold_cpu_ms']:.0f}"]
        cells.append(f"{r['cold_no_pyc_cpu_ms']:.0f}")
        cells += [f"{r['cpu_us'][k]:.0f}" if "cpu_us" in r else "–" for k in routes]
        cells.append(f"{r['openapi_cpu_ms']:.1f}" if "openapi_cpu_ms" in r else "–")
        if not sizes:
            cells.append("not measured")
        elif size is None:
            cells.append("0")
        elif edge == "handwritten":
            cells.append(f"0 (its own code: {size['unpacked_mb'] * 1000:.0f} KB)")
        else:
            cells.append(f"{size['unpacked_mb']:.1f} / {size['zipped_mb']:.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter with the candidates")
    parser.add_argument("--runs", type=int, default=7, help="cold starts per edge (median)")
    parser.add_argument("--requests", type=int, default=1000, help="requests per round and route")
    parser.add_argument("--edges", default=",".join(EDGES), help="which rows, comma-separated")
    parser.add_argument("--no-size", action="store_true", help="skip the zip-size installs")
    parser.add_argument("--print-constraints", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=EDGES, help=argparse.SUPPRESS)
    parser.add_argument("--phase", choices=("cold", "warm"), default="cold", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.print_constraints:
        print("\n".join(constraints()))
        return
    if args.child:
        print(json.dumps(child(args.child, args.phase, args.requests)))
        return

    edges = [e for e in args.edges.split(",") if e]
    unknown = sorted(set(edges) - set(EDGES))
    if unknown:
        raise SystemExit(f"edge_frameworks: unknown edge(s) {unknown}; choose from {EDGES}")
    results: dict[str, dict[str, Any]] = {}
    for edge in edges:
        warm = run_child(args.python, edge, "warm", args.requests)  # checks the answers first
        colds = [run_child(args.python, edge, "cold", 0) for _ in range(args.runs)]
        warm["cold_wall_ms"] = statistics.median(c["cold_wall_ms"] for c in colds)
        warm["cold_cpu_ms"] = statistics.median(c["cold_cpu_ms"] for c in colds)
        sourced = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="edgebench-pyc-") as empty:
                sourced.append(run_child(args.python, edge, "cold", 0, pyc_cache=empty))
        warm["cold_no_pyc_cpu_ms"] = statistics.median(c["cold_cpu_ms"] for c in sourced)
        results[edge] = warm
        print(f"{edge}: {json.dumps(warm)}", file=sys.stderr)
    sizes = {} if args.no_size else zip_sizes()
    print(f"Machine: {machine(args.python)}")
    print(f"Command: {' '.join([Path(args.python).name, *sys.argv])}")
    print()
    print(table(results, sizes))
    print()
    print(json.dumps({"results": results, "sizes": sizes}, sort_keys=True))


if __name__ == "__main__":
    main()
