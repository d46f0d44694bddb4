"""The Lambda adapter: real API Gateway v2 events in, the same answers as the local server out."""

from __future__ import annotations

import base64
import copy
import json
import time
from typing import Any

import pytest
import requests

import app as lambda_entry
from aidj_service.edge import lambda_adapter
from aidj_service.edge.http import Response
from tests.service.conftest import FIXTURES, TABLE, LiveServer

EVENTS = sorted(p.name for p in FIXTURES.glob("*.json"))
VOLATILE = {
    "playlist_id",
    "created_at",
    "updated_at",
    "exports",
    "request_id",
    "build_ms",
    "edit_key",
}


class Context:
    """What Lambda passes as ``context`` (the parts the adapter reads)."""

    def __init__(self, remaining_ms: int = 30_000) -> None:
        self.aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
        self._until = time.monotonic() + remaining_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._until - time.monotonic()) * 1000))


def deployed(make_api: Any) -> Any:
    """An Api as Lambda builds it: never in local mode (API Gateway's Host is no loopback name)."""
    return lambda: make_api(local_mode=False)


def load_event(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def body_of(result: dict[str, Any]) -> bytes:
    body = result.get("body") or ""
    return base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")


def comparable(raw: bytes, content_type: str) -> Any:
    """The answer without what legitimately differs between two calls (ids, times)."""
    if not content_type.startswith("application/json"):
        return raw

    def scrub(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: scrub(v) for k, v in node.items() if k not in VOLATILE}
        if isinstance(node, list):
            return [scrub(v) for v in node]
        return node

    return scrub(json.loads(raw))


def test_the_lambda_entry_module_exports_the_adapter() -> None:
    assert lambda_entry.lambda_handler is lambda_adapter.lambda_handler


@pytest.mark.parametrize("name", EVENTS)
def test_every_fixture_is_a_payload_v2_event(name: str) -> None:
    event = load_event(name)
    assert event["version"] == "2.0"
    assert event["routeKey"] == event["requestContext"]["routeKey"]
    assert event["rawPath"] == event["requestContext"]["http"]["path"]
    assert all(key == key.lower() for key in event["headers"])
    assert {"method", "sourceIp"} <= set(event["requestContext"]["http"])


def test_a_base64_body_is_decoded(make_api) -> None:
    handler = lambda_adapter.make_handler(deployed(make_api))
    result = handler(load_event("post_playlist_base64.json"), Context())
    body = json.loads(body_of(result))
    assert result["statusCode"] == 200
    assert body["prompt"] == "música tranquila para dormir" and body["tracks_count"] == 8


def test_query_strings_reach_the_route(make_api) -> None:
    # listing without a Spotify token needs local mode; the fixture's API Gateway host is allowed
    host = load_event("get_playlists.json")["headers"]["host"]
    handler = lambda_adapter.make_handler(lambda: make_api(allowed_hosts=(host,)))
    for _ in range(3):
        handler(load_event("post_playlist.json"), Context())
    result = handler(load_event("get_playlists.json"), Context())
    body = json.loads(body_of(result))
    assert len(body["items"]) == 2 and body["next_cursor"]


def test_the_request_id_is_api_gateways(make_api) -> None:
    result = lambda_adapter.make_handler(deployed(make_api))(
        load_event("post_playlist_missing_prompt.json"), Context()
    )
    assert result["statusCode"] == 422
    assert json.loads(result["body"])["error"]["request_id"] == "Yk3rGj2sjoEEJbD="
    assert result["headers"]["x-request-id"] == "Yk3rGj2sjoEEJbD="


def test_something_that_is_not_an_http_api_event_is_400_json(make_api) -> None:
    result = lambda_adapter.make_handler(deployed(make_api))({"Records": []}, Context())
    assert result["statusCode"] == 400
    assert json.loads(result["body"])["error"]["code"] == "invalid_event"


def test_binary_bodies_leave_base64_encoded() -> None:
    result = lambda_adapter.to_result(
        Response(200, b"\x89PNG\r\n\x1a\n", {"content-type": "image/png"})
    )
    assert (
        result["isBase64Encoded"] is True
        and base64.b64decode(result["body"]) == b"\x89PNG\r\n\x1a\n"
    )


@pytest.mark.parametrize(
    ("remaining_ms", "request_timeout_s"),
    [
        (2500, 25.0),  # the invocation ends first: answer before Lambda kills the function
        (900_000, 1.5),  # plenty of invocation left: the service's deadline still applies
    ],
    ids=["remaining-time", "request-deadline"],
)
def test_spotify_calls_stop_at_the_earlier_of_remaining_time_and_deadline(
    make_api, spotify, remaining_ms: int, request_timeout_s: float
) -> None:
    spotify.slow(10.0, times=None, path=r"/me$")
    handler = lambda_adapter.make_handler(
        lambda: make_api(
            local_mode=False, spotify_api_url=spotify.url, request_timeout_s=request_timeout_s
        )
    )
    event = load_event("post_playlist.json")
    event["body"] = json.dumps({"prompt": "calm piano", "spotify_access_token": spotify.token})

    started = time.monotonic()
    result = handler(event, Context(remaining_ms=remaining_ms))

    # unbounded, one attempt alone would wait out the Spotify client's 5 s timeout
    assert time.monotonic() - started < 4.5
    assert result["statusCode"] == 503
    assert result["headers"]["content-type"].startswith("application/json")
    assert json.loads(result["body"])["error"]["code"] == "spotify_unavailable"


def test_a_long_invocation_still_hands_the_request_the_service_deadline(make_api) -> None:
    api = make_api(local_mode=False, request_timeout_s=2.0)
    budgets: list[float | None] = []
    answer = api.handle

    def recording(request):
        budgets.append(request.remaining_s())
        return answer(request)

    api.handle = recording
    handler = lambda_adapter.make_handler(lambda: api)

    handler(load_event("get_health.json"), Context(remaining_ms=900_000))

    (left,) = budgets
    assert left is not None and 0 < left <= 2.0  # not the 15 minutes Lambda would allow


def test_lambda_answers_like_the_local_server(make_api) -> None:
    """Same events, same answers: the adapters add nothing and lose nothing."""
    server = LiveServer(make_api(local_mode=False)).start()
    handler = lambda_adapter.make_handler(deployed(make_api))
    try:
        with requests.Session() as http:
            for name in EVENTS:
                event = load_event(name)
                result = handler(copy.deepcopy(event), Context())
                local = http.request(
                    event["requestContext"]["http"]["method"],
                    server.url
                    + event["rawPath"]
                    + ("?" + event["rawQueryString"] if event["rawQueryString"] else ""),
                    data=body_of(
                        {"body": event.get("body"), "isBase64Encoded": event["isBase64Encoded"]}
                    ),
                    headers={
                        k: v
                        for k, v in event["headers"].items()
                        if k not in ("host", "content-length")
                    },
                )
                ctype = result["headers"].get("content-type", "")
                assert result["statusCode"] == local.status_code, name
                assert ctype == local.headers.get("content-type", ""), name
                assert comparable(body_of(result), ctype) == comparable(local.content, ctype), name
    finally:
        server.stop()


def test_in_lambda_the_defaults_are_dynamodb_and_deployed_mode(deployed_lambda) -> None:
    import boto3

    event = load_event("post_playlist.json")
    event["body"] = json.dumps(
        {"prompt": "jazz for a rainy day", "user_id": "not-trusted", "limit": 5}
    )

    created = json.loads(deployed_lambda(event, Context())["body"])
    health = json.loads(deployed_lambda(load_event("get_health.json"), Context())["body"])
    listing = deployed_lambda(load_event("get_playlists.json"), Context())

    assert health["history"] == "dynamodb" and health["local_mode"] is False
    items = boto3.client("dynamodb", region_name="us-east-1").scan(TableName=TABLE)["Items"]
    assert [i["user_id"]["S"] for i in items] == ["anonymous"]
    assert items[0]["playlist_id"]["S"] == created["playlist_id"]
    assert items[0]["sk"]["S"] == f"{created['created_at']}#{created['playlist_id']}"
    assert listing["statusCode"] == 401


def test_a_function_that_cannot_start_answers_503_json_and_tries_again_next_time(make_api) -> None:
    attempts = []

    def factory():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("catalog not found: /var/task/catalog")
        return make_api(local_mode=False)

    handler = lambda_adapter.make_handler(factory)
    failed = handler(load_event("get_health.json"), Context())
    recovered = handler(load_event("get_health.json"), Context())

    error = json.loads(failed["body"])["error"]
    assert failed["statusCode"] == 503 and failed["headers"]["retry-after"] == "30"
    assert "/var/task" not in error["message"] and error["request_id"] in error["message"]
    assert recovered["statusCode"] == 200


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("body", {"prompt": "jazz"}, "body"),
        ("body", ["jazz"], "body"),
        ("cookies", [1, 2], "cookies"),
        ("cookies", "session=1", "cookies"),
        ("headers", ["content-type: application/json"], "headers"),
        ("rawQueryString", {"limit": 2}, "rawQueryString"),
        ("requestContext", "not an object", "requestContext"),
    ],
)
def test_a_malformed_event_field_is_400_json_not_a_crash(
    make_api, field: str, value: Any, named: str
) -> None:
    event = load_event("post_playlist.json")
    event[field] = value
    result = lambda_adapter.make_handler(deployed(make_api))(event, Context())
    assert result["statusCode"] == 400
    error = json.loads(result["body"])["error"]
    assert error["code"] == "invalid_event" and named in error["message"]
