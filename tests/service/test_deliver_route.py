"""POST /playlists/{id}/deliver: a stored playlist to another platform, through the whole API."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from aidj_service.delivery.settings import DeliverySettings
from aidj_service.edge.api import Api
from aidj_service.stores.history import PlaylistRecord
from tests.support.delivery_playlist import (
    EXPECTED_UNMATCHED,
    HALLELUJAH_COHEN,
    HOTEL_CALIFORNIA_LIVE,
    YELLOW_COLDPLAY,
    expected_target,
    playlist,
)
from tests.support.fake_platform import Fault
from tests.support.fake_subsonic import PASSWORD, USER, FakeSubsonic
from tests.support.fake_youtube import ACCESS_TOKEN, FakeYouTube

from .conftest import call, local_settings

PLANTED = [expected_target(t.track_id) for t in playlist() if t.track_id not in EXPECTED_UNMATCHED]


@pytest.fixture
def subsonic() -> Iterator[FakeSubsonic]:
    with FakeSubsonic() as fake:
        yield fake


@pytest.fixture
def youtube() -> Iterator[FakeYouTube]:
    with FakeYouTube() as fake:
        yield fake


@pytest.fixture
def delivering(dj, tmp_path, subsonic, youtube) -> Iterator[Api]:
    api = Api(
        local_settings(tmp_path),
        dj=dj,
        delivery=DeliverySettings(
            subsonic_url=subsonic.url,
            subsonic_user=USER,
            subsonic_password=PASSWORD,
            google_client_id="client.apps.googleusercontent.com",
            google_client_secret="client-secret",
            youtube_api_url=youtube.url,
        ),
    )
    yield api
    api.close()


def stored(api: Api, language: str = "en", user_id: str = "local", **extra: object) -> str:
    """The planted 20-track playlist, stored as the API stores a built one from a prompt read in
    ``language``, made by ``user_id`` (``extra``: more of the record's fields)."""
    playlist_id = str(uuid.uuid4())
    tracks = [
        {
            "id": t.track_id,
            "name": t.name,
            "artists": list(t.artists),
            "album": t.album,
            "duration_ms": t.duration_ms,
        }
        for t in playlist()
    ]
    data = {
        "name": "Evening mix",
        "prompt": "calm evening",
        "parameters": {"language": language},
        "tracks": tracks,
        "version": 1,
        **extra,
    }
    api.store.put(PlaylistRecord(playlist_id, user_id, "2026-12-04T22:00:00.000000Z", data))
    return playlist_id


def deliver(api: Api, playlist_id: str, body: dict):
    return call(api, "POST", f"/playlists/{playlist_id}/deliver", body)


def test_a_stored_playlist_is_delivered_to_a_subsonic_server(delivering, subsonic):
    answer = deliver(delivering, stored(delivering), {"platform": "subsonic"})
    assert answer.status == 200
    body = answer.json_body()
    assert body["platform"] == "subsonic" and body["matched"] == 17
    assert {u["track_id"]: u["reason"] for u in body["unmatched"]} == EXPECTED_UNMATCHED
    assert body["notices"] == [
        "3 of the 20 tracks were left out because Subsonic has no sure match for them; the "
        "reason is next to each one."
    ]
    assert [p["songs"] for p in subsonic.playlists.values()] == [PLANTED]


def test_a_spanish_playlist_is_delivered_with_spanish_sentences(delivering, subsonic):
    body = deliver(delivering, stored(delivering, "es"), {"platform": "subsonic"}).json_body()
    why = {u["track_id"]: u["why"] for u in body["unmatched"]}
    assert why == {
        HALLELUJAH_COHEN: "En Subsonic solo está este título de otro artista: «Hallelujah», de "
        "Jeff Buckley.",
        YELLOW_COLDPLAY: "En Subsonic solo está una versión en directo: «Yellow (Live in Buenos "
        "Aires)», de Coldplay.",
        HOTEL_CALIFORNIA_LIVE: "Subsonic no encontró nada con este título y este artista.",
    }
    assert body["notices"] == [
        "Se quedaron fuera 3 de las 20 pistas porque Subsonic no tiene una coincidencia segura "
        "para ellas; junto a cada una se indica el motivo."
    ]
    assert {u["track_id"]: u["reason"] for u in body["unmatched"]} == EXPECTED_UNMATCHED


def test_a_repeated_request_answers_the_same_without_a_second_playlist(delivering, subsonic):
    playlist_id = stored(delivering)
    first = deliver(delivering, playlist_id, {"platform": "subsonic"}).json_body()
    again = deliver(delivering, playlist_id, {"platform": "subsonic"}).json_body()
    assert again == first and len(subsonic.playlists) == 1


def test_a_retry_after_a_lost_answer_finds_the_first_playlist(delivering, subsonic):
    playlist_id = stored(delivering)
    subsonic.add_fault(Fault(500, path="createPlaylist", after_applying=True))
    failed = deliver(delivering, playlist_id, {"platform": "subsonic"})
    assert failed.status == 503 and failed.json_body()["error"]["code"] == "platform_unavailable"
    assert deliver(delivering, playlist_id, {"platform": "subsonic"}).status == 200
    assert [p["songs"] for p in subsonic.playlists.values()] == [PLANTED]


def test_youtube_music_reports_the_quota_units_it_used(delivering, youtube):
    body = deliver(
        delivering,
        stored(delivering),
        {"platform": "youtube_music", "google_access_token": ACCESS_TOKEN},
    ).json_body()
    assert body["usage"] == {"quota_units": youtube.units_used} and body["matched"] == 17


def test_a_rejected_sign_in_is_a_401_naming_the_platform(delivering):
    answer = deliver(
        delivering,
        stored(delivering),
        {"platform": "youtube_music", "google_access_token": "not-the-token"},
    )
    assert answer.status == 401
    assert "sign in to YouTube Music again" in answer.json_body()["error"]["message"]


def test_a_platform_the_service_is_not_set_up_for_is_422_naming_what_is_missing(delivering):
    answer = deliver(
        delivering, stored(delivering), {"platform": "apple_music", "music_user_token": "t"}
    )
    assert answer.status == 422
    message = answer.json_body()["error"]["message"]
    assert "AIDJ_APPLE_MUSIC_TEAM_ID" in message and "subsonic" in message


def test_another_platform_s_field_is_a_422(delivering):
    answer = deliver(
        delivering, stored(delivering), {"platform": "subsonic", "music_user_token": "t"}
    )
    assert answer.status == 422 and "music_user_token" in answer.json_body()["error"]["message"]


def test_an_unknown_playlist_is_a_404(delivering):
    assert deliver(delivering, str(uuid.uuid4()), {"platform": "subsonic"}).status == 404


def test_a_version_that_does_not_exist_is_a_404(delivering):
    answer = deliver(delivering, stored(delivering), {"platform": "subsonic", "version": 7})
    assert answer.status == 404


def test_the_delivery_is_remembered_in_the_record_but_not_in_its_answer(delivering):
    playlist_id = stored(delivering)
    deliver(delivering, playlist_id, {"platform": "subsonic"})
    record = delivering.store.get(playlist_id)
    assert record is not None and [d["key"] for d in record.data["deliveries"]] == [
        f"subsonic:{playlist_id}:v1"
    ]
    shown = call(delivering, "GET", f"/playlists/{playlist_id}").json_body()
    assert "deliveries" not in shown


def test_the_page_learns_where_it_can_save(delivering):
    config = call(delivering, "GET", "/config").json_body()
    assert config["platforms"] == ["spotify", "youtube_music", "subsonic"]
    assert config["google_client_id"] == "client.apps.googleusercontent.com"
    assert config["apple_music_developer_token"] is None


def test_the_openapi_document_describes_each_platform_s_body(delivering):
    document = call(delivering, "GET", "/openapi.json").json_body()
    operation = document["paths"]["/playlists/{playlist_id}/deliver"]["post"]
    schema_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_ref.rsplit("/", 1)[-1]]
    assert sorted(schema["discriminator"]["mapping"]) == [
        "apple_music",
        "spotify",
        "subsonic",
        "youtube_music",
    ]
    assert {"200", "401", "422", "502"} <= set(operation["responses"])


def test_a_dynamodb_history_remembers_deliveries_too(dj, tmp_path, subsonic, moto_store):
    api = Api(
        local_settings(tmp_path),
        dj=dj,
        store=moto_store,
        delivery=DeliverySettings(
            subsonic_url=subsonic.url, subsonic_user=USER, subsonic_password=PASSWORD
        ),
    )
    try:
        playlist_id = stored(api)
        first = deliver(api, playlist_id, {"platform": "subsonic"}).json_body()
        assert deliver(api, playlist_id, {"platform": "subsonic"}).json_body() == first
        assert len(subsonic.playlists) == 1
    finally:
        api.close()


def test_apple_music_set_up_lets_the_page_load_musickit_and_hands_it_a_developer_token(
    dj, tmp_path
):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    api = Api(
        local_settings(tmp_path),
        dj=dj,
        delivery=DeliverySettings(
            apple_music_team_id="TEAM123456",
            apple_music_key_id="KEY1234567",
            apple_music_private_key=pem,
        ),
    )
    try:
        policy = call(api, "GET", "/").headers["content-security-policy"]
        config = call(api, "GET", "/config").json_body()
    finally:
        api.close()
    assert "script-src 'self' https://js-cdn.music.apple.com;" in policy
    assert config["platforms"] == ["spotify", "apple_music"]
    assert config["musickit_url"] == "https://js-cdn.music.apple.com/musickit/v3/musickit.js"
    assert config["apple_music_developer_token"].count(".") == 2
    assert "PRIVATE KEY" not in json.dumps(config)


def test_without_apple_music_the_page_loads_scripts_from_itself_only(delivering):
    policy = call(delivering, "GET", "/").headers["content-security-policy"]
    assert "script-src 'self';" in policy
