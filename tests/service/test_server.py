"""The local server over real HTTP on 127.0.0.1: concurrency, body limits, preflight, workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from aidj_service.config import Settings
from aidj_service.edge.serve_process import free_port
from tests.service.conftest import LiveServer

CONCURRENT = 100


def post_many(url: str, user: str, n: int = CONCURRENT) -> list[int]:
    def post(i: int) -> int:
        with requests.Session() as session:
            response = session.post(
                f"{url}/playlist",
                json={"prompt": f"party hits {i}", "user_id": user, "limit": 5},
                timeout=60,
            )
            return response.status_code

    with ThreadPoolExecutor(32) as pool:
        return list(pool.map(post, range(n)))


def history_count(url: str, user: str) -> int:
    seen: set[str] = set()
    cursor = None
    while True:
        params = {"user_id": user, "limit": "100", **({"cursor": cursor} if cursor else {})}
        page = requests.get(f"{url}/playlists", params=params, timeout=10).json()
        seen.update(item["playlist_id"] for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return len(seen)


@pytest.mark.slow
def test_100_concurrent_posts_leave_100_entries_in_sqlite(live_server: LiveServer) -> None:
    statuses = post_many(live_server.url, "crowd")
    assert statuses == [200] * CONCURRENT
    assert history_count(live_server.url, "crowd") == CONCURRENT


@pytest.mark.slow
def test_100_concurrent_posts_leave_100_entries_in_dynalite(make_api, dynalite_store) -> None:
    server = LiveServer(make_api(store=dynalite_store)).start()
    try:
        statuses = post_many(server.url, "crowd")
        assert statuses == [200] * CONCURRENT
        assert history_count(server.url, "crowd") == CONCURRENT
    finally:
        server.stop()


def test_a_declared_oversized_body_is_refused_before_it_is_read(make_api) -> None:
    server = LiveServer(make_api(max_body_bytes=1024)).start()
    try:
        response = requests.post(
            f"{server.url}/playlist",
            data=b'{"prompt": "' + b"a" * 5000 + b'"}',
            headers={"content-type": "application/json"},
            timeout=10,
        )
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"
    finally:
        server.stop()


def test_a_chunked_oversized_body_is_refused(make_api) -> None:
    server = LiveServer(make_api(max_body_bytes=1024)).start()
    try:
        chunks = (b"x" * 512 for _ in range(8))  # no Content-Length: Transfer-Encoding: chunked
        response = requests.post(
            f"{server.url}/playlist",
            data=chunks,
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
        assert response.status_code == 413
    finally:
        server.stop()


def test_preflight_over_http_from_a_foreign_origin_gets_no_grant_locally(
    live_server: LiveServer,
) -> None:
    response = requests.options(
        f"{live_server.url}/playlist",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, idempotency-key",
        },
        timeout=10,
    )
    assert response.status_code == 204
    # local mode answers only its own page unless origins are configured: no CORS grant here
    assert "access-control-allow-origin" not in response.headers


def test_every_answer_carries_a_request_id(live_server: LiveServer) -> None:
    ok = requests.get(f"{live_server.url}/health", timeout=10)
    missing = requests.get(f"{live_server.url}/missing", timeout=10)
    assert ok.headers["x-request-id"] != missing.headers["x-request-id"]
    assert missing.json()["error"]["request_id"] == missing.headers["x-request-id"]


def test_settings_survive_the_trip_to_worker_processes() -> None:
    settings = Settings(
        spotify_client_id="cid",
        history="sqlite",
        db_path="/tmp/x.db",
        local_mode=True,
        cors_origins=("https://a.example", "https://b.example"),
        rate_limit_per_minute=7,
        max_body_bytes=999,
        interpreter="bedrock",
    )
    assert Settings.from_env(settings.to_env()) == settings


def test_a_loopback_server_is_local_and_a_public_one_is_not() -> None:
    assert Settings().for_host("127.0.0.1").local_mode is True
    assert Settings().for_host("0.0.0.0").local_mode is False
    assert Settings(local_mode=False).for_host("127.0.0.1").local_mode is False


@pytest.mark.slow
def test_serve_with_two_workers_answers(
    tmp_path: Path, catalog_path: Path, catalog_cache_dir: Path, dj
) -> None:
    """``serve(host, port, workers=2, settings)`` as ``aidj serve --workers 2`` runs it, in a subprocess.

    ``dj`` compiles the catalog cache first, so the workers only map it.
    """
    port = free_port()
    env = {
        **os.environ,
        "AIDJ_CATALOG": str(catalog_path),
        "AIDJ_CACHE_DIR": str(catalog_cache_dir),
        "AIDJ_DB_PATH": str(tmp_path / "history.sqlite3"),
    }
    env.pop("AIDJ_LOCAL_MODE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "aidj_service.edge.server", "127.0.0.1", str(port), "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/health", timeout=2)
                if health.status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or workers still loading on a busy machine
            assert process.poll() is None, process.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        assert health.json()["local_mode"] is True
        statuses = post_many(f"http://127.0.0.1:{port}", "workers", n=20)
        assert statuses == [200] * 20
        assert history_count(f"http://127.0.0.1:{port}", "workers") == 20
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_start_up_banner_is_information_not_a_warning(monkeypatch, capsys, tmp_path) -> None:
    import json
    import logging

    import uvicorn

    from aidj_service.edge.server import serve

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    service = logging.getLogger("aidj_service")
    before = (list(service.handlers), service.level, service.propagate)
    try:
        serve("127.0.0.1", free_port(), 1, Settings(db_path=str(tmp_path / "h.db")))
    finally:
        service.handlers[:], service.level, service.propagate = before
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    banner = [line for line in lines if line["message"].startswith("AI DJ on http://127.0.0.1:")]
    assert [line["level"] for line in banner] == ["info"]
