"""The delivery request bodies: one shape per platform, told apart by ``platform``."""

from __future__ import annotations

from typing import get_args

import pytest
from pydantic import ValidationError

from aidj.matching import REASONS, Unmatched
from aidj_service.delivery.deliver import DeliveryResult
from aidj_service.delivery.models import (
    AppleMusicDelivery,
    DeliverRequest,
    DeliveryResponse,
    UnmatchedInfo,
    wanted_tracks,
)
from aidj_service.delivery.registry import PLATFORMS


def test_each_platform_has_its_own_body():
    body = DeliverRequest.model_validate({"platform": "apple_music", "music_user_token": "abc"})
    assert isinstance(body.root, AppleMusicDelivery)
    assert body.credentials() == {"music_user_token": "abc"}


def test_another_platform_s_field_is_refused():
    with pytest.raises(ValidationError, match="google_access_token"):
        DeliverRequest.model_validate({"platform": "apple_music", "google_access_token": "x"})


def test_an_unknown_platform_is_refused_naming_the_known_ones():
    with pytest.raises(ValidationError, match="apple_music"):
        DeliverRequest.model_validate({"platform": "tidal"})


def test_a_token_that_cannot_travel_in_a_header_is_refused():
    with pytest.raises(ValidationError, match="sign in again"):
        DeliverRequest.model_validate({"platform": "youtube_music", "google_access_token": "a b"})


def test_the_schema_names_every_registered_platform():
    schema = DeliverRequest.model_json_schema()
    assert sorted(schema["discriminator"]["mapping"]) == sorted(PLATFORMS.names)


def test_a_delivery_result_is_a_valid_response_body():
    left_out = Unmatched("t1", "Creep", ("Radiohead",), "not_found")
    result = DeliveryResult("subsonic", None, None, (), (left_out,), label="Subsonic")
    answer = DeliveryResponse.model_validate(result.to_dict())
    assert answer.matched == 0 and answer.unmatched[0].reason == "not_found"


def test_the_answer_names_exactly_the_reasons_matching_gives():
    field = UnmatchedInfo.model_fields["reason"].annotation
    assert get_args(field) == REASONS


def test_stored_tracks_become_searchable_tracks():
    (wanted,) = wanted_tracks(
        [
            {
                "id": "abc",
                "name": "Creep",
                "artists": ["Radiohead"],
                "duration_ms": 238640,
                "album": "Pablo Honey",
            }
        ]
    )
    assert (wanted.track_id, wanted.artists, wanted.duration_ms) == ("abc", ("Radiohead",), 238640)


def test_a_stored_playlist_version_is_delivered_through_the_registry(tmp_path):
    from aidj_service.delivery.ledger import SQLiteLedger
    from aidj_service.delivery.operation import deliver_playlist, delivery_request
    from aidj_service.delivery.settings import DeliverySettings
    from tests.support.delivery_playlist import playlist
    from tests.support.fake_subsonic import PASSWORD, USER, FakeSubsonic

    data = {
        "name": "Evening mix",
        "prompt": "calm evening",
        "tracks": [
            {
                "id": t.track_id,
                "name": t.name,
                "artists": list(t.artists),
                "duration_ms": t.duration_ms,
                "album": t.album,
            }
            for t in playlist()
        ],
    }
    with FakeSubsonic() as fake:
        settings = DeliverySettings(
            subsonic_url=fake.url, subsonic_user=USER, subsonic_password=PASSWORD
        )
        result = deliver_playlist(
            "subsonic",
            delivery_request("p-1", 2, data),
            credentials={},
            settings=settings,
            ledger=SQLiteLedger(tmp_path / "d.sqlite3"),
        )
        (created,) = fake.playlists.values()
    assert result.to_dict()["matched"] == 17
    assert created["name"] == "Evening mix" and created["comment"].startswith(
        "AI DJ: calm evening [aidj:"
    )
