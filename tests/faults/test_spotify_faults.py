"""Spotify misbehaving under a real request: the caller gets a clear answer, retries made with the
same Idempotency-Key never create a second playlist, and history records what really happened.

The service runs whole (``Api.handle``) against the fake Spotify server on 127.0.0.1.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from aidj_service.edge.api import Api
from tests.faults.conftest import history_of
from tests.service.conftest import call
from tests.support.fake_spotify import FakeSpotify

PROMPT = "upbeat pop for a summer road trip"


def post(
    api: Api, spotify: FakeSpotify, key: str | None = None, prompt: str = PROMPT, limit: int = 12
) -> Any:
    headers = {"Authorization": f"Bearer {spotify.token}"}
    if key:
        headers["Idempotency-Key"] = key
    return call(api, "POST", "/playlist", {"prompt": prompt, "limit": limit}, headers=headers)


def creates(spotify: FakeSpotify) -> int:
    """How many playlists Spotify really holds now."""
    return len(spotify.playlists)


def user_of(spotify: FakeSpotify) -> str:
    return spotify.account_id or spotify.user_id


def error_of(response: Any) -> dict[str, Any]:
    body = response.json_body()
    assert set(body) == {"error"}, body
    assert body["error"]["message"] and body["error"]["code"]
    return body["error"]


def test_a_429_with_retry_after_is_waited_out_and_the_playlist_is_made_once(
    spotify_api: Api, spotify: FakeSpotify
) -> None:
    spotify.rate_limit(times=1, retry_after=1, path=r"^/v1/me/playlists$")

    response = post(spotify_api, spotify, key=str(uuid.uuid4()))

    assert response.status == 200, response.body
    body = response.json_body()
    assert body["spotify"]["added"] == body["tracks_count"] == 12
    assert creates(spotify) == 1
    assert [r.playlist_id for r in history_of(spotify_api.store, user_of(spotify))] == [
        body["playlist_id"]
    ]


def test_a_429_longer_than_the_service_waits_is_a_503_with_retry_after_and_nothing_is_created(
    spotify_api: Api, spotify: FakeSpotify
) -> None:
    spotify.rate_limit(times=None, retry_after=120, path=r"^/v1/me/playlists$")

    response = post(spotify_api, spotify, key=str(uuid.uuid4()))

    assert response.status == 503
    assert error_of(response)["code"] == "spotify_rate_limited"
    assert int(response.headers["retry-after"]) >= 120
    assert creates(spotify) == 0
    assert history_of(spotify_api.store, user_of(spotify)) == []


def test_a_burst_of_503s_while_adding_tracks_is_retried_to_a_complete_playlist(
    spotify_api: Api, spotify: FakeSpotify
) -> None:
    spotify.server_error(times=2, status=503, path=r"^/v1/playlists/[^/]+/items$")

    response = post(spotify_api, spotify)

    assert response.status == 200, response.body
    (playlist,) = spotify.playlists.values()
    assert len(playlist["items"]) == 12
    assert response.json_body()["status"] == "complete"


def test_a_500_burst_on_the_profile_call_is_retried(spotify_api: Api, spotify: FakeSpotify) -> None:
    spotify.server_error(times=2, status=500, path=r"^/v1/me$")

    response = post(spotify_api, spotify)

    assert response.status == 200, response.body
    assert len(spotify.requests_to("GET", r"^/v1/me$")) == 3


def test_a_spotify_outage_is_a_503_and_a_retry_with_the_same_key_after_it_makes_one_playlist(
    spotify_api: Api, spotify: FakeSpotify
) -> None:
    outage = spotify.server_error(times=None, status=503, path=r"^/v1/me/playlists$")
    key = str(uuid.uuid4())

    failed = post(spotify_api, spotify, key=key)
    assert failed.status == 503
    assert error_of(failed)["code"] == "spotify_unavailable"
    assert "retry-after" in failed.headers
    assert creates(spotify) == 0 and history_of(spotify_api.store, user_of(spotify)) == []

    outage.times = outage.fired  # Spotify is back
    retried = post(spotify_api, spotify, key=key)
    again = post(spotify_api, spotify, key=key)

    assert retried.status == again.status == 200
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json_body()["playlist_id"] == retried.json_body()["playlist_id"]
    assert creates(spotify) == 1
    assert len(history_of(spotify_api.store, user_of(spotify))) == 1


def test_a_token_expiring_between_create_and_add_is_a_partial_playlist_recorded_as_such(
    spotify_api: Api, spotify: FakeSpotify
) -> None:
    spotify.expire_token_after(2)  # GET /me and POST /me/playlists pass; adding tracks gets 401
    key = str(uuid.uuid4())

    response = post(spotify_api, spotify, key=key)

    assert response.status == 502
    error = error_of(response)
    assert error["code"] == "spotify_partial_write"
    assert error["details"]["added"] == 0 and error["details"]["total"] == 12
    (record,) = history_of(spotify_api.store, user_of(spotify))
    assert record.playlist_id == error["details"]["playlist_id"]
    assert record.data["status"] == "partial"
    assert record.data["spotify"]["added"] == 0

    spotify.token_expires_after = None  # the user reconnects; the client retries with the same key
    replay = post(spotify_api, spotify, key=key)
    assert replay.status == 502 and replay.headers.get("idempotent-replayed") == "true"
    assert error_of(replay)["details"]["playlist_id"] == record.playlist_id
    assert creates(spotify) == 1
    assert len(history_of(spotify_api.store, user_of(spotify))) == 1


def test_a_401_on_the_first_call_is_a_401_telling_the_user_to_reconnect(
    spotify_api: Api, spotify: FakeSpotify
) -> None:
    spotify.expire_token_after(0)

    response = post(spotify_api, spotify)

    assert response.status == 401
    assert "reconnect" in error_of(response)["message"].lower()
    assert creates(spotify) == 0


def test_adding_tracks_failing_for_good_leaves_one_partial_playlist_whatever_the_retries(
    spotify_api: Api, spotify: FakeSpotify
) -> None:
    spotify.fail_adding_items(after_batches=0, status=502, times=None)
    key = str(uuid.uuid4())

    answers = [post(spotify_api, spotify, key=key) for _ in range(3)]

    assert [a.status for a in answers] == [502, 502, 502]
    assert {error_of(a)["details"]["playlist_id"] for a in answers} == {
        answers[0].json_body()["error"]["details"]["playlist_id"]
    }
    assert all(a.headers.get("idempotent-replayed") == "true" for a in answers[1:])
    assert creates(spotify) == 1
    (record,) = history_of(spotify_api.store, user_of(spotify))
    assert record.data["status"] == "partial"


def test_a_slow_profile_call_times_out_into_a_503_within_the_request_deadline(
    make_api, spotify: FakeSpotify
) -> None:
    api = make_api(spotify_api_url=spotify.url, request_timeout_s=1.5)
    spotify.slow(3.0, times=None, path=r"^/v1/me$")

    response = post(api, spotify)

    assert response.status == 503
    assert error_of(response)["code"] == "spotify_unavailable"
    assert creates(spotify) == 0


def test_a_timed_out_create_is_not_duplicated_by_a_retry_with_the_same_key(
    make_api, spotify: FakeSpotify
) -> None:
    api = make_api(spotify_api_url=spotify.url, request_timeout_s=1.5)
    spotify.slow(2.0, times=1, path=r"^/v1/me/playlists$", method="POST")
    key = str(uuid.uuid4())

    first = post(api, spotify, key=key)
    assert first.status == 503
    assert "check spotify" in error_of(first)["message"].lower()
    # the slow create lands on Spotify after the client gave up; when depends on how long the
    # engine took before calling it, so wait for it rather than for a fixed time
    deadline = time.monotonic() + 15
    while creates(spotify) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert creates(spotify) == 1, "the slow create never reached the fake Spotify"

    post(api, spotify, key=key)

    assert creates(spotify) == 1
