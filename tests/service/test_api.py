"""The API's behaviour, request by request, straight into ``Api.handle`` (the adapters have their own tests)."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidj.intent import Intent
from aidj.languages import language_packs
from aidj_service.edge.api import Api
from aidj_service.stores.history import HistoryUnavailable
from tests.service.conftest import FailingDJ, call

PROMPT = "energetic music for working out"


def error_of(response) -> dict:
    body = response.json_body()
    assert set(body) == {"error"}, body
    assert {"code", "message", "request_id"} <= set(body["error"])
    return body["error"]


# ---------------------------------------------------------------- POST /playlist


def test_a_prompt_becomes_a_stored_playlist(api: Api) -> None:
    response = call(api, "POST", "/playlist", {"prompt": PROMPT})

    assert response.status == 200
    body = response.json_body()
    assert body["tracks_count"] == len(body["tracks"]) > 0
    assert body["playlist_url"] is None  # no token: not sent to Spotify
    assert body["parameters"]["energy"] >= 0.7
    assert body["interpreter"] == {
        "name": "local",
        "requested": "local",
        "model": None,  # no Bedrock model read it
        "fallback_reason": None,
        "cached": False,
    }
    assert body["message"] and body["stats"]["tracks"] == body["tracks_count"]
    assert str(uuid.UUID(body["playlist_id"])) == body["playlist_id"]
    assert set(body["tracks"][0]) >= {
        "id",
        "uri",
        "name",
        "artists",
        "tempo",
        "energy",
        "camelot",
        "reason",
    }
    assert call(api, "GET", f"/playlists/{body['playlist_id']}").json_body() == body


def test_limit_overrides_the_prompts_length(api: Api) -> None:
    body = call(
        api, "POST", "/playlist", {"prompt": "a two hour road trip playlist", "limit": 7}
    ).json_body()
    assert body["tracks_count"] == 7 and body["parameters"]["limit"] == 7


def test_base_parameters_turn_the_prompt_into_a_refinement(api: Api) -> None:
    first = call(api, "POST", "/playlist", {"prompt": "calm acoustic evening"}).json_body()

    refined = call(
        api, "POST", "/playlist", {"prompt": "more upbeat", "base_parameters": first["parameters"]}
    ).json_body()

    expected = api.dj.interpreter.refine("more upbeat", Intent.from_dict(first["parameters"]))
    assert refined["parameters"] == expected.to_dict()
    assert refined["parameters"]["energy"] > first["parameters"]["energy"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"not json", 400, "invalid_json"),
        (b"", 400, "invalid_json"),
        (b"[1, 2]", 422, "validation_error"),
        ({}, 422, "validation_error"),
        ({"prompt": ""}, 422, "validation_error"),
        ({"prompt": "   "}, 422, "validation_error"),
        ({"prompt": "x" * 1001}, 422, "validation_error"),
        ({"prompt": 42}, 422, "validation_error"),
        ({"prompt": PROMPT, "limit": 0}, 422, "validation_error"),
        ({"prompt": PROMPT, "limit": 101}, 422, "validation_error"),
        ({"prompt": PROMPT, "limit": "10"}, 422, "validation_error"),
        ({"prompt": PROMPT, "interpreter": "gpt"}, 422, "validation_error"),
        ({"prompt": PROMPT, "base_parameters": "loud"}, 422, "validation_error"),
        ({"prompt": PROMPT, "user_id": "a#b"}, 422, "validation_error"),
        ({"promt": PROMPT}, 422, "validation_error"),
    ],
)
def test_bad_bodies_get_a_4xx_naming_the_problem(api: Api, body, status: int, code: str) -> None:
    response = call(api, "POST", "/playlist", body)
    assert response.status == status
    error = error_of(response)
    assert error["code"] == code
    assert len(error["message"]) > 10


def test_the_message_names_the_offending_field(api: Api) -> None:
    message = error_of(call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 500}))["message"]
    assert message.startswith("limit:")
    too_long = error_of(call(api, "POST", "/playlist", {"prompt": "y" * 1500}))["message"]
    assert too_long == "prompt: has 1500 characters: keep it to 1000 or fewer"


def test_a_prompt_of_exactly_1000_characters_is_accepted(api: Api) -> None:
    assert call(api, "POST", "/playlist", {"prompt": ("chill jazz " * 100)[:1000]}).status == 200


def test_bodies_over_the_limit_are_413(make_api) -> None:
    api = make_api(max_body_bytes=2048)
    response = call(
        api, "POST", "/playlist", {"prompt": PROMPT, "base_parameters": {"mood": "z" * 4000}}
    )
    assert response.status == 413 and error_of(response)["code"] == "payload_too_large"


# ---------------------------------------------------------------- routes and methods


def test_unknown_routes_are_404_json(api: Api) -> None:
    response = call(api, "GET", "/nope")
    assert response.status == 404 and error_of(response)["code"] == "route_not_found"


def test_wrong_method_is_405_with_allow(api: Api) -> None:
    response = call(api, "GET", "/playlist")
    assert response.status == 405
    assert response.headers["allow"] == "OPTIONS, POST"
    assert error_of(response)["code"] == "method_not_allowed"


@pytest.mark.parametrize("playlist_id", [str(uuid.uuid4()), "not-a-uuid", "../../etc/passwd.json"])
def test_unknown_playlists_are_404(api: Api, playlist_id: str) -> None:
    response = call(api, "GET", f"/playlists/{playlist_id}")
    assert response.status == 404 and error_of(response)["code"] in (
        "playlist_not_found",
        "route_not_found",
    )


@pytest.mark.parametrize(
    ("fmt", "content_type", "marker"),
    [
        ("m3u8", "audio/x-mpegurl", b"#EXTM3U"),
        ("xspf", "application/xspf+xml", b"<playlist"),
        ("json", "application/json", b'"tracks"'),
    ],
)
def test_stored_playlists_export(api: Api, fmt: str, content_type: str, marker: bytes) -> None:
    created = call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 5}).json_body()

    response = call(api, "GET", created["exports"][fmt])

    assert response.status == 200
    assert response.headers["content-type"].startswith(content_type)
    assert marker in response.body
    assert created["tracks"][0]["id"].encode() in response.body
    assert "attachment" in response.headers["content-disposition"]


def test_health_config_and_openapi_answer(api: Api) -> None:
    health = call(api, "GET", "/health").json_body()
    assert (
        health["status"] == "ok"
        and health["catalog_tracks"] > 50_000
        and health["history"] == "sqlite"
    )
    assert call(api, "GET", "/config").json_body() == {
        "spotify_client_id": "test-client-id",
        "spotify_scopes": "playlist-modify-private playlist-modify-public user-modify-playback-state "
        "user-top-read user-read-recently-played user-library-read",
        "sign_in": None,  # no Cognito sign-in configured
        "model_choices": [],
        # delivery platforms this instance is set up for (none but Spotify without settings)
        "platforms": ["spotify"],
        "google_client_id": None,
        "apple_music_developer_token": None,
        "musickit_url": None,
    }
    assert call(api, "GET", "/openapi.json").json_body()["openapi"] == "3.1.0"


def test_head_answers_like_get_without_a_body(api: Api) -> None:
    response = call(api, "HEAD", "/health")
    assert response.status == 200 and response.body == b""


# ---------------------------------------------------------------- the web page


def test_the_web_page_is_served(api: Api) -> None:
    response = call(api, "GET", "/")
    assert response.status == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert b"<html" in response.body.lower()


def test_the_page_gets_the_packs_count_words(api: Api) -> None:
    """The page keeps "25 songs" in a name true with the language packs' song words, no copy."""
    response = call(api, "GET", "/static/words.json")
    assert response.status == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    words = response.json_body()["count_words"]
    assert words == language_packs().merged.numbers.song_words
    assert {"songs", "canciones", "nummers", "canzoni"} <= set(words)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../api.py",
        "/static/..%2fapi.py",
        "/static/.hidden",
        "/static//etc/passwd",
        "/static/nope.js",
        "/static/web/../../config.py",
    ],
)
def test_static_files_never_leave_the_web_folder(api: Api, path: str) -> None:
    response = call(api, "GET", path)
    assert response.status == 404
    assert b"Settings" not in response.body


# ---------------------------------------------------------------- CORS


def test_cors_allows_any_origin_by_default_when_deployed(make_api) -> None:
    api = make_api(local_mode=False)
    response = call(api, "GET", "/health", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_cors_allows_only_the_pages_own_origin_by_default_locally(api: Api) -> None:
    own = call(
        api, "GET", "/health", headers={"Origin": "http://127.0.0.1:8000", "Host": "127.0.0.1:8000"}
    )
    other = call(
        api, "GET", "/health", headers={"Origin": "https://example.org", "Host": "127.0.0.1:8000"}
    )
    assert own.headers["access-control-allow-origin"] == "http://127.0.0.1:8000"
    assert "access-control-allow-origin" not in other.headers


def test_cors_echoes_only_configured_origins(make_api) -> None:
    api = make_api(cors_origins=("https://dj.example.org",))
    allowed = call(api, "GET", "/health", headers={"Origin": "https://dj.example.org"})
    other = call(api, "GET", "/health", headers={"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://dj.example.org"
    assert allowed.headers["vary"] == "Origin"
    assert "access-control-allow-origin" not in other.headers


def test_preflight_is_answered_without_running_the_route(make_api) -> None:
    api = make_api(cors_origins=("https://example.org",))
    response = call(
        api,
        "OPTIONS",
        "/playlist",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert response.status == 204
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "idempotency-key" in response.headers["access-control-allow-headers"]
    assert "authorization" in response.headers["access-control-allow-headers"]
    assert api.store.list("local") == ([], None)


# ---------------------------------------------------------------- identity and history


def test_local_mode_trusts_the_body_user(api: Api) -> None:
    call(api, "POST", "/playlist", {"prompt": PROMPT, "user_id": "ana", "limit": 3})
    call(api, "POST", "/playlist", {"prompt": "sad songs", "user_id": "ana", "limit": 3})
    call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 3})

    ana = call(api, "GET", "/playlists", query={"user_id": "ana"}).json_body()
    default = call(api, "GET", "/playlists").json_body()

    assert [i["prompt"] for i in ana["items"]] == ["sad songs", PROMPT]
    assert len(default["items"]) == 1


def test_history_pages_with_an_opaque_cursor(api: Api) -> None:
    for n in range(5):
        call(api, "POST", "/playlist", {"prompt": f"{PROMPT} {n}", "user_id": "pager", "limit": 2})
    first = call(api, "GET", "/playlists", query={"user_id": "pager", "limit": "2"}).json_body()
    second = call(
        api,
        "GET",
        "/playlists",
        query={"user_id": "pager", "limit": "2", "cursor": first["next_cursor"]},
    ).json_body()
    assert [i["prompt"][-1] for i in first["items"] + second["items"]] == ["4", "3", "2", "1"]
    assert second["next_cursor"]


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "101"}, {"limit": "ten"}])
def test_history_limit_must_be_1_to_100(api: Api, query) -> None:
    assert call(api, "GET", "/playlists", query=query).status == 422


def test_a_tampered_cursor_is_400(api: Api) -> None:
    response = call(api, "GET", "/playlists", query={"cursor": "abc"})
    assert response.status == 400 and error_of(response)["code"] == "invalid_cursor"


def test_deployed_mode_ignores_the_body_user(make_api) -> None:
    api = make_api(local_mode=False)
    call(api, "POST", "/playlist", {"prompt": PROMPT, "user_id": "victim", "limit": 2})
    assert api.store.list("victim") == ([], None)
    assert len(api.store.list("anonymous")[0]) == 1


def test_deployed_mode_needs_a_token_to_list_history(make_api) -> None:
    api = make_api(local_mode=False)
    response = call(api, "GET", "/playlists", query={"user_id": "victim"})
    assert response.status == 401 and error_of(response)["code"] == "authentication_required"


def test_a_malformed_authorization_header_is_401(api: Api) -> None:
    response = call(api, "GET", "/playlists", headers={"Authorization": "Basic abc"})
    assert response.status == 401


# ---------------------------------------------------------------- rate limits


def test_rate_limit_is_per_user_with_retry_after(make_api) -> None:
    api = make_api(rate_limit_per_minute=2)
    ok = [
        call(api, "POST", "/playlist", {"prompt": PROMPT, "user_id": "busy", "limit": 2}).status
        for _ in range(2)
    ]
    limited = call(api, "POST", "/playlist", {"prompt": PROMPT, "user_id": "busy", "limit": 2})
    other = call(api, "POST", "/playlist", {"prompt": PROMPT, "user_id": "calm", "limit": 2})

    assert ok == [200, 200]
    assert limited.status == 429 and error_of(limited)["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert other.status == 200


# ---------------------------------------------------------------- idempotency


def test_a_retried_request_returns_the_first_result(api: Api) -> None:
    headers = {"Idempotency-Key": "retry-1"}
    first = call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 4}, headers)
    again = call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 4}, headers)

    assert first.status == again.status == 200
    assert again.json_body() == first.json_body()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(api.store.list("local")[0]) == 1


def test_a_key_reused_for_another_request_is_refused(api: Api) -> None:
    call(api, "POST", "/playlist", {"prompt": PROMPT}, {"Idempotency-Key": "reuse"})
    response = call(api, "POST", "/playlist", {"prompt": "sad songs"}, {"Idempotency-Key": "reuse"})
    assert response.status == 422 and error_of(response)["code"] == "idempotency_key_reused"


def test_concurrent_duplicates_create_one_playlist(api: Api) -> None:
    barrier = threading.Barrier(6)

    def post(_: int):
        barrier.wait()
        return call(
            api, "POST", "/playlist", {"prompt": PROMPT, "limit": 5}, {"Idempotency-Key": "race"}
        )

    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(post, range(6)))

    assert {r.status for r in responses} == {200}
    assert len({r.json_body()["playlist_id"] for r in responses}) == 1
    assert len(api.store.list("local")[0]) == 1


def test_a_failed_first_attempt_frees_its_key(make_api, dj) -> None:
    api = make_api(engine=FailingDJ(dj, RuntimeError("boom"), times=1))
    failed = call(
        api, "POST", "/playlist", {"prompt": PROMPT}, {"Idempotency-Key": "retry-after-crash"}
    )
    retried = call(
        api, "POST", "/playlist", {"prompt": PROMPT}, {"Idempotency-Key": "retry-after-crash"}
    )

    assert failed.status == 500 and retried.status == 200


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "naïve"])
def test_malformed_idempotency_keys_are_400(api: Api, key: str) -> None:
    response = call(api, "POST", "/playlist", {"prompt": PROMPT}, {"Idempotency-Key": key})
    assert response.status == 400 and error_of(response)["code"] == "invalid_idempotency_key"


# ---------------------------------------------------------------- failures and logs


def test_an_unexpected_exception_is_a_plain_500_with_the_traceback_only_in_the_log(
    make_api, dj, caplog: pytest.LogCaptureFixture
) -> None:
    api = make_api(engine=FailingDJ(dj, ZeroDivisionError("secret internals")))
    with caplog.at_level(logging.INFO):
        response = call(api, "POST", "/playlist", {"prompt": PROMPT})

    error = error_of(response)
    assert response.status == 500 and error["code"] == "internal_error"
    assert error["request_id"] in error["message"]
    assert b"Traceback" not in response.body and b"secret internals" not in response.body
    assert any(r.exc_info and "secret internals" in str(r.exc_info[1]) for r in caplog.records)


def test_each_request_logs_one_json_line_with_stage_timings(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="aidj_service.access"):
        response = call(api, "POST", "/playlist", {"prompt": PROMPT, "user_id": "logged-user"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "aidj_service.access"]

    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["status"] == 200 and line["outcome"] == "ok" and line["route"] == "POST /playlist"
    assert (
        line["interpreter"] == "local"
        and line["tracks_count"] == response.json_body()["tracks_count"]
    )
    assert {"interpret", "build", "store"} <= set(line["timings_ms"])
    assert len(line["user"]) == 16 and "logged-user" not in json.dumps(line)
    assert PROMPT not in json.dumps(line)


class LockedStore:
    """A history store whose database is locked: every call fails as a store that cannot answer must."""

    name = "sqlite"

    def __getattr__(self, name: str):
        def fail(*args, **kwargs):
            raise HistoryUnavailable("sqlite", "OperationalError")

        return fail

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/playlist", {"prompt": PROMPT}),
        ("GET", "/playlists", None),
        ("GET", f"/playlists/{uuid.uuid4()}", None),
    ],
)
def test_an_unavailable_history_store_is_503_not_500(
    make_api, method: str, path: str, body
) -> None:
    response = call(make_api(store=LockedStore()), method, path, body)
    assert response.status == 503
    assert error_of(response)["code"] == "history_unavailable"
    assert response.headers["retry-after"] == "5"


def test_deeply_nested_json_is_400_not_a_crash(make_api) -> None:
    api = make_api(max_body_bytes=200_000)
    response = call(api, "POST", "/playlist", b"[" * 100_000 + b"]" * 100_000)
    assert response.status in (400, 413, 422)
    assert error_of(response)["code"] != "internal_error"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prompt=st.text(min_size=0, max_size=1200),
    limit=st.one_of(st.none(), st.integers(min_value=-5, max_value=150)),
    extra=st.dictionaries(
        st.sampled_from(["energy", "genres", "tempo", "arc", "limit", "mode"]),
        st.one_of(st.none(), st.floats(allow_nan=True), st.text(max_size=5), st.integers()),
    ),
)
def test_no_body_ever_gets_a_500(api: Api, prompt: str, limit, extra) -> None:
    body = {
        "prompt": prompt,
        "base_parameters": extra,
        **({"limit": limit} if limit is not None else {}),
    }
    response = call(api, "POST", "/playlist", json.dumps(body).encode())
    assert response.status in (200, 422), response.body[:300]
    if response.status == 200:
        assert response.json_body()["tracks_count"] >= 1


def test_anonymous_callers_do_not_share_idempotency_keys(make_api) -> None:
    from aidj_service.edge.http import Request

    api = make_api(local_mode=False)

    def post(ip: str, prompt: str):
        body = json.dumps({"prompt": prompt, "limit": 3}).encode()
        return api.handle(
            Request(
                "POST",
                "/playlist",
                headers={"idempotency-key": "same-key"},
                body=body,
                source_ip=ip,
            )
        )

    first = post("198.51.100.1", PROMPT)
    second = post("198.51.100.2", "sad songs")

    assert first.status == second.status == 200
    assert first.json_body()["playlist_id"] != second.json_body()["playlist_id"]


@pytest.mark.parametrize("token", ["   ", "\u4e00\u4e8c\u4e09", "abc\ndef", "tok en"])
def test_a_token_that_cannot_be_a_bearer_token_is_422(api: Api, token: str) -> None:
    response = call(api, "POST", "/playlist", {"prompt": PROMPT, "spotify_access_token": token})
    assert response.status == 422
    assert error_of(response)["message"].startswith("spotify_access_token:")


def test_a_header_token_that_cannot_be_a_bearer_token_is_401(api: Api) -> None:
    response = call(api, "GET", "/playlists", headers={"Authorization": "Bearer a\u00e9b"})
    assert response.status == 401 and error_of(response)["code"] == "invalid_authorization"


def test_lone_surrogates_are_refused_before_anything_is_stored(api: Api) -> None:
    response = call(api, "POST", "/playlist", b'{"prompt": "\\ud800 chill beats"}')
    assert response.status == 400 and error_of(response)["code"] == "invalid_json"
    assert api.store.list("local") == ([], None)
