"""``aidj serve`` as a user starts it: a separate process on 127.0.0.1, its output captured.

The tests, the benchmarks and the documentation's screenshots all start the server this way; it
lives here, beside the command it starts, so none of them imports another's folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def terminate(process: subprocess.Popen, timeout_s: float) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``timeout_s``; always reaped."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def aidj_command() -> list[str]:
    beside = Path(sys.executable).with_name("aidj")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("aidj")
    if found:
        return [found]
    return [sys.executable, "-m", "aidj_service.cli"]


class ServeProcess:
    """``with ServeProcess(env, log_path) as server: requests.get(server.url + "/health")``."""

    def __init__(
        self, env: dict[str, str], log_path: Path, *, workers: int = 1, startup_s: float = 90.0
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {**os.environ, **env}
        self.workers = workers
        self.startup_s = startup_s
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServeProcess:
        self._log = open(self.log_path, "wb")  # noqa: SIM115  (open for the child's lifetime; closed in stop())
        self.process = subprocess.Popen(
            [
                *aidj_command(),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + self.startup_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"aidj serve exited with {self.process.returncode}:\n{self.output()[-2000:]}"
                )
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"aidj serve did not answer /health within {self.startup_s} s:\n{self.output()[-2000:]}"
        )

    def rss_mb(self) -> float:
        """Resident memory of the server and its worker processes together."""
        assert self.process is not None
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is not None:
            terminate(self.process, timeout_s=15)
        self._log.close()

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
