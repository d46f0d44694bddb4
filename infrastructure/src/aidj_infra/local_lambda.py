"""Run a built deployment zip the way Lambda would, on this machine.

The zip is unpacked into an empty directory (Lambda's /var/task), the runtime-provided libraries
(boto3 & co) go in a second directory (Lambda's /var/runtime), and a fresh interpreter started
with ``-I -S`` sees only those two plus the standard library: a module the zip forgot, or one
that only imports because this machine's venv has it, fails here exactly as it would on AWS.

Used by the packaging smoke test and by benchmarks/lambda_package.py (cold-start timing).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .package import PackageError, Target, install_wheels, runtime_provided_requirements

# Result lines start with this, so they stand out from the function's own log lines on stdout.
MARKER = "\x1eaidj-result "

# Runs inside the clean interpreter: argv = task root, runtime dir, events file.
_DRIVER = r"""
MARKER = "\x1eaidj-result "
import json, sys, sysconfig, time
started = time.perf_counter()
task, runtime, events_path = sys.argv[1:4]
sys.path[:0] = [task, runtime]
import app
imported = time.perf_counter() - started

class Context:
    function_name = "aidj-local"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    aws_request_id = "00000000-0000-0000-0000-000000000001"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:000000000000:function:aidj-local"
    log_group_name = "/aws/lambda/aidj-local"
    log_stream_name = "local"
    def get_remaining_time_in_millis(self):
        return 60_000

with open(events_path) as handle:
    events = json.load(handle)
for event in events:
    response = app.lambda_handler(event, Context())
    cpu = time.process_time()  # every thread's CPU since the process began
    sys.stdout.write(MARKER + json.dumps({"response": response, "cpu_s": cpu}) + "\n")
    sys.stdout.flush()

roots = (task, runtime, sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])
outside = sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None) and not str(module.__file__).startswith(roots)
)
sys.stdout.write(MARKER + json.dumps({"import_s": imported, "outside": outside}) + "\n")
"""


@dataclass(frozen=True)
class ColdStart:
    responses: list[dict]
    first_response_s: (
        float  # process start -> first response (interpreter, imports, catalog, handler)
    )
    response_times_s: list[float]  # process start -> each response, in order
    import_s: float  # time to import the handler module inside the process
    modules_outside: list[
        str
    ]  # modules loaded from anywhere but the zip, the runtime dir or stdlib
    logs: str  # everything else the function wrote (stdout and stderr), as CloudWatch would get it
    # the process's CPU time (all threads) at each response: what a one-vCPU function spends
    cpu_times_s: list[float] = field(default_factory=list)


def apigw_event(
    method: str, path: str, body: dict | None = None, headers: Mapping[str, str] | None = None
) -> dict:
    """An API Gateway HTTP API (payload format 2.0) event, shaped as API Gateway sends it."""
    host = "abc123.execute-api.eu-west-1.amazonaws.com"
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": host, **(headers or {})},
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "abc123",
            "domainName": host,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "curl/8",
            },
            "requestId": f"local-{method.lower()}-{path.strip('/').replace('/', '-') or 'root'}",
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "timeEpoch": 1_767_225_600_000,
        },
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


def unpack(zip_path: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise PackageError(f"{dest} is not empty; the zip must be tested on its own")
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            archive.extract(info, dest)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(dest / info.filename, mode)
    return dest


def runtime_dir(repo_root: Path, cache_root: Path, target: Target, uv_bin: str) -> Path:
    """What Lambda's runtime provides (boto3, botocore, s3transfer at the locked versions), cached."""
    requirements = runtime_provided_requirements(repo_root, uv_bin)
    key = hashlib.sha256(f"{target.slug}\n{requirements}".encode()).hexdigest()[:16]
    cache_root.mkdir(parents=True, exist_ok=True)
    dest = cache_root / f"runtime-{target.slug}-{key}"
    if not (dest / ".complete").exists():
        tmp = Path(tempfile.mkdtemp(prefix=".runtime-", dir=cache_root))
        install_wheels(requirements, tmp, target, uv_bin)
        (tmp / ".complete").write_text("ok\n")
        if dest.exists() and not (dest / ".complete").exists():
            shutil.rmtree(dest, ignore_errors=True)  # a half-written one from a killed run
        try:
            os.replace(tmp, dest)
        except OSError:  # another run finished the same directory first: use theirs
            shutil.rmtree(tmp, ignore_errors=True)
            if not (dest / ".complete").exists():
                raise
    return dest


def cold_invoke(
    task_root: Path,
    runtime: Path,
    events: Sequence[dict],
    env: Mapping[str, str],
    *,
    python: str = sys.executable,
    timeout_s: float = 180.0,
) -> ColdStart:
    """Start a fresh interpreter, import ``app``, answer ``events`` in order; time the first answer."""
    with tempfile.TemporaryDirectory(prefix="aidj-invoke-") as tmp:
        events_path = Path(tmp) / "events.json"
        events_path.write_text(json.dumps(list(events)))
        # A scrubbed environment: nothing from this shell (proxies, AWS profiles, PYTHONPATH) leaks in.
        clean = {"PATH": "/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8", "TMPDIR": tmp, **env}
        started = time.perf_counter()
        process = subprocess.Popen(
            [python, "-I", "-S", "-c", _DRIVER, str(task_root), str(runtime), str(events_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # one pipe: a chatty stderr cannot fill up and stall the child
            text=True,
            env=clean,
            cwd=tmp,
        )
        times: list[float] = []
        lines: list[dict] = []
        logs: list[str] = []
        watchdog = threading.Timer(
            timeout_s, process.kill
        )  # a hung import must not hang the caller
        watchdog.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                if not line.startswith(MARKER):
                    logs.append(line)
                    continue
                times.append(time.perf_counter() - started)
                lines.append(json.loads(line[len(MARKER) :]))
            code = process.wait(timeout=timeout_s)
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
        if code != 0 or not lines or "import_s" not in lines[-1]:
            raise PackageError(
                f"the unpacked zip failed to answer (exit {code}):\n{''.join(logs)[-4000:]}"
            )
    summary = lines[-1]
    return ColdStart(
        responses=[line["response"] for line in lines[:-1]],
        first_response_s=times[0],
        response_times_s=times[: len(lines) - 1],
        import_s=summary["import_s"],
        modules_outside=summary["outside"],
        logs="".join(logs),
        cpu_times_s=[line.get("cpu_s", 0.0) for line in lines[:-1]],
    )
