"""What the fake music platforms share: a real HTTP server on 127.0.0.1, a request log, faults.

Each fake (:mod:`fake_apple_music`, :mod:`fake_youtube`, :mod:`fake_subsonic`) subclasses
:class:`FakePlatform` and answers in :meth:`FakePlatform.route` with its platform's published
paths and JSON shapes; this base parses requests, records them and applies faults:

- ``Fault(status=500, path="playlists")`` answers instead of the platform;
- ``Fault(status=500, path="playlists", after_applying=True)`` lets the platform do the work
  and then answers 500, as when an answer is lost on its way back (the case that makes naive
  clients create a playlist twice).

``before`` (a function of the request) runs before each request is answered, outside the lock:
a test can hold requests there, e.g. until two concurrent deliveries both reach one step.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, dict[str, str], Any]


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]  # every value: Subsonic repeats songId
    body: Any
    headers: dict[str, str]

    def one(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass
class Fault:
    status: int
    method: str | None = None
    path: str | None = None  # a regular expression searched in the path
    times: int = 1
    after: int = 0  # matching requests let through first
    after_applying: bool = False
    body: Any = None
    seen: int = 0
    fired: int = 0

    def take(self, method: str, path: str) -> bool:
        if (self.method and self.method != method) or (
            self.path and not re.search(self.path, path)
        ):
            return False
        self.seen += 1
        if self.seen <= self.after or self.fired >= self.times:
            return False
        self.fired += 1
        return True


class FakePlatform:
    """The server, its request log and its fault list. Subclasses implement :meth:`route`."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.before: Callable[[Recorded], None] | None = None
        self.lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self):
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_fault(self, fault: Fault) -> Fault:
        with self.lock:
            self.faults.append(fault)
        return fault

    def requests_to(self, method: str, pattern: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    def route(self, request: Recorded) -> Answer:
        raise NotImplementedError

    def error(self, status: int, message: str) -> Any:
        """The platform's error body for a fault."""
        return {"error": {"code": status, "message": message}}

    def handle(self, method: str, raw_path: str, headers: dict[str, str], raw: bytes) -> Answer:
        parts = urlsplit(raw_path)
        query = parse_qs(parts.query, keep_blank_values=True)
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        request = Recorded(method, parts.path, query, body, headers)
        if self.before is not None:
            self.before(request)
        with self.lock:
            self.requests.append(request)
            fault = next((f for f in self.faults if f.take(method, parts.path)), None)
        if fault is not None and not fault.after_applying:
            return fault.status, {}, fault.body or self.error(fault.status, "Fault")
        answer = self.route(request)
        if fault is not None:
            return fault.status, {}, fault.body or self.error(fault.status, "Fault")
        return answer


def _handler_for(fake: FakePlatform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, body = fake.handle(self.command, self.path, headers, raw)
            payload = b"" if body is None else json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


def no_sleep(seconds: float) -> None:
    """For clients under test: retries without waiting (the fakes answer at once)."""
    time.sleep(0)
