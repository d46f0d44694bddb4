"""Control characters never get past the edge: prompts are stored clean, names hold no line breaks."""

from __future__ import annotations

import json

import pytest
import requests

from aidj_service.edge import lambda_adapter
from aidj_service.models import PlaylistRequest, VersionRequest, plain_text
from tests.service.conftest import LiveServer, call, gateway_event
from tests.service.test_lambda import Context, body_of

HOSTILE = "jazz\x00 for\x1b[31m dinner\u202e\r\nSet-Cookie: x=1\x7f\x9b"
CLEAN = "jazz for[31m dinner Set-Cookie: x=1"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x00b", "ab"),
        ("line\none", "line one"),
        ("tab\there", "tab here"),
        ("crlf\r\nend", "crlf end"),
        ("bidi \u202eevil\u202c", "bidi evil"),
        ("isolates \u2066x\u2069", "isolates x"),
        ("c1\x85next \x9bcsi", "c1 next csi"),
        (
            "emoji \U0001f3b7 and ZWJ \U0001f468\u200d\U0001f3a4",
            "emoji \U0001f3b7 and ZWJ \U0001f468\u200d\U0001f3a4",
        ),
        ("música tranquila", "música tranquila"),
    ],
)
def test_plain_text_drops_controls_and_turns_breaks_into_spaces(raw: str, clean: str) -> None:
    assert plain_text(raw) == clean


def test_a_prompt_is_cleaned_when_it_is_read() -> None:
    assert PlaylistRequest(prompt=HOSTILE).prompt == CLEAN
    assert VersionRequest(prompt=HOSTILE).prompt == CLEAN


def test_a_prompt_of_only_controls_is_empty_and_refused() -> None:
    with pytest.raises(ValueError, match="is empty"):
        PlaylistRequest(prompt="\x00\x07\r\n\x1b")


def test_a_name_keeps_no_line_break() -> None:
    assert VersionRequest(name="Sunday\nrun\r\n\x00").name == "Sunday run"


def assert_clean(answer: dict) -> None:
    assert answer["prompt"] == CLEAN
    for text in (answer["prompt"], answer["name"], answer["parameters"]["playlist_name"]):
        assert text.isprintable(), text


def test_through_lambda_the_stored_prompt_and_name_are_clean(make_api) -> None:
    holder = {}

    def factory():
        holder["api"] = make_api(local_mode=False)
        return holder["api"]

    handler = lambda_adapter.make_handler(factory)
    result = handler(gateway_event("POST", "/playlist", {"prompt": HOSTILE, "limit": 5}), Context())
    answer = json.loads(body_of(result))
    assert result["statusCode"] == 200
    assert_clean(answer)
    assert holder["api"].store.get(answer["playlist_id"]).data["prompt"] == CLEAN


def test_through_aidj_serve_the_stored_prompt_and_name_are_clean(live_server: LiveServer) -> None:
    made = requests.post(
        f"{live_server.url}/playlist", json={"prompt": HOSTILE, "limit": 5}, timeout=60
    )
    assert made.status_code == 200
    stored = requests.get(f"{live_server.url}/playlists/{made.json()['playlist_id']}", timeout=60)
    assert_clean(stored.json())


def test_a_refine_prompt_is_cleaned_too(api) -> None:
    pid = call(api, "POST", "/playlist", {"prompt": "jazz for dinner", "limit": 5}).json_body()[
        "playlist_id"
    ]
    response = call(api, "POST", f"/playlists/{pid}/versions", {"prompt": "more\x00 upbeat\n"})
    assert response.status == 200
    assert response.json_body()["cause"] == "refine: more upbeat"
