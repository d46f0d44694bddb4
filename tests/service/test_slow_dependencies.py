"""One slow dependency must not freeze the local server: a real server on 127.0.0.1 with its
engine blocked or its SQLite file write-locked by another connection."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from aidj_service.edge.server import DEFAULT_THREADS
from tests.service.conftest import LiveServer


class BlockedDJ:
    """The real DJ whose ``build`` waits until ``release`` is set (an engine that hangs)."""

    def __init__(self, dj: Any) -> None:
        self._dj = dj
        self.catalog, self.interpreter = dj.catalog, dj.interpreter
        self.release = threading.Event()
        self.entered = threading.Semaphore(0)

    def build(self, intent: Any, exclude_ids: Any = ()) -> Any:
        self.entered.release()
        self.release.wait(120)
        return self._dj.build(intent, exclude_ids)


@pytest.fixture
def blocked(dj) -> Iterator[BlockedDJ]:
    engine = BlockedDJ(dj)
    yield engine
    engine.release.set()


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another connection holding the history file's write lock, as a stuck writer would."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def post(url: str, i: int = 0) -> requests.Response:
    return requests.post(f"{url}/playlist", json={"prompt": f"jazz {i}", "limit": 3}, timeout=120)


def test_health_and_the_page_answer_while_every_engine_thread_is_stuck(
    make_api, blocked: BlockedDJ
) -> None:
    server = LiveServer(make_api(engine=blocked)).start()
    clients = ThreadPoolExecutor(DEFAULT_THREADS + 4)
    try:
        posts = [clients.submit(post, server.url, i) for i in range(DEFAULT_THREADS + 4)]
        for _ in range(DEFAULT_THREADS):  # every engine thread is now inside build()
            assert blocked.entered.acquire(timeout=120), "the engine threads never started"
        for path in ("/health", "/", "/static/app.js", "/config", "/openapi.json"):
            response = requests.get(server.url + path, timeout=60)
            assert response.status_code == 200, (path, response.text)
        assert not any(p.done() for p in posts)  # the engine was still stuck while they answered
        blocked.release.set()
        assert [p.result().status_code for p in posts] == [200] * len(posts)
    finally:
        blocked.release.set()
        clients.shutdown(wait=True)
        server.stop()


def test_a_request_still_waiting_at_its_deadline_is_answered_503(
    make_api, blocked: BlockedDJ
) -> None:
    server = LiveServer(make_api(engine=blocked, request_timeout_s=1.0)).start()
    try:
        response = post(server.url)
        assert response.status_code == 503, response.text
        assert response.json()["error"]["code"] == "deadline_exceeded"
        assert response.headers["retry-after"]
    finally:
        blocked.release.set()
        server.stop()


def test_a_write_locked_store_answers_503_and_health_stays_up(make_api, tmp_path: Path) -> None:
    locked_db = tmp_path / "locked.sqlite3"
    server = LiveServer(make_api(db_path=str(locked_db), store_timeout_s=1.0)).start()
    holder = hold_write_lock(locked_db)
    try:
        response = post(server.url)
        assert response.status_code == 503, response.text
        assert response.json()["error"]["code"] == "history_unavailable"
        assert requests.get(f"{server.url}/health", timeout=60).status_code == 200
        deep = requests.get(f"{server.url}/health", params={"deep": "1"}, timeout=60)
        assert deep.status_code == 503
        assert deep.json()["error"]["code"] == "history_unavailable"
        assert deep.json()["error"]["details"] == {"checks": {"history": "unavailable"}}
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    try:
        deep = requests.get(f"{server.url}/health", params={"deep": "1"}, timeout=60)
        assert deep.status_code == 200 and deep.json()["checks"]["history"] == "ok"
        assert post(server.url).status_code == 200
    finally:
        server.stop()


def test_the_deep_health_check_reads_a_dynamodb_store(make_api, dynalite_store) -> None:
    from tests.service.conftest import call

    api = make_api(store=dynalite_store)
    response = call(api, "GET", "/health", query={"deep": "1"})
    assert response.status == 200 and response.json_body()["checks"]["history"] == "ok"


# ---------------------------------------------------------------- forwarding headers


def test_x_forwarded_for_does_not_dodge_the_rate_limit(make_api) -> None:
    server = LiveServer(make_api(local_mode=False, rate_limit_per_minute=1)).start()
    try:
        first = requests.post(
            f"{server.url}/playlist",
            json={"prompt": "jazz", "limit": 3},
            headers={"X-Forwarded-For": "198.51.100.1"},
            timeout=60,
        )
        second = requests.post(
            f"{server.url}/playlist",
            json={"prompt": "jazz", "limit": 3},
            headers={"X-Forwarded-For": "198.51.100.2"},
            timeout=60,
        )
    finally:
        server.stop()
    assert first.status_code == 200 and second.status_code == 429


def test_x_forwarded_for_is_believed_from_a_configured_proxy(make_api) -> None:
    server = LiveServer(
        make_api(local_mode=False, rate_limit_per_minute=1), forwarded_allow_ips="127.0.0.1"
    ).start()
    try:
        codes = [
            requests.post(
                f"{server.url}/playlist",
                json={"prompt": "jazz", "limit": 3},
                headers={"X-Forwarded-For": f"198.51.100.{i}"},
                timeout=60,
            ).status_code
            for i in (1, 2)
        ]
    finally:
        server.stop()
    assert codes == [200, 200]  # two clients behind the proxy, one request each


# ---------------------------------------------------------------- malformed HTTP


def raw_exchange(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                head, _, rest = answer.partition(b"\r\n\r\n")
                headers = dict(
                    line.decode("latin-1").lower().split(": ", 1)
                    for line in head.split(b"\r\n")[1:]
                    if b": " in line
                )
                length = int(headers.get("content-length", "-1"))
                if length >= 0 and len(rest) >= length:
                    break
    status = int(head.split(b" ", 2)[1])
    if headers.get("transfer-encoding") == "chunked":
        size, _, rest = rest.partition(b"\r\n")
        rest = rest[: int(size, 16)]
    return status, headers, rest


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"FOO /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"POST /playlist HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n{}",
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    ],
    ids=["unknown-method", "bad-content-length", "two-content-lengths"],
)
def test_malformed_http_gets_the_json_error_shape(
    live_server: LiveServer, request_bytes: bytes
) -> None:
    status, headers, body = raw_exchange(live_server.port, request_bytes)
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    error = json.loads(body)["error"]
    assert error["code"] == "malformed_request" and error["request_id"] and error["message"]


def test_a_65_kb_url_gets_the_json_error_shape(live_server: LiveServer) -> None:
    status, headers, body = raw_exchange(
        live_server.port, b"GET /" + b"a" * 65_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    assert status == 414 and headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "uri_too_long"
    assert len(body) < 1000  # the path is not echoed back
