"""The client's single request path in isolation (``responses``), with an injected clock and sleep."""

from __future__ import annotations

import pytest
import responses

from aidj_service.clients.spotify import (
    SpotifyClient,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyRateLimitedError,
    SpotifyUnavailableError,
)

BASE = "http://127.0.0.1:9/v1"  # never contacted: responses intercepts every call
TOKEN = "secret-token-xyz"


class Clock:
    """A monotonic clock that only moves when the client sleeps."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(clock: Clock, *, deadline_in: float | None = None, **kwargs) -> SpotifyClient:
    deadline = None if deadline_in is None else clock.now + deadline_in
    return SpotifyClient(
        TOKEN, base_url=BASE, clock=clock, sleep=clock.sleep, deadline=deadline, **kwargs
    )


ME = {"id": "u1", "display_name": "U"}


@responses.activate
def test_retry_after_is_honoured_to_the_second() -> None:
    clock = Clock()
    responses.get(
        f"{BASE}/me",
        status=429,
        headers={"Retry-After": "7"},
        json={"error": {"status": 429, "message": "x"}},
    )
    responses.get(f"{BASE}/me", json=ME)

    make_client(clock).current_user()

    assert clock.sleeps == [7.0]


@responses.activate
def test_a_missing_retry_after_waits_one_second() -> None:
    clock = Clock()
    responses.get(f"{BASE}/me", status=429)
    responses.get(f"{BASE}/me", json=ME)

    make_client(clock).current_user()

    assert clock.sleeps == [1.0]


@responses.activate
def test_a_retry_after_past_the_deadline_fails_fast_without_sleeping() -> None:
    clock = Clock()
    responses.get(f"{BASE}/me", status=429, headers={"Retry-After": "5"})

    with pytest.raises(SpotifyRateLimitedError) as caught:
        make_client(clock, deadline_in=4.0).current_user()

    assert caught.value.retry_after == 5.0
    assert clock.sleeps == []
    assert len(responses.calls) == 1


@responses.activate
def test_a_retry_after_within_the_deadline_is_waited() -> None:
    clock = Clock()
    responses.get(f"{BASE}/me", status=429, headers={"Retry-After": "2"})
    responses.get(f"{BASE}/me", json=ME)

    make_client(clock, deadline_in=4.0).current_user()

    assert clock.sleeps == [2.0]


@responses.activate
def test_retry_after_above_the_cap_is_raised_not_waited() -> None:
    clock = Clock()
    responses.get(f"{BASE}/me", status=429, headers={"Retry-After": "11"})

    with pytest.raises(SpotifyRateLimitedError):
        make_client(clock, max_retry_after_s=10).current_user()
    assert clock.sleeps == []


@responses.activate
def test_backoff_grows_exponentially_with_jitter_inside_the_ceiling() -> None:
    clock = Clock()
    for _ in range(3):
        responses.get(f"{BASE}/me", status=503)
    responses.get(f"{BASE}/me", json=ME)

    make_client(clock, jitter=lambda: 1.0, backoff_base_s=0.5).current_user()
    assert clock.sleeps == [0.5, 1.0, 2.0]


@responses.activate
def test_backoff_jitter_never_drops_below_half_the_step() -> None:
    clock = Clock()
    responses.get(f"{BASE}/me", status=500)
    responses.get(f"{BASE}/me", json=ME)

    make_client(clock, jitter=lambda: 0.0, backoff_base_s=0.5).current_user()
    assert clock.sleeps == [0.25]


@responses.activate
def test_backoff_that_would_cross_the_deadline_gives_up_at_once() -> None:
    clock = Clock()
    responses.get(f"{BASE}/me", status=503)

    with pytest.raises(SpotifyUnavailableError):
        make_client(clock, deadline_in=0.3, backoff_base_s=1.0).current_user()
    assert clock.sleeps == []
    assert len(responses.calls) == 1


@responses.activate
def test_no_request_is_sent_once_the_deadline_has_passed() -> None:
    clock = Clock()
    responses.get(f"{BASE}/me", json=ME)

    with pytest.raises(SpotifyUnavailableError, match="Ran out of time"):
        make_client(clock, deadline_in=-1).current_user()
    assert len(responses.calls) == 0


@responses.activate
def test_a_read_timeout_on_get_is_retried() -> None:
    import requests

    clock = Clock()
    responses.get(f"{BASE}/me", body=requests.ReadTimeout("slow"))
    responses.get(f"{BASE}/me", json=ME)

    assert make_client(clock).current_user().id == "u1"
    assert len(clock.sleeps) == 1


@responses.activate
def test_a_client_error_keeps_spotifys_message() -> None:
    responses.post(
        f"{BASE}/playlists/p1/items",
        status=400,
        json={"error": {"status": 400, "message": "Invalid track uri"}},
    )

    with pytest.raises(SpotifyError) as caught:
        make_client(Clock())._request("POST", "/playlists/p1/items", json={"uris": ["x"]})

    assert caught.value.status == 400
    assert "Invalid track uri" in caught.value.message


@responses.activate
def test_a_non_json_gateway_error_is_still_mapped() -> None:
    responses.get(f"{BASE}/me", status=502, body="<html>Bad Gateway</html>")

    with pytest.raises(SpotifyUnavailableError) as caught:
        make_client(Clock(), max_retries=0).current_user()
    assert caught.value.status == 502


@responses.activate
def test_a_generic_403_asks_for_the_playlist_permissions() -> None:
    responses.post(
        f"{BASE}/me/playlists",
        status=403,
        json={"error": {"status": 403, "message": "Insufficient client scope"}},
    )

    with pytest.raises(SpotifyForbiddenError) as caught:
        make_client(Clock()).create_playlist("x")

    assert not caught.value.user_not_registered
    assert "Insufficient client scope" in caught.value.message


@responses.activate
def test_a_profile_without_an_id_is_an_error_not_a_crash() -> None:
    responses.get(f"{BASE}/me", json={"display_name": "nobody"})

    with pytest.raises(SpotifyError, match="without an id"):
        make_client(Clock()).current_user()


@responses.activate
def test_the_token_is_sent_as_a_header_never_in_the_url() -> None:
    responses.get(f"{BASE}/me", json=ME)

    make_client(Clock()).current_user()

    call = responses.calls[0]
    assert call.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in call.request.url


def test_an_empty_token_is_refused_up_front() -> None:
    with pytest.raises(SpotifyError) as caught:
        SpotifyClient("  ")
    assert caught.value.status == 401


@responses.activate
def test_adding_nothing_sends_nothing() -> None:
    assert make_client(Clock()).add_items("p1", []) == 0
    assert len(responses.calls) == 0


@responses.activate
def test_a_503_with_retry_after_waits_that_long_instead_of_backing_off() -> None:
    clock = Clock()
    responses.get(f"{BASE}/me", status=503, headers={"Retry-After": "3"})
    responses.get(f"{BASE}/me", json=ME)

    make_client(clock, jitter=lambda: 1.0).current_user()

    assert clock.sleeps == [3.0]
