"""/openapi.json is a valid OpenAPI 3.1 document and every answer the API gives matches it."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate

from aidj_service.edge.api import Api
from aidj_service.edge.http import Response
from tests.service.conftest import FailingDJ, call
from tests.support.fake_spotify import FakeSpotify

PROMPT = "energetic music for working out"


@pytest.fixture(scope="module")
def document(dj, tmp_path_factory) -> dict[str, Any]:
    from aidj_service.config import Settings

    api = Api(Settings(db_path=str(tmp_path_factory.mktemp("openapi") / "h.db")), dj=dj)
    return json.loads(call(api, "GET", "/openapi.json").body)


def template_for(document: dict[str, Any], path: str) -> str:
    """The documented template of a concrete path; ``/playlists/x.m3u8`` is the export operation."""
    matches = []
    for template in document["paths"]:
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+?", re.escape(template)) + "$"
        if re.match(pattern, path):
            matches.append(template)
    assert matches, f"{path} is not documented"
    return max(matches, key=len)  # the most specific one ({id}.{format} over {id})


def check(document: dict[str, Any], method: str, path: str, response: Response) -> None:
    operation = document["paths"][template_for(document, path)][method.lower()]
    documented = operation["responses"].get(str(response.status))
    assert documented is not None, (
        f"{method} {path} answered {response.status}, which is not documented"
    )
    media = response.headers["content-type"].split(";")[0]
    content = documented["content"]
    assert media in content or "*/*" in content, f"{method} {path}: {media} not documented"
    if media == "application/json" and "$ref" in content[media]["schema"]:
        schema = {**content[media]["schema"], "components": document["components"]}
        errors = [
            e.message
            for e in jsonschema.Draft202012Validator(schema).iter_errors(response.json_body())
        ]
        assert not errors, f"{method} {path} {response.status}: {errors[:5]}"


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"] == "3.1.0"


def test_every_route_is_documented_and_nothing_else(api: Api, document: dict[str, Any]) -> None:
    routed = {
        (r.method.lower(), r.template.replace("{id}", "{playlist_id}").replace("{path+}", "{path}"))
        for r in api.router.routes
    }
    documented = {
        (m, p)
        for p, ops in document["paths"].items()
        for m in ops
        if p != "/playlists/{playlist_id}.{format}"
    }
    assert routed == documented


def test_the_request_schema_states_the_rules_the_api_enforces(document: dict[str, Any]) -> None:
    schema = document["components"]["schemas"]["PlaylistRequest"]
    assert schema["required"] == ["prompt"]
    assert schema["additionalProperties"] is False
    assert (
        schema["properties"]["prompt"]["minLength"],
        schema["properties"]["prompt"]["maxLength"],
    ) == (1, 1000)
    limit = next(s for s in schema["properties"]["limit"]["anyOf"] if s.get("type") == "integer")
    assert (limit["minimum"], limit["maximum"]) == (1, 100)


def test_successful_answers_match_the_document(api: Api, document: dict[str, Any]) -> None:
    created = call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 5})
    pid = created.json_body()["playlist_id"]
    refined = call(
        api,
        "POST",
        "/playlist",
        {"prompt": "no rap, shorter", "base_parameters": created.json_body()["parameters"]},
    )
    answers = [
        ("POST", "/playlist", created),
        ("POST", "/playlist", refined),
        ("GET", f"/playlists/{pid}", call(api, "GET", f"/playlists/{pid}")),
        ("GET", f"/playlists/{pid}.m3u8", call(api, "GET", f"/playlists/{pid}.m3u8")),
        ("GET", f"/playlists/{pid}.xspf", call(api, "GET", f"/playlists/{pid}.xspf")),
        ("GET", f"/playlists/{pid}.json", call(api, "GET", f"/playlists/{pid}.json")),
        ("GET", "/playlists", call(api, "GET", "/playlists", query={"limit": "1"})),
        ("GET", "/health", call(api, "GET", "/health")),
        ("GET", "/config", call(api, "GET", "/config")),
        ("GET", "/openapi.json", call(api, "GET", "/openapi.json")),
        ("GET", "/", call(api, "GET", "/")),
        ("GET", "/static/style.css", call(api, "GET", "/static/style.css")),
    ]
    for method, path, response in answers:
        assert response.status == 200, (path, response.body[:200])
        check(document, method, path, response)


def test_error_answers_match_the_document(make_api, dj, document: dict[str, Any]) -> None:
    api = make_api(rate_limit_per_minute=1, max_body_bytes=4096)
    answers = [
        ("POST", "/playlist", call(api, "POST", "/playlist", b"{oops")),
        ("POST", "/playlist", call(api, "POST", "/playlist", {"prompt": ""})),
        ("POST", "/playlist", call(api, "POST", "/playlist", b"x" * 5000)),
        (
            "POST",
            "/playlist",
            call(api, "POST", "/playlist", {"prompt": PROMPT}, {"Idempotency-Key": "bad key"}),
        ),
        ("POST", "/playlist", call(api, "POST", "/playlist", {"prompt": PROMPT})),
        ("POST", "/playlist", call(api, "POST", "/playlist", {"prompt": PROMPT})),  # rate limited
        ("GET", "/playlists", call(api, "GET", "/playlists", query={"limit": "0"})),
        ("GET", "/playlists", call(api, "GET", "/playlists", query={"cursor": "zzz"})),
        (
            "GET",
            "/playlists/0f8c2a9e-1d4b-4c6e-9a7f-3b5d8e2c1a40",
            call(api, "GET", "/playlists/0f8c2a9e-1d4b-4c6e-9a7f-3b5d8e2c1a40"),
        ),
        (
            "GET",
            "/playlists/0f8c2a9e-1d4b-4c6e-9a7f-3b5d8e2c1a40.m3u8",
            call(api, "GET", "/playlists/0f8c2a9e-1d4b-4c6e-9a7f-3b5d8e2c1a40.m3u8"),
        ),
        ("GET", "/static/missing.js", call(api, "GET", "/static/missing.js")),
    ]
    with FakeSpotify() as spotify:
        spotify_api = make_api(local_mode=False, spotify_api_url=spotify.url)
        answers.append(
            (
                "POST",
                "/playlist",
                call(
                    spotify_api,
                    "POST",
                    "/playlist",
                    {"prompt": PROMPT, "spotify_access_token": "nope"},
                ),
            )
        )
        answers.append(("GET", "/playlists", call(spotify_api, "GET", "/playlists")))
        spotify.unregister_user()
        answers.append(
            (
                "POST",
                "/playlist",
                call(
                    spotify_api,
                    "POST",
                    "/playlist",
                    {"prompt": PROMPT, "spotify_access_token": spotify.token},
                ),
            )
        )
        spotify.user_registered = True
        spotify.rate_limit(times=None, retry_after=60)
        answers.append(
            (
                "POST",
                "/playlist",
                call(
                    spotify_api,
                    "POST",
                    "/playlist",
                    {"prompt": PROMPT, "spotify_access_token": spotify.token},
                ),
            )
        )
        spotify.faults.clear()
        spotify.fail_adding_items(status=400, times=None)
        answers.append(
            (
                "POST",
                "/playlist",
                call(
                    spotify_api,
                    "POST",
                    "/playlist",
                    {"prompt": PROMPT, "spotify_access_token": spotify.token},
                ),
            )
        )
    broken = make_api(engine=FailingDJ(dj, RuntimeError("boom")))
    answers.append(("POST", "/playlist", call(broken, "POST", "/playlist", {"prompt": PROMPT})))

    statuses = sorted({response.status for _, _, response in answers})
    assert statuses == [400, 401, 403, 404, 413, 422, 429, 500, 502, 503]
    for method, path, response in answers:
        check(document, method, path, response)


def test_living_playlist_answers_match_the_document(api: Api, document: dict[str, Any]) -> None:
    created = call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 6}).json_body()
    pid, first = created["playlist_id"], created["tracks"][0]["id"]
    answers = [
        (
            "POST",
            f"/playlists/{pid}/versions",
            call(
                api,
                "POST",
                f"/playlists/{pid}/versions",
                {"edits": [{"op": "move", "track_id": first, "to": 3}]},
            ),
        ),
        (
            "POST",
            f"/playlists/{pid}/versions",
            call(api, "POST", f"/playlists/{pid}/versions", {"prompt": "more upbeat"}),
        ),
        (
            "POST",
            f"/playlists/{pid}/extend",
            call(api, "POST", f"/playlists/{pid}/extend", {"minutes": 8}),
        ),
        (
            "POST",
            f"/playlists/{pid}/revert",
            call(api, "POST", f"/playlists/{pid}/revert", {"version": 1}),
        ),
        (
            "PUT",
            f"/playlists/{pid}/schedule",
            call(api, "PUT", f"/playlists/{pid}/schedule", {"every": "week"}),
        ),
        ("GET", f"/playlists/{pid}", call(api, "GET", f"/playlists/{pid}", query={"version": "2"})),
        ("DELETE", f"/playlists/{pid}/schedule", call(api, "DELETE", f"/playlists/{pid}/schedule")),
    ]
    for method, path, response in answers:
        assert response.status == 200, (path, response.body[:300])
        check(document, method, path, response)
    assert answers[0][2].json_body()["moved"][0]["from"] == 0

    errors = [
        (
            "POST",
            f"/playlists/{pid}/versions",
            call(
                api, "POST", f"/playlists/{pid}/versions", {"edits": [{"op": "x", "track_id": "y"}]}
            ),
        ),
        (
            "POST",
            f"/playlists/{pid}/versions",
            call(api, "POST", f"/playlists/{pid}/versions", b"{"),
        ),
        (
            "POST",
            f"/playlists/{pid}/revert",
            call(api, "POST", f"/playlists/{pid}/revert", {"version": 99}),
        ),
        (
            "POST",
            f"/playlists/{pid}/extend",
            call(api, "POST", f"/playlists/{pid}/extend", {"count": 1, "minutes": 1}),
        ),
        (
            "PUT",
            f"/playlists/{pid}/schedule",
            call(api, "PUT", f"/playlists/{pid}/schedule", {"every": "hour"}),
        ),
        (
            "GET",
            f"/playlists/{pid}",
            call(api, "GET", f"/playlists/{pid}", query={"version": "99"}),
        ),
        (
            "DELETE",
            "/playlists/0f8c2a9e-1d4b-4c6e-9a7f-3b5d8e2c1a40/schedule",
            call(api, "DELETE", "/playlists/0f8c2a9e-1d4b-4c6e-9a7f-3b5d8e2c1a40/schedule"),
        ),
    ]
    assert sorted({r.status for _, _, r in errors}) == [400, 404, 422]
    for method, path, response in errors:
        check(document, method, path, response)


def test_play_and_sign_out_answers_match_the_document(make_api, document: dict[str, Any]) -> None:
    with FakeSpotify() as spotify:
        api = make_api(spotify_api_url=spotify.url)
        auth = {"Authorization": f"Bearer {spotify.token}"}
        pid = call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 3}).json_body()[
            "playlist_id"
        ]
        answers = [
            ("POST", f"/playlists/{pid}/play", call(api, "POST", f"/playlists/{pid}/play")),
            (
                "POST",
                f"/playlists/{pid}/play",
                call(api, "POST", f"/playlists/{pid}/play", headers=auth),
            ),
        ]
        spotify.active_device = True
        answers.append(
            (
                "POST",
                f"/playlists/{pid}/play",
                call(api, "POST", f"/playlists/{pid}/play", {"version": 1}, auth),
            )
        )
        answers.append(
            (
                "DELETE",
                "/me/spotify-tokens",
                call(api, "DELETE", "/me/spotify-tokens", headers=auth),
            )
        )
    assert [r.status for _, _, r in answers] == [401, 409, 200, 200]
    for method, path, response in answers:
        check(document, method, path, response)


def test_local_mode_and_deep_health_answers_match_the_document(
    api: Api, document: dict[str, Any]
) -> None:
    foreign_host = {"Host": "attacker.example:8000"}
    answers = [
        ("GET", "/health", call(api, "GET", "/health", query={"deep": "1"})),
        ("GET", "/health", call(api, "GET", "/health", headers=foreign_host)),
        ("GET", "/playlists", call(api, "GET", "/playlists", headers=foreign_host)),
        (
            "POST",
            "/playlist",
            call(api, "POST", "/playlist", {"prompt": PROMPT}, {"Origin": "https://evil.example"}),
        ),
        (
            "POST",
            "/playlist",
            call(api, "POST", "/playlist", {"prompt": PROMPT}, {"Content-Type": "text/plain"}),
        ),
        ("GET", "/static/x", call(api, "GET", "/static/" + "x" * 3000)),
    ]
    assert [r.status for _, _, r in answers] == [200, 403, 403, 403, 415, 414]
    for method, path, response in answers:
        check(document, method, path, response)
