"""POST /playlist with a Spotify token, against the fake Spotify Web API on 127.0.0.1."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from aidj_service.edge.api import Api
from tests.service.conftest import call
from tests.support.fake_spotify import FakeSpotify

PROMPT = "upbeat indie for a sunny afternoon"


@pytest.fixture
def deployed(make_api, spotify: FakeSpotify) -> Api:
    """A deployed-mode API (body user_id never trusted) talking to the fake Spotify."""
    return make_api(local_mode=False, spotify_api_url=spotify.url)


def post(api: Api, spotify: FakeSpotify, **body) -> object:
    return call(
        api, "POST", "/playlist", {"prompt": PROMPT, "spotify_access_token": spotify.token, **body}
    )


def test_a_token_creates_the_playlist_on_spotify(deployed: Api, spotify: FakeSpotify) -> None:
    response = post(deployed, spotify, limit=12)

    body = response.json_body()
    assert response.status == 200, body
    created = spotify.requests_to("POST", r"^/v1/me/playlists$")
    assert len(created) == 1
    assert created[0].body["public"] is False and created[0].body["name"] == body["name"]
    (playlist,) = spotify.playlists.values()
    assert playlist["items"] == [t["uri"] for t in body["tracks"]]
    assert body["playlist_url"] == f"https://open.spotify.com/playlist/{playlist['id']}"
    assert body["spotify"] == {
        "playlist_id": playlist["id"],
        "url": body["playlist_url"],
        "added": 12,
        "total": 12,
    }
    assert body["status"] == "complete" and "on Spotify" in body["message"]


def test_the_user_is_the_spotify_account(deployed: Api, spotify: FakeSpotify) -> None:
    playlist_id = post(deployed, spotify, user_id="someone-else", limit=3).json_body()[
        "playlist_id"
    ]

    assert deployed.store.get(playlist_id).user_id == spotify.account_id
    listed = call(
        deployed, "GET", "/playlists", headers={"Authorization": f"Bearer {spotify.token}"}
    )
    assert [i["playlist_id"] for i in listed.json_body()["items"]] == [playlist_id]


def test_the_user_falls_back_to_the_spotify_id_without_an_account_id(make_api) -> None:
    with FakeSpotify(account_id=None) as fake:
        api = make_api(local_mode=False, spotify_api_url=fake.url)
        playlist_id = post(api, fake, limit=3).json_body()["playlist_id"]
        assert api.store.get(playlist_id).user_id == fake.user_id


def test_an_authorization_header_works_like_a_body_token(
    deployed: Api, spotify: FakeSpotify
) -> None:
    response = call(
        deployed,
        "POST",
        "/playlist",
        {"prompt": PROMPT, "limit": 3},
        headers={"Authorization": f"Bearer {spotify.token}"},
    )
    assert response.status == 200 and response.json_body()["playlist_url"]


def test_a_rejected_token_is_401_and_nothing_is_stored(deployed: Api, spotify: FakeSpotify) -> None:
    response = call(
        deployed, "POST", "/playlist", {"prompt": PROMPT, "spotify_access_token": "expired-token"}
    )

    assert response.status == 401
    assert (
        response.json_body()["error"]["message"]
        == "Spotify token expired or invalid: reconnect Spotify"
    )
    assert spotify.requests_to("POST", r"playlists") == []
    assert deployed.store.list("anonymous") == ([], None)


def test_a_token_expiring_mid_request_is_401(deployed: Api, spotify: FakeSpotify) -> None:
    spotify.expire_token_after(1)  # /me works, creating the playlist does not
    response = post(deployed, spotify)
    assert response.status == 401 and response.json_body()["error"]["code"] == "spotify_auth"


def test_a_user_the_app_does_not_know_is_403(deployed: Api, spotify: FakeSpotify) -> None:
    spotify.unregister_user()
    response = post(deployed, spotify)
    assert response.status == 403
    assert "dashboard" in response.json_body()["error"]["message"]


def test_spotify_rate_limiting_is_503_with_its_wait(deployed: Api, spotify: FakeSpotify) -> None:
    spotify.rate_limit(times=None, retry_after=42)
    response = post(deployed, spotify)
    assert response.status == 503
    assert response.headers["retry-after"] == "42"
    assert response.json_body()["error"]["code"] == "spotify_rate_limited"


def test_spotify_down_is_503_within_the_time_budget(make_api, spotify: FakeSpotify) -> None:
    api = make_api(local_mode=False, spotify_api_url=spotify.url, request_timeout_s=1.5)
    spotify.server_error(times=None, status=503)
    response = post(api, spotify)
    assert response.status == 503 and response.json_body()["error"]["code"] == "spotify_unavailable"
    assert int(response.headers["retry-after"]) > 0


def test_a_partial_write_is_502_saying_what_was_added_and_is_kept_in_history(
    deployed: Api, spotify: FakeSpotify
) -> None:
    spotify.fail_adding_items(status=400, times=None)

    response = post(deployed, spotify, limit=8)

    error = response.json_body()["error"]
    assert response.status == 502 and error["code"] == "spotify_partial_write"
    assert error["details"]["added"] == 0 and error["details"]["total"] == 8
    assert "0 of 8" in error["message"]
    stored = deployed.store.get(error["details"]["playlist_id"])
    assert stored is not None and stored.data["status"] == "partial"
    assert stored.data["playlist_url"] == error["details"]["playlist_url"]
    assert stored.user_id == spotify.account_id


def test_an_idempotent_retry_creates_no_second_spotify_playlist(
    deployed: Api, spotify: FakeSpotify
) -> None:
    headers = {"Idempotency-Key": "7f0c1f3e-retry"}
    first = call(
        deployed,
        "POST",
        "/playlist",
        {"prompt": PROMPT, "spotify_access_token": spotify.token},
        headers,
    )
    again = call(
        deployed,
        "POST",
        "/playlist",
        {"prompt": PROMPT, "spotify_access_token": spotify.token},
        headers,
    )

    assert first.status == again.status == 200
    assert again.json_body()["playlist_id"] == first.json_body()["playlist_id"]
    assert again.json_body()["playlist_url"] == first.json_body()["playlist_url"]
    assert len(spotify.requests_to("POST", r"^/v1/me/playlists$")) == 1


def test_an_idempotent_retry_after_a_partial_write_repeats_the_502(
    deployed: Api, spotify: FakeSpotify
) -> None:
    spotify.fail_adding_items(status=400, times=1)
    headers = {"Idempotency-Key": "partial-retry"}
    first = post_with(deployed, spotify, headers)
    again = post_with(deployed, spotify, headers)

    assert first.status == again.status == 502
    assert again.json_body()["error"]["details"] == first.json_body()["error"]["details"]
    assert len(spotify.requests_to("POST", r"^/v1/me/playlists$")) == 1


def post_with(api: Api, spotify: FakeSpotify, headers: dict[str, str]):
    return call(
        api, "POST", "/playlist", {"prompt": PROMPT, "spotify_access_token": spotify.token}, headers
    )


def test_tokens_never_reach_logs_or_storage(
    make_api, spotify: FakeSpotify, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    api = make_api(local_mode=False, spotify_api_url=spotify.url)
    with caplog.at_level(logging.DEBUG):
        post(api, spotify, limit=5)
        call(api, "GET", "/playlists", headers={"Authorization": f"Bearer {spotify.token}"})
        spotify.fail_adding_items(status=400, times=1)
        post(api, spotify, limit=5)  # the error path logs too
        call(
            api,
            "POST",
            "/playlist",
            {"prompt": PROMPT, "spotify_access_token": "bad-" + spotify.token},
        )

    logged = (
        "\n".join(r.getMessage() + str(r.args) + str(r.exc_info) for r in caplog.records)
        + caplog.text
    )
    assert caplog.records, "expected request logs"
    assert spotify.token not in logged
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite3*"))
    assert stored and spotify.token.encode() not in stored


def test_a_create_spotify_never_confirmed_is_not_repeated_by_a_retry(
    make_api, spotify: FakeSpotify
) -> None:
    api = make_api(local_mode=False, spotify_api_url=spotify.url, request_timeout_s=1.5)
    spotify.slow(2.0, times=1, path=r"^/v1/me/playlists$", method="POST")
    headers = {"Idempotency-Key": "uncertain-create"}

    first = post_with(api, spotify, headers)
    time.sleep(0.8)  # the slow create lands on Spotify after we gave up
    again = post_with(api, spotify, headers)

    assert first.status == again.status == 503
    assert "check Spotify" in first.json_body()["error"]["message"]
    assert len(spotify.requests_to("POST", r"^/v1/me/playlists$")) == 1
