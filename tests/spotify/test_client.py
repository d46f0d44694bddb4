"""The Spotify client against the fake Spotify server on 127.0.0.1: what a user's request goes through."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from aidj_service.clients.spotify import (
    CreatedPlaylist,
    SpotifyAuthError,
    SpotifyClient,
    SpotifyForbiddenError,
    SpotifyPartialWriteError,
    SpotifyRateLimitedError,
    SpotifyUnavailableError,
    SpotifyUser,
)
from tests.support.fake_spotify import FakeSpotify


class Sleeps(list):
    """Records requested waits instead of waiting, so retry tests take no time."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(fake_spotify: FakeSpotify, sleeps: Sleeps) -> SpotifyClient:
    return SpotifyClient(fake_spotify.token, base_url=fake_spotify.url, sleep=sleeps, timeout_s=2.0)


def uris(fake: FakeSpotify, count: int) -> list[str]:
    return [fake.track_uri(i) for i in range(count)]


# ---------------------------------------------------------------- the happy paths


def test_current_user_prefers_the_stable_account_id(client: SpotifyClient) -> None:
    assert client.current_user() == SpotifyUser(id="aB3dE5fG7h", display_name="Fake User")


def test_current_user_falls_back_to_the_user_id_without_an_account_id(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    fake_spotify.account_id = None
    assert client.current_user().id == "fakeuser"


def test_create_playlist_posts_to_me_playlists_as_private(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    created = client.create_playlist("Gym Mix", "made by AI DJ")

    assert isinstance(created, CreatedPlaylist)
    assert created.url == f"https://open.spotify.com/playlist/{created.id}"
    [request] = fake_spotify.requests
    assert (request.method, request.path) == ("POST", "/v1/me/playlists")
    assert request.body == {"name": "Gym Mix", "public": False, "description": "made by AI DJ"}
    assert fake_spotify.playlists[created.id]["public"] is False


def test_every_request_carries_the_bearer_token(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    client.current_user()
    assert fake_spotify.requests[0].headers["authorization"] == f"Bearer {fake_spotify.token}"


def test_add_items_sends_batches_of_at_most_100_in_order(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    created = client.create_playlist("Long")
    wanted = uris(fake_spotify, 250)

    assert client.add_items(created.id, wanted) == 250

    batches = [r.body["uris"] for r in fake_spotify.requests_to("POST", r"/items$")]
    assert [len(b) for b in batches] == [100, 100, 50]
    assert fake_spotify.playlists[created.id]["items"] == wanted


# ---------------------------------------------------------------- rate limits


def test_429_waits_the_retry_after_then_succeeds(
    fake_spotify: FakeSpotify, client: SpotifyClient, sleeps: Sleeps
) -> None:
    fake_spotify.rate_limit(times=2, retry_after=3)

    assert client.current_user().id == "aB3dE5fG7h"
    assert sleeps == [3.0, 3.0]
    assert len(fake_spotify.requests) == 3


def test_429_that_would_cross_the_deadline_fails_fast(
    fake_spotify: FakeSpotify, sleeps: Sleeps
) -> None:
    fake_spotify.rate_limit(times=1, retry_after=5)
    client = SpotifyClient(
        fake_spotify.token, base_url=fake_spotify.url, sleep=sleeps, deadline=time.monotonic() + 2
    )

    with pytest.raises(SpotifyRateLimitedError) as caught:
        client.current_user()

    assert caught.value.retry_after == 5
    assert caught.value.status == 429
    assert sleeps == []
    assert len(fake_spotify.requests) == 1


def test_429_with_a_retry_after_beyond_the_cap_is_not_waited(
    fake_spotify: FakeSpotify, client: SpotifyClient, sleeps: Sleeps
) -> None:
    fake_spotify.rate_limit(times=1, retry_after=3600)

    with pytest.raises(SpotifyRateLimitedError, match="3600 seconds"):
        client.current_user()
    assert sleeps == []


def test_429_for_ever_gives_up_after_the_retries(
    fake_spotify: FakeSpotify, client: SpotifyClient, sleeps: Sleeps
) -> None:
    fake_spotify.rate_limit(times=None, retry_after=1)

    with pytest.raises(SpotifyRateLimitedError):
        client.current_user()
    assert len(fake_spotify.requests) == client.max_retries + 1


# ---------------------------------------------------------------- server errors and timeouts


def test_a_5xx_burst_is_retried_with_bounded_backoff(
    fake_spotify: FakeSpotify, client: SpotifyClient, sleeps: Sleeps
) -> None:
    fake_spotify.server_error(times=2, status=503)

    assert client.current_user().id
    assert len(sleeps) == 2
    assert all(0 < s <= client.backoff_max_s for s in sleeps)


def test_persistent_5xx_raises_unavailable_after_the_retries(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    fake_spotify.server_error(times=None, status=502)

    with pytest.raises(SpotifyUnavailableError) as caught:
        client.current_user()

    assert caught.value.status == 502
    assert "try again later" in caught.value.message
    assert len(fake_spotify.requests) == client.max_retries + 1


def test_a_slow_read_is_retried(fake_spotify: FakeSpotify, sleeps: Sleeps) -> None:
    fake_spotify.slow(1.0, times=1, path="^/v1/me$")
    client = SpotifyClient(
        fake_spotify.token, base_url=fake_spotify.url, sleep=sleeps, timeout_s=0.2
    )

    assert client.current_user()
    assert len(fake_spotify.requests) == 2


def test_a_timed_out_create_is_not_retried_to_avoid_duplicates(
    fake_spotify: FakeSpotify, sleeps: Sleeps
) -> None:
    fake_spotify.slow(1.0, times=1, path="/me/playlists")
    client = SpotifyClient(
        fake_spotify.token, base_url=fake_spotify.url, sleep=sleeps, timeout_s=0.2
    )

    with pytest.raises(SpotifyUnavailableError, match="check Spotify"):
        client.create_playlist("Maybe")
    assert len(fake_spotify.requests) == 1


def test_the_deadline_bounds_a_slow_answer(fake_spotify: FakeSpotify) -> None:
    fake_spotify.slow(5.0, times=None)
    started = time.monotonic()
    client = SpotifyClient(
        fake_spotify.token, base_url=fake_spotify.url, timeout_s=30, deadline=started + 0.5
    )

    with pytest.raises(SpotifyUnavailableError):
        client.current_user()
    assert time.monotonic() - started < 3.0  # nowhere near the 30 s timeout or the 5 s delay


def test_an_unreachable_spotify_is_retried_even_for_writes_then_reported() -> None:
    # A refused connection means the request was never sent, so resending a POST is safe.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    client = SpotifyClient(
        "token", base_url=f"http://127.0.0.1:{port}/v1", sleep=sleeps, max_retries=2
    )

    with pytest.raises(SpotifyUnavailableError, match="could not be reached"):
        client.create_playlist("Nowhere")
    assert len(sleeps) == 2


# ---------------------------------------------------------------- auth and permissions


def test_a_bad_token_says_to_reconnect(fake_spotify: FakeSpotify) -> None:
    client = SpotifyClient("not-the-token", base_url=fake_spotify.url)

    with pytest.raises(SpotifyAuthError) as caught:
        client.current_user()
    assert caught.value.status == 401
    assert caught.value.message.startswith("Spotify token expired or invalid: reconnect Spotify")


def test_an_unregistered_user_is_told_to_be_added_in_the_dashboard(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    fake_spotify.unregister_user()

    with pytest.raises(SpotifyForbiddenError) as caught:
        client.current_user()
    assert caught.value.user_not_registered
    assert "developer dashboard" in caught.value.message
    assert "User Management" in caught.value.message


def test_the_removed_users_playlists_path_is_forbidden(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    # Why create_playlist uses /me/playlists.
    with pytest.raises(SpotifyForbiddenError):
        client._request("POST", "/users/fakeuser/playlists", json={"name": "old way"})


# ---------------------------------------------------------------- half-built playlists


def test_a_failing_later_batch_reports_what_was_added(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    created = client.create_playlist("Half")
    fake_spotify.fail_adding_items(after_batches=1, status=502)

    with pytest.raises(SpotifyPartialWriteError) as caught:
        client.add_items(created.id, uris(fake_spotify, 250))

    error = caught.value
    assert (error.playlist_id, error.added, error.total) == (created.id, 100, 250)
    assert error.url == created.url
    assert isinstance(error.cause, SpotifyUnavailableError)
    assert "100 of 250" in error.message
    assert len(fake_spotify.playlists[created.id]["items"]) == 100


def test_a_failure_between_create_and_add_is_not_silent(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    created = client.create_playlist("Empty")
    fake_spotify.fail_adding_items(after_batches=0, status=500)

    with pytest.raises(SpotifyPartialWriteError) as caught:
        client.add_items(created.id, uris(fake_spotify, 30), url=created.url)

    assert caught.value.added == 0
    assert caught.value.playlist_id in fake_spotify.playlists


def test_a_token_expiring_mid_way_reports_the_partial_playlist(
    fake_spotify: FakeSpotify, client: SpotifyClient
) -> None:
    fake_spotify.expire_token_after(3)  # /me, create, first batch

    client.current_user()
    created = client.create_playlist("Expiring")
    with pytest.raises(SpotifyPartialWriteError) as caught:
        client.add_items(created.id, uris(fake_spotify, 150), url=created.url)

    assert caught.value.added == 100
    assert caught.value.status == 401
    assert isinstance(caught.value.cause, SpotifyAuthError)
    assert "reconnect Spotify" in caught.value.message


# ---------------------------------------------------------------- secrets


def test_the_token_never_reaches_logs_errors_or_repr(
    fake_spotify: FakeSpotify, client: SpotifyClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_spotify.server_error(times=1)
    fake_spotify.rate_limit(times=1, retry_after=1)
    client.current_user()
    fake_spotify.expire_token_after(0)

    with pytest.raises(SpotifyAuthError) as caught:
        client.current_user()

    assert caplog.records  # retries were logged...
    assert fake_spotify.token not in caplog.text  # ...without the token
    assert fake_spotify.token not in str(caught.value)
    assert fake_spotify.token not in repr(client)
