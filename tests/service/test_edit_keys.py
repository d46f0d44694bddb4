"""A playlist made without a sign-in is read-only to everyone but its maker, who holds its edit key.

Deployed mode, tried as an attacker would: through ``app.lambda_handler`` (API Gateway events
from other addresses) and through a real ``aidj serve`` server that is not in local mode.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import pytest
import requests

from aidj_service.edge import lambda_adapter
from aidj_service.operations.living import edit_keys
from tests.service.conftest import LiveServer, gateway_event
from tests.service.test_lambda import Context, body_of

PROMPT = {"prompt": "jazz for dinner", "limit": 8}
MAKER, STRANGER = "203.0.113.7", "198.51.100.99"


@pytest.fixture
def handler(make_api):
    api_holder: dict[str, Any] = {}

    def factory():
        api_holder["api"] = make_api(local_mode=False)
        return api_holder["api"]

    handle = lambda_adapter.make_handler(factory)
    handle.api_holder = api_holder  # type: ignore[attr-defined]
    return handle


def invoke(handler, method: str, path: str, body: Any = None, ip: str = MAKER, **headers: str):
    result = handler(gateway_event(method, path, body, headers, source_ip=ip), Context())
    return result["statusCode"], json.loads(body_of(result) or b"null")


def created(handler) -> tuple[str, str]:
    status, body = invoke(handler, "POST", "/playlist", PROMPT)
    assert status == 200, body
    return body["playlist_id"], body["edit_key"]


# ---------------------------------------------------------------- the key itself


def test_a_key_is_long_random_and_stored_only_as_its_sha256() -> None:
    key, digest = edit_keys.issue()
    assert len(key) >= 43 and key != edit_keys.issue()[0]
    assert digest == hashlib.sha256(key.encode()).hexdigest()
    assert edit_keys.matches(key, digest)


@pytest.mark.parametrize("stored", [None, "", 42, hashlib.sha256(b"other").hexdigest()])
def test_a_key_never_matches_a_missing_or_other_digest(stored: object) -> None:
    assert not edit_keys.matches("some-key", stored)


# ---------------------------------------------------------------- through app.lambda_handler


def test_the_creation_answer_carries_the_key_and_the_store_only_its_digest(handler) -> None:
    pid, key = created(handler)
    record = handler.api_holder["api"].store.get(pid)
    assert record.data[edit_keys.DIGEST_FIELD] == hashlib.sha256(key.encode()).hexdigest()
    assert key not in json.dumps(record.data)


def test_reading_it_never_shows_the_key_or_its_digest(handler) -> None:
    pid, key = created(handler)
    status, body = invoke(handler, "GET", f"/playlists/{pid}", ip=STRANGER)
    text = json.dumps(body)
    assert status == 200
    assert "edit_key" not in body and key not in text and edit_keys.DIGEST_FIELD not in text


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("POST", "versions", {"name": "defaced"}),
        ("POST", "versions", {"edits": [{"op": "swap", "track_id": "{first}"}]}),
        ("POST", "revert", {"version": 1}),
        ("POST", "extend", {"count": 1}),
        ("PUT", "schedule", {"every": "day"}),
        ("DELETE", "schedule", None),
    ],
)
def test_another_anonymous_caller_cannot_change_it(handler, method, suffix, body) -> None:
    pid, _ = created(handler)
    _, before = invoke(handler, "GET", f"/playlists/{pid}")
    if body and "edits" in body:
        body = {"edits": [{"op": "swap", "track_id": before["tracks"][0]["id"]}]}

    status, answer = invoke(handler, method, f"/playlists/{pid}/{suffix}", body, ip=STRANGER)

    assert status == 401 and answer["error"]["code"] == "edit_key_required"
    _, after = invoke(handler, "GET", f"/playlists/{pid}")
    assert after == before


def test_a_wrong_key_is_403_and_changes_nothing(handler) -> None:
    pid, key = created(handler)
    status, answer = invoke(
        handler,
        "POST",
        f"/playlists/{pid}/versions",
        {"name": "defaced"},
        ip=STRANGER,
        **{"Edit-Key": key[:-1] + ("A" if key[-1] != "A" else "B")},
    )
    assert status == 403 and answer["error"]["code"] == "edit_key_invalid"
    assert invoke(handler, "GET", f"/playlists/{pid}")[1]["name"] != "defaced"


def test_the_maker_changes_it_with_the_key_from_any_address(handler) -> None:
    pid, key = created(handler)
    status, answer = invoke(
        handler,
        "POST",
        f"/playlists/{pid}/extend",
        {"count": 2},
        ip=STRANGER,
        **{"Edit-Key": key},
    )
    assert status == 200, answer
    assert answer["version"] == 2 and "edit_key" not in answer
    status, answer = invoke(
        handler, "POST", f"/playlists/{pid}/revert", {"version": 1}, **{"Edit-Key": key}
    )
    assert status == 200 and answer["version"] == 3


def test_the_key_opens_only_its_own_playlist(handler) -> None:
    first, key = created(handler)
    second, _ = created(handler)
    status, _ = invoke(
        handler, "POST", f"/playlists/{second}/versions", {"name": "x"}, **{"Edit-Key": key}
    )
    assert status == 403
    assert (
        invoke(handler, "POST", f"/playlists/{first}/versions", {"name": "x"}, **{"Edit-Key": key})[
            0
        ]
        == 200
    )


def test_the_key_is_never_logged(handler, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        pid, key = created(handler)
        invoke(handler, "POST", f"/playlists/{pid}/versions", {"name": "x"}, **{"Edit-Key": key})
    assert caplog.records and all(key not in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------- through aidj serve (deployed mode)


def test_a_deployed_aidj_serve_keeps_anonymous_playlists_read_only_to_others(make_api) -> None:
    server = LiveServer(make_api(local_mode=False)).start()
    try:
        made = requests.post(f"{server.url}/playlist", json=PROMPT, timeout=60).json()
        pid, key = made["playlist_id"], made["edit_key"]
        url = f"{server.url}/playlists/{pid}/versions"

        stranger = requests.post(url, json={"name": "defaced"}, timeout=60)
        maker = requests.post(url, json={"name": "Mine"}, headers={"Edit-Key": key}, timeout=60)

        assert stranger.status_code == 401
        assert stranger.json()["error"]["code"] == "edit_key_required"
        assert maker.status_code == 200 and maker.json()["name"] == "Mine"
        assert requests.get(f"{server.url}/playlists/{pid}", timeout=60).status_code == 200
    finally:
        server.stop()


def test_a_local_server_issues_no_key(make_api) -> None:
    server = LiveServer(make_api()).start()
    try:
        made = requests.post(f"{server.url}/playlist", json=PROMPT, timeout=60).json()
        assert "edit_key" not in made
    finally:
        server.stop()


def test_the_lambda_as_deployed_keeps_only_the_digest_in_dynamodb(deployed_lambda) -> None:
    """The function's own start-up (DynamoDB, deployed mode), not a test-built Api."""
    import boto3

    from tests.service.conftest import TABLE

    pid, key = created(deployed_lambda)

    stranger = invoke(
        deployed_lambda, "POST", f"/playlists/{pid}/revert", {"version": 1}, ip=STRANGER
    )
    maker = invoke(
        deployed_lambda, "POST", f"/playlists/{pid}/extend", {"count": 1}, **{"Edit-Key": key}
    )

    assert stranger[0] == 401 and maker[0] == 200
    items = boto3.client("dynamodb", region_name="us-east-1").scan(TableName=TABLE)
    stored = [json.dumps(item) for item in items["Items"]]  # the head and version 1
    digest = hashlib.sha256(key.encode()).hexdigest()
    assert len(stored) == 2 and all(key not in text for text in stored)
    assert sum(digest in text for text in stored) == 1  # never in an archived version
