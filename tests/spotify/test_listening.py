"""What the user listens to: the fake serves it as the OpenAPI document says, the client reads it."""

from __future__ import annotations

import pytest
import requests

from aidj.taste.build import build
from aidj.taste.profile import Source
from aidj_service.clients.listening import read_listening
from aidj_service.clients.spotify import SpotifyClient, SpotifyForbiddenError
from tests.support.fake_spotify import OPENAPI_PATH, FakeSpotify

needs_spec = pytest.mark.skipif(
    not OPENAPI_PATH.exists(), reason=f"no OpenAPI document at {OPENAPI_PATH}"
)


def call(fake: FakeSpotify, path: str, **params) -> requests.Response:
    headers = {"Authorization": f"Bearer {fake.token}"}
    return requests.get(f"{fake.url}{path}", headers=headers, params=params, timeout=5)


@pytest.fixture
def client(fake_spotify: FakeSpotify) -> SpotifyClient:
    return SpotifyClient(fake_spotify.token, base_url=fake_spotify.url, timeout_s=2.0)


@needs_spec
def test_every_listening_answer_validates_against_the_openapi_document(fake_spotify):
    for term in ("short_term", "medium_term", "long_term"):
        assert call(fake_spotify, "/me/top/artists", time_range=term, limit=50).status_code == 200
        assert call(fake_spotify, "/me/top/tracks", time_range=term, limit=50).status_code == 200
    assert call(fake_spotify, "/me/player/recently-played", limit=50).status_code == 200
    assert call(fake_spotify, "/me/tracks", limit=50, offset=10).status_code == 200
    assert call(fake_spotify, "/me/top/artists", limit=51).status_code == 400
    assert fake_spotify.validated == 9
    assert fake_spotify.schema_errors == []  # checked again by the fixture, named here


def test_artists_and_tracks_come_without_what_development_mode_apps_lost(fake_spotify):
    artist = call(fake_spotify, "/me/top/artists").json()["items"][0]
    track = call(fake_spotify, "/me/top/tracks").json()["items"][0]
    assert not {"genres", "popularity", "followers"} & set(artist)
    assert "popularity" not in track
    assert {"id", "name", "artists"} <= set(track)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/me/top/artists", {"time_range": "forever"}),
        ("/me/top/tracks", {"limit": 0}),
        ("/me/tracks", {"limit": 51}),
        ("/me/player/recently-played", {"after": 1, "before": 2}),
        ("/me/player/recently-played", {"before": "yesterday"}),
    ],
)
def test_out_of_range_parameters_are_refused_as_spotify_refuses_them(fake_spotify, path, params):
    answer = call(fake_spotify, path, **params)
    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == 400


def test_top_items_page_with_limit_and_offset(fake_spotify):
    first = call(fake_spotify, "/me/top/tracks", limit=5).json()
    second = call(fake_spotify, "/me/top/tracks", limit=5, offset=5).json()
    assert first["total"] == second["total"] == 60
    assert first["next"] and first["previous"] is None and second["previous"]
    assert {t["id"] for t in first["items"]}.isdisjoint(t["id"] for t in second["items"])


def test_recent_plays_page_backwards_with_the_before_cursor(fake_spotify):
    first = call(fake_spotify, "/me/player/recently-played", limit=50).json()
    assert "total" not in first and first["next"]
    older = call(
        fake_spotify, "/me/player/recently-played", limit=50, before=first["cursors"]["before"]
    ).json()
    assert len(older["items"]) == 20 and "next" not in older  # the last page says no more
    assert older["items"][0]["played_at"] < first["items"][-1]["played_at"]


def test_the_client_reads_each_list_as_documented(client, fake_spotify):
    artists = client.top("artists", "short_term")
    tracks = client.top("tracks", "long_term", limit=10)
    plays, saved = client.recently_played(), client.saved_tracks()
    assert [a["name"] for a in artists] == fake_spotify.listening.top_artists["short_term"][:50]
    assert [t["id"] for t in tracks] == fake_spotify.listening.top_tracks["long_term"][:10]
    assert len(plays) == len(saved) == 50
    asked = [(r.path, r.query) for r in fake_spotify.requests]
    assert asked[:2] == [
        ("/v1/me/top/artists", {"time_range": "short_term", "limit": "50"}),
        ("/v1/me/top/tracks", {"time_range": "long_term", "limit": "10"}),
    ]


def test_reading_listening_gives_signals_from_every_list(client, fake_spotify):
    listening = read_listening(client)
    sources = {s.source for s in listening.signals}
    assert sources == {
        Source.TOP_SHORT,
        Source.TOP_MEDIUM,
        Source.TOP_LONG,
        Source.RECENT,
        Source.SAVED,
    }
    assert listening.skipped == []
    assert len(fake_spotify.requests) == 8


def test_a_list_whose_scope_was_not_granted_is_skipped_and_named(client, fake_spotify):
    fake_spotify.listening.scopes.discard("user-library-read")
    listening = read_listening(client)
    assert listening.skipped == ["saved tracks"]
    assert Source.SAVED not in {s.source for s in listening.signals}


def test_an_account_the_app_may_not_serve_is_an_error_not_a_skip(client, fake_spotify):
    fake_spotify.unregister_user()
    with pytest.raises(SpotifyForbiddenError) as raised:
        read_listening(client)
    assert raised.value.user_not_registered


def test_a_profile_built_from_the_fake_lists_its_top_artist_first(client, fake_spotify, catalog):
    profile = build(read_listening(client).signals, catalog)
    top = fake_spotify.listening.top_artists["short_term"][0]
    names = [e.name.casefold() for e in profile.ranked_artists(10)]
    assert top.casefold() in names
    assert profile.ranked_genres(1)
