"""A fault-injecting HTTP proxy in front of a real DynamoDB (dynalite) on 127.0.0.1.

boto3 talks to the proxy exactly as it would to DynamoDB, so its own retry logic meets the
faults: ``throttle`` answers ProvisionedThroughputExceededException *before* forwarding (nothing
written), ``lose_answer`` forwards the request (the write lands) and then answers
InternalServerError, as when DynamoDB applies a write but the answer never arrives.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#"


class DynamoFaultProxy:
    def __init__(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.faults: dict[str, deque[str]] = {}
        self.calls: list[tuple[str, str]] = []  # (operation, what happened)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def throttle(self, operation: str, times: int) -> None:
        self._add(operation, "throttle", times)

    def lose_answer(self, operation: str, times: int = 1) -> None:
        self._add(operation, "lose_answer", times)

    def _add(self, operation: str, kind: str, times: int) -> None:
        with self._lock:
            self.faults.setdefault(operation, deque()).extend([kind] * times)

    def next_fault(self, operation: str) -> str | None:
        with self._lock:
            queue = self.faults.get(operation)
            fault = queue.popleft() if queue else None
            self.calls.append((operation, fault or "forwarded"))
            return fault

    def count(self, operation: str, outcome: str | None = None) -> int:
        return sum(
            1 for op, what in self.calls if op == operation and (outcome is None or what == outcome)
        )

    def forward(
        self, body: bytes, headers: dict[str, str]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(*self.upstream, timeout=10)
        try:
            connection.request("POST", "/", body=body, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.getheaders(), answer.read()
        finally:
            connection.close()

    def __enter__(self) -> DynamoFaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _error(kind: str, message: str) -> bytes:
    return json.dumps({"__type": ERROR_PREFIX + kind, "message": message}).encode()


def _handler_for(proxy: DynamoFaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
            fault = proxy.next_fault(operation)
            if fault == "throttle":
                self._send(
                    400,
                    [],
                    _error(
                        "ProvisionedThroughputExceededException",
                        "The level of configured provisioned throughput for the table was exceeded.",
                    ),
                )
                return
            headers = {
                k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
            }
            status, answer_headers, answer = proxy.forward(body, headers)
            if fault == "lose_answer":
                self._send(500, [], _error("InternalServerError", "Internal server error"))
                return
            self._send(status, answer_headers, answer)

        def _send(self, status: int, headers: list[tuple[str, Any]], body: bytes) -> None:
            self.send_response(status)
            sent = set()
            for name, value in headers:
                if name.lower() in (
                    "content-length",
                    "connection",
                    "transfer-encoding",
                    "date",
                    "server",
                ):
                    continue
                self.send_header(name, value)
                sent.add(name.lower())
            if "content-type" not in sent:
                self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
