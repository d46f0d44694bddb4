"""Local mode trusts the body's user_id, so a web page elsewhere must not be able to use it.

Each test is one way a page on another site (or a DNS-rebinding host name) could reach a user's
``aidj serve`` on 127.0.0.1, tried against a real server there.
"""

from __future__ import annotations

import json

import requests

from tests.service.conftest import LiveServer

PROMPT = {"prompt": "a 30 minute jazz set for dinner", "user_id": "victim", "limit": 3}


def history(server: LiveServer) -> list[dict]:
    return requests.get(f"{server.url}/playlists", params={"user_id": "victim"}, timeout=30).json()[
        "items"
    ]


def assert_error(response: requests.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["code"] == code


def test_a_text_plain_post_without_preflight_is_refused(live_server: LiveServer) -> None:
    response = requests.post(
        f"{live_server.url}/playlist",
        data=json.dumps(PROMPT),
        headers={"Content-Type": "text/plain;charset=UTF-8"},
        timeout=30,
    )
    assert_error(response, 415, "unsupported_media_type")
    assert history(live_server) == []


def test_a_form_post_is_refused(live_server: LiveServer) -> None:
    response = requests.post(f"{live_server.url}/playlist", data={"prompt": "jazz"}, timeout=30)
    assert_error(response, 415, "unsupported_media_type")


def test_a_post_from_a_foreign_origin_is_refused_and_writes_nothing(
    live_server: LiveServer,
) -> None:
    response = requests.post(
        f"{live_server.url}/playlist",
        json=PROMPT,
        headers={"Origin": "https://evil.example"},
        timeout=30,
    )
    assert_error(response, 403, "origin_not_allowed")
    assert "evil.example" in response.json()["error"]["message"]
    assert history(live_server) == []


def test_an_opaque_null_origin_is_foreign(live_server: LiveServer) -> None:
    response = requests.post(
        f"{live_server.url}/playlist", json=PROMPT, headers={"Origin": "null"}, timeout=30
    )
    assert_error(response, 403, "origin_not_allowed")


def test_the_pages_own_origin_may_post(live_server: LiveServer) -> None:
    response = requests.post(
        f"{live_server.url}/playlist", json=PROMPT, headers={"Origin": live_server.url}, timeout=60
    )
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == live_server.url
    assert len(history(live_server)) == 1


def test_tools_without_an_origin_may_post(live_server: LiveServer) -> None:
    response = requests.post(f"{live_server.url}/playlist", json=PROMPT, timeout=60)
    assert response.status_code == 200, response.text


def test_a_configured_origin_may_post(make_api) -> None:
    server = LiveServer(make_api(cors_origins=("http://localhost:3000",))).start()
    try:
        response = requests.post(
            f"{server.url}/playlist",
            json=PROMPT,
            headers={"Origin": "http://localhost:3000"},
            timeout=60,
        )
    finally:
        server.stop()
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_a_foreign_page_cannot_read_the_history(live_server: LiveServer) -> None:
    requests.post(f"{live_server.url}/playlist", json=PROMPT, timeout=60)
    response = requests.get(
        f"{live_server.url}/playlists",
        params={"user_id": "victim"},
        headers={"Origin": "https://evil.example"},
        timeout=30,
    )
    # the browser withholds an answer without a CORS grant from the page that asked
    assert "access-control-allow-origin" not in response.headers


def test_a_rebound_host_name_is_refused_on_every_route(live_server: LiveServer) -> None:
    for method, path in (("GET", "/playlists?user_id=victim"), ("GET", "/"), ("POST", "/playlist")):
        response = requests.request(
            method,
            f"{live_server.url}{path}",
            json=PROMPT if method == "POST" else None,
            headers={"Host": f"attacker.example:{live_server.port}"},
            timeout=30,
        )
        assert_error(response, 403, "host_not_allowed")
    assert history(live_server) == []


def test_loopback_names_are_served(live_server: LiveServer) -> None:
    for host in ("127.0.0.1", "localhost", "[::1]"):
        response = requests.get(
            f"{live_server.url}/health", headers={"Host": f"{host}:{live_server.port}"}, timeout=30
        )
        assert response.status_code == 200, (host, response.text)


def test_a_configured_host_name_is_served(make_api) -> None:
    server = LiveServer(make_api(allowed_hosts=("dj.lan",))).start()
    try:
        response = requests.get(f"{server.url}/health", headers={"Host": "dj.lan:8000"}, timeout=30)
    finally:
        server.stop()
    assert response.status_code == 200, response.text


def test_a_deployed_service_takes_any_origin_and_host(make_api) -> None:
    # deployed, nothing trusts the body's user_id or a cookie: a bearer token is the only identity
    server = LiveServer(make_api(local_mode=False)).start()
    try:
        response = requests.post(
            f"{server.url}/playlist",
            json={"prompt": "jazz", "limit": 3},
            headers={"Origin": "https://dj.example.com", "Host": "api.example.com"},
            timeout=60,
        )
    finally:
        server.stop()
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"


def test_a_post_without_a_content_type_is_refused_and_writes_nothing(
    live_server: LiveServer,
) -> None:
    response = requests.post(
        f"{live_server.url}/playlist", data=json.dumps(PROMPT).encode(), timeout=30
    )
    assert "content-type" not in response.request.headers
    assert_error(response, 415, "unsupported_media_type")
    assert "no Content-Type" in response.json()["error"]["message"]
    assert history(live_server) == []


def raw_request(server: LiveServer, request: bytes) -> tuple[int, dict]:
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    # the body may come chunked: the JSON object is what lies between its outer braces
    return int(head.split()[1]), json.loads(body[body.index(b"{") : body.rindex(b"}") + 1])


def test_a_request_without_a_host_is_refused(live_server: LiveServer) -> None:
    body = json.dumps(PROMPT).encode()
    status, answer = raw_request(
        live_server,
        b"POST /playlist HTTP/1.0\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body,
    )
    assert status == 400 and answer["error"]["code"] == "host_missing"
    assert history(live_server) == []


def test_a_read_without_a_host_is_refused_too(live_server: LiveServer) -> None:
    status, answer = raw_request(live_server, b"GET /playlists?user_id=victim HTTP/1.0\r\n\r\n")
    assert status == 400 and answer["error"]["code"] == "host_missing"


def test_the_guard_refuses_both_in_process_too(make_api) -> None:
    from tests.service.conftest import call

    api = make_api()
    no_type = call(api, "POST", "/playlist", PROMPT, headers={"content-type": None})
    no_host = call(api, "GET", "/health", headers={"host": None})
    assert (no_type.status, no_type.json_body()["error"]["code"]) == (415, "unsupported_media_type")
    assert (no_host.status, no_host.json_body()["error"]["code"]) == (400, "host_missing")


def test_a_deployed_server_needs_neither(make_api) -> None:
    from tests.service.conftest import call

    api = make_api(local_mode=False)
    headers = {"content-type": None, "host": None}
    assert (
        call(api, "POST", "/playlist", {"prompt": "jazz", "limit": 3}, headers=headers).status
        == 200
    )
