"""A playlist built from the real catalog can be saved to Spotify as built, in order."""

from __future__ import annotations

from aidj.engine import build_playlist
from aidj.intent import Intent
from aidj_service.clients.spotify import SpotifyClient
from tests.support.fake_spotify import FakeSpotify


def test_a_catalog_playlist_is_saved_in_its_dj_order(catalog, fake_spotify: FakeSpotify) -> None:
    playlist = build_playlist(
        catalog, Intent(playlist_name="Late Night Jazz", genres=["jazz"], limit=40)
    )
    client = SpotifyClient(fake_spotify.token, base_url=fake_spotify.url)

    created = client.create_playlist(playlist.name, description="AI DJ")
    added = client.add_items(created.id, [track.uri for track in playlist.tracks], url=created.url)

    assert added == len(playlist.tracks) == 40
    stored = fake_spotify.playlists[created.id]
    assert stored["name"] == "Late Night Jazz"
    assert stored["items"] == [f"spotify:track:{track.id}" for track in playlist.tracks]
