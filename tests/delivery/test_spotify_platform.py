"""Spotify as one delivery platform: the existing client behind the Platform protocol."""

from __future__ import annotations

import pytest

from aidj_service.clients.spotify import SpotifyClient
from aidj_service.delivery.deliver import deliver
from aidj_service.delivery.errors import PlatformAuthError, PlatformPartialWriteError
from aidj_service.delivery.ledger import MemoryLedger
from aidj_service.delivery.spotify_platform import SpotifyPlatform
from tests.support.delivery_playlist import playlist


def spotify(fake, token: str | None = None) -> SpotifyPlatform:
    client = SpotifyClient(token or fake.token, base_url=fake.url, sleep=lambda s: None)
    return SpotifyPlatform(client)


def test_every_catalog_track_is_its_own_spotify_track(fake_spotify, delivery):
    result = deliver(spotify(fake_spotify), delivery, MemoryLedger())
    assert [(m.track_id, m.target_id, m.confidence) for m in result.matches] == [
        (t.track_id, t.track_id, 1.0) for t in playlist()
    ]
    assert not result.unmatched
    assert not fake_spotify.requests_to("GET", "/search")


def test_the_playlist_holds_the_20_tracks_in_order(fake_spotify, delivery):
    deliver(spotify(fake_spotify), delivery, MemoryLedger())
    (created,) = fake_spotify.playlists.values()
    assert created["items"] == [f"spotify:track:{t.track_id}" for t in playlist()]


def test_a_failed_add_is_completed_by_the_retry_in_the_same_playlist(fake_spotify, delivery):
    fake_spotify.fail_adding_items(status=502)
    ledger = MemoryLedger()
    with pytest.raises(PlatformPartialWriteError, match="holds only 0 of 20"):
        deliver(spotify(fake_spotify), delivery, ledger)
    deliver(spotify(fake_spotify), delivery, ledger)
    (created,) = fake_spotify.playlists.values()
    assert created["items"] == [f"spotify:track:{t.track_id}" for t in playlist()]


def test_an_expired_token_is_the_delivery_s_auth_error(fake_spotify, delivery):
    with pytest.raises(PlatformAuthError, match="sign in to Spotify again"):
        deliver(spotify(fake_spotify, token="expired-token-0123456789"), delivery, MemoryLedger())
