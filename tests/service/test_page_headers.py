"""The web page's security headers: one policy, sent as HTTP headers, the same locally and from Lambda."""

from __future__ import annotations

import requests

from aidj_service.edge import lambda_adapter
from tests.service.conftest import LiveServer, call
from tests.service.test_lambda import Context

PAGE_PATHS = ["/", "/static/app.js", "/static/style.css"]


def page_event(path: str) -> dict:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "example.execute-api.eu-west-1.amazonaws.com"},
        "requestContext": {
            "http": {"method": "GET", "path": path, "sourceIp": "203.0.113.9"},
            "requestId": "req-1",
        },
        "isBase64Encoded": False,
    }


def directives(policy: str) -> dict[str, str]:
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def test_the_page_sends_its_content_security_policy_as_a_header(api) -> None:
    policy = directives(call(api, "GET", "/").headers["content-security-policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_only_spotifys_embed_player_may_be_framed(api) -> None:
    policy = directives(call(api, "GET", "/").headers["content-security-policy"])
    assert policy["frame-src"] == "https://open.spotify.com"


def test_every_page_file_forbids_sniffing_framing_and_referrers(api) -> None:
    for path in PAGE_PATHS:
        headers = call(api, "GET", path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
        assert headers["x-frame-options"] == "DENY", path


def test_lambda_sends_the_same_security_headers_as_the_local_server(make_api) -> None:
    server = LiveServer(make_api()).start()
    # deployed mode, as in Lambda: API Gateway's host name is served there
    handler = lambda_adapter.make_handler(lambda: make_api(local_mode=False))
    names = (
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
        "x-frame-options",
    )
    try:
        for path in PAGE_PATHS:
            local = requests.get(server.url + path, timeout=10)
            result = handler(page_event(path), Context())
            assert result["statusCode"] == local.status_code == 200, path
            lambda_headers = {k.lower(): v for k, v in result["headers"].items()}
            assert {n: lambda_headers.get(n) for n in names} == {
                n: local.headers.get(n) for n in names
            }, path
            assert all(local.headers.get(n) for n in names), path
    finally:
        server.stop()
