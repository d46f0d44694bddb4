"""A real DynamoDB implementation for tests: dynalite (npm) on 127.0.0.1, in memory.

``tests/support/node/package.json`` lists it; ``cd tests/support/node && npm install
--no-package-lock`` installs it (.ci/run does). Without node or the package, tests that need it
skip with the reason.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from aidj_service.edge.serve_process import free_port, terminate
from tests.support.node_packages import INSTALL_COMMAND, not_installed

NODE_DIR = Path(__file__).resolve().parent / "node"
CLI = NODE_DIR / "node_modules" / "dynalite" / "cli.js"


class Dynalite:
    """``with Dynalite() as d: boto3.client("dynamodb", endpoint_url=d.url, ...)``."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.skip(
                "dynalite tests need node on PATH: apt-get install -y nodejs npm, then "
                + INSTALL_COMMAND
            )
        if not CLI.exists():
            pytest.skip(not_installed("dynalite", CLI))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process = subprocess.Popen(
            # tiny create/delete delays keep table creation fast, as a test wants it
            [
                node,
                str(CLI),
                "--port",
                str(self.port),
                "--host",
                "127.0.0.1",
                "--createTableMs",
                "0",
                "--deleteTableMs",
                "0",
                "--updateTableMs",
                "0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_ready()

    def _wait_ready(self, timeout_s: float = 15.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                err = (
                    self._process.stderr.read().decode(errors="replace")
                    if self._process.stderr
                    else ""
                )
                raise RuntimeError(f"dynalite exited with {self._process.returncode}: {err[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dynalite did not listen on port {self.port} within {timeout_s} s")

    def stop(self) -> None:
        terminate(self._process, timeout_s=5)

    def __enter__(self) -> Dynalite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
