"""What living playlists need from Spotify: replace items in place, the queue, the refresh grant (fake on 127.0.0.1)."""

from __future__ import annotations

import pytest

from aidj_service.clients.spotify import (
    SpotifyClient,
    SpotifyNoDeviceError,
    SpotifyRevokedError,
    refresh_access_token,
)
from tests.support.fake_spotify import FakeSpotify


@pytest.fixture
def client(fake_spotify: FakeSpotify) -> SpotifyClient:
    return SpotifyClient(fake_spotify.token, base_url=fake_spotify.url, timeout_s=2.0)


def test_replace_items_sets_the_playlist_in_place_in_batches_of_100(
    fake_spotify: FakeSpotify, client
) -> None:
    created = client.create_playlist("Living")
    client.add_items(created.id, [fake_spotify.track_uri(i) for i in range(5)])
    uris = [fake_spotify.track_uri(i) for i in range(10, 260)]

    assert client.replace_items(created.id, uris) == 250

    assert fake_spotify.playlists[created.id]["items"] == uris
    puts = fake_spotify.requests_to("PUT", r"/items$")
    posts = fake_spotify.requests_to("POST", r"/items$")
    assert [len(r.body["uris"]) for r in puts] == [100]
    assert [len(r.body["uris"]) for r in posts[1:]] == [
        100,
        50,
    ]  # the first POST built the old version
    assert len(fake_spotify.requests_to("POST", r"/me/playlists$")) == 1  # never a new playlist


def test_replace_items_with_a_shorter_version_drops_the_rest(
    fake_spotify: FakeSpotify, client
) -> None:
    created = client.create_playlist("Living")
    client.add_items(created.id, [fake_spotify.track_uri(i) for i in range(30)])
    client.replace_items(created.id, [fake_spotify.track_uri(1)])
    assert fake_spotify.playlists[created.id]["items"] == [fake_spotify.track_uri(1)]


def test_queue_needs_an_active_device(fake_spotify: FakeSpotify, client) -> None:
    with pytest.raises(SpotifyNoDeviceError) as err:
        client.queue(fake_spotify.track_uri(0))
    assert "open Spotify" in err.value.message
    fake_spotify.active_device = True
    client.queue(fake_spotify.track_uri(0))
    client.queue(fake_spotify.track_uri(1))
    assert fake_spotify.queued == [fake_spotify.track_uri(0), fake_spotify.track_uri(1)]


def test_a_refresh_token_buys_an_access_token_until_revoked(fake_spotify: FakeSpotify) -> None:
    refresh = fake_spotify.issue_refresh_token()
    grant = refresh_access_token(
        refresh, client_id="test-client-id", accounts_url=fake_spotify.accounts_url
    )
    assert grant.access_token == fake_spotify.token and grant.expires_in == 3600
    assert fake_spotify.token not in repr(grant)

    fake_spotify.revoke_refresh_token(refresh)
    with pytest.raises(SpotifyRevokedError):
        refresh_access_token(
            refresh, client_id="test-client-id", accounts_url=fake_spotify.accounts_url
        )
    (sent,) = fake_spotify.requests_to("POST", r"^/api/token$")[-1:]
    assert "grant_type=refresh_token" in sent.body and "client_id=test-client-id" in sent.body
