"""The fake Spotify server stays honest: its answers match the OpenAPI document and Spotify's limits."""

from __future__ import annotations

import pytest
import requests

from tests.support import openapi_schemas
from tests.support.fake_spotify import CATALOG_PATH, OPENAPI_PATH, FakeSpotify

needs_spec = pytest.mark.skipif(
    not OPENAPI_PATH.exists(), reason=f"no OpenAPI document at {OPENAPI_PATH}"
)


def call(fake: FakeSpotify, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {fake.token}"}
    return requests.request(method, f"{fake.url}{path}", headers=headers, timeout=5, **kwargs)


@needs_spec
def test_every_answer_validates_against_the_openapi_document(fake_spotify: FakeSpotify) -> None:
    fake_spotify.audio_features_allowed = True
    ids = ",".join(row["track_id"] for row in fake_spotify.tracks[:5])
    assert call(fake_spotify, "GET", "/me").status_code == 200
    created = call(
        fake_spotify, "POST", "/me/playlists", json={"name": "Spec", "public": False}
    ).json()
    uris = [fake_spotify.track_uri(i) for i in range(3)]
    assert (
        call(
            fake_spotify, "POST", f"/playlists/{created['id']}/items", json={"uris": uris}
        ).status_code
        == 201
    )
    assert (
        call(
            fake_spotify,
            "GET",
            "/search",
            params={"q": "love genre:pop", "type": "track", "limit": 10},
        ).status_code
        == 200
    )
    assert call(fake_spotify, "GET", "/audio-features", params={"ids": ids}).status_code == 200
    fake_spotify.audio_features_allowed = False
    assert call(fake_spotify, "GET", "/audio-features", params={"ids": ids}).status_code == 403
    fake_spotify.rate_limit(retry_after=2)
    assert call(fake_spotify, "GET", "/me").status_code == 429
    assert requests.get(f"{fake_spotify.url}/me", timeout=5).status_code == 401

    assert fake_spotify.validated == 8
    assert fake_spotify.schema_errors == []


@needs_spec
def test_the_schema_check_catches_a_wrong_shape() -> None:
    # Without this the honesty test above could never fail.
    doc = openapi_schemas.load_openapi(OPENAPI_PATH)
    schema = openapi_schemas.response_schema(doc, "/search", "get", 200)

    errors = openapi_schemas.validation_errors(schema, {"tracks": {"items": [{"name": 5}]}})

    assert any("href" in e for e in errors)  # paging fields are required
    assert any("tracks/items/0/name" in e for e in errors)


@needs_spec
def test_nullable_fields_accept_null() -> None:
    doc = openapi_schemas.load_openapi(OPENAPI_PATH)
    schema = openapi_schemas.resolve(doc, {"$ref": "#/components/schemas/PlaylistObject"})
    assert openapi_schemas.validation_errors(schema, {"description": None}) == []


def test_more_than_100_uris_are_rejected_like_spotify_does(fake_spotify: FakeSpotify) -> None:
    created = call(fake_spotify, "POST", "/me/playlists", json={"name": "Big"}).json()
    uris = [fake_spotify.track_uri(i) for i in range(101)]

    answer = call(fake_spotify, "POST", f"/playlists/{created['id']}/items", json={"uris": uris})

    assert answer.status_code == 400
    assert fake_spotify.playlists[created["id"]]["items"] == []


def test_a_search_limit_above_10_is_rejected(fake_spotify: FakeSpotify) -> None:
    answer = call(
        fake_spotify, "GET", "/search", params={"q": "love", "type": "track", "limit": 11}
    )
    assert answer.status_code == 400


def test_a_search_returns_at_most_10(fake_spotify: FakeSpotify) -> None:
    answer = call(
        fake_spotify, "GET", "/search", params={"q": "a", "type": "track", "limit": 10}
    ).json()
    assert len(answer["tracks"]["items"]) == 10
    assert answer["tracks"]["total"] > 10
    assert answer["tracks"]["next"]


def test_faults_fire_the_programmed_number_of_times(fake_spotify: FakeSpotify) -> None:
    fake_spotify.server_error(times=2, status=503)
    statuses = [call(fake_spotify, "GET", "/me").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_the_token_expires_after_the_programmed_calls(fake_spotify: FakeSpotify) -> None:
    fake_spotify.expire_token_after(1)
    statuses = [call(fake_spotify, "GET", "/me").status_code for _ in range(2)]
    assert statuses == [200, 401]


@pytest.mark.skipif(not CATALOG_PATH.exists(), reason="catalog not in ../shared")
def test_tracks_come_from_the_real_catalog(fake_spotify: FakeSpotify) -> None:
    genres = {row["track_genre"] for row in fake_spotify.tracks}
    assert len(genres) == 114


@needs_spec
def test_request_bodies_are_checked_against_the_document(fake_spotify: FakeSpotify) -> None:
    answer = call(fake_spotify, "POST", "/me/playlists", json={"name": "x", "public": "no"})

    assert answer.status_code == 400
    assert "public" in fake_spotify.request_errors[0]
    assert fake_spotify.playlists == {}
    fake_spotify.request_errors.clear()  # refused on purpose; the fixture fails on any left
