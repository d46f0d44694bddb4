"""Every answer says how it may be sniffed, cached and framed; the page keeps its own policy.

One middleware step (``edge/middleware.security_headers``) sets them, so JSON answers, errors,
downloads and the answers the adapters make themselves all carry them.
"""

from __future__ import annotations

import socket

import pytest
import requests

from aidj_service.edge import lambda_adapter
from aidj_service.edge.middleware import API_CONTENT_SECURITY_POLICY
from aidj_service.edge.static import CONTENT_SECURITY_POLICY
from tests.service.conftest import LiveServer, call, gateway_event
from tests.service.test_lambda import Context

PROMPT = {"prompt": "jazz for dinner", "limit": 5}


def assert_api_headers(headers, cache: str = "no-store") -> None:
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == cache
    assert headers["content-security-policy"] == API_CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/health", None),
        ("GET", "/playlists", None),
        ("GET", "/config", None),
        ("POST", "/playlist", PROMPT),
        ("POST", "/playlist", {"promt": "typo"}),  # a 422
        ("GET", "/no/such/route", None),  # a 404 before any route
        ("GET", "/playlists/0f8c2a9e-1d4b-4c6e-9a7f-3b5d8e2c1a41", None),
        ("OPTIONS", "/playlist", None),
    ],
)
def test_json_answers_and_errors_are_not_sniffed_cached_or_framed(api, method, path, body) -> None:
    assert_api_headers(call(api, method, path, body).headers)


def test_a_download_is_personal_too(api) -> None:
    pid = call(api, "POST", "/playlist", PROMPT).json_body()["playlist_id"]
    assert_api_headers(call(api, "GET", f"/playlists/{pid}.m3u8").headers)


def test_the_api_description_is_public_and_may_be_cached(api) -> None:
    assert_api_headers(call(api, "GET", "/openapi.json").headers, cache="public, max-age=300")


@pytest.mark.parametrize("path", ["/", "/static/app.js"])
def test_the_page_keeps_its_own_policy_and_caching(api, path: str) -> None:
    headers = call(api, "GET", path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] != "no-store"


def test_lambda_answers_carry_them(make_api) -> None:
    handler = lambda_adapter.make_handler(lambda: make_api(local_mode=False))
    for event in (
        gateway_event("POST", "/playlist", PROMPT),
        gateway_event("GET", "/health"),
        gateway_event("POST", "/playlist", {"prompt": ""}),
    ):
        assert_api_headers(handler(event, Context())["headers"])


def test_the_adapters_own_refusals_carry_them(make_api) -> None:
    handler = lambda_adapter.make_handler(lambda: make_api(local_mode=False))
    assert_api_headers(handler({"Records": []}, Context())["headers"])


def test_a_live_server_sends_them_even_for_unparseable_http(live_server: LiveServer) -> None:
    assert_api_headers(requests.get(f"{live_server.url}/health", timeout=30).headers)
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n")
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head = raw.split(b"\r\n\r\n", 1)[0].decode().lower()
    assert head.startswith("http/1.1 400")
    assert "x-content-type-options: nosniff" in head and "cache-control: no-store" in head
