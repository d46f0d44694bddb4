"""What every platform promises (Apple Music, YouTube Music, Subsonic), each against its fake.

The playlist is 20 real catalog tracks; each fake holds them as planted in
tests/support/delivery_playlist.py: 17 findable (one behind a same-title decoy listed first),
a decoy by another artist, only a live take, and one track missing.
"""

from __future__ import annotations

import logging

import pytest

from aidj_service.delivery.deliver import deliver, delivery_key, marker
from aidj_service.delivery.errors import PlatformUnavailableError
from aidj_service.delivery.ledger import MemoryLedger, SQLiteLedger
from tests.support import fake_apple_music, fake_subsonic, fake_youtube
from tests.support.delivery_playlist import EXPECTED_UNMATCHED, expected_target, playlist
from tests.support.fake_platform import Fault

from .conftest import World

PLANTED_TARGETS = [
    expected_target(t.track_id) for t in playlist() if t.track_id not in EXPECTED_UNMATCHED
]
SECRETS = (
    fake_apple_music.USER_TOKEN,
    fake_youtube.ACCESS_TOKEN,
    fake_subsonic.PASSWORD,
)


def test_a_20_track_playlist_arrives_matched_as_planted(world: World, delivery):
    result = deliver(world.open(), delivery, MemoryLedger())
    assert len(delivery.tracks) == 20
    assert result.platform == world.name
    assert len(result.matches) == 17
    assert {u.track_id: u.reason for u in result.unmatched} == EXPECTED_UNMATCHED
    assert world.playlists() == [PLANTED_TARGETS]
    assert result.url and result.target_id


def test_the_answer_has_the_api_shape_and_says_what_was_left_out(world: World, delivery):
    answer = deliver(world.open(), delivery, MemoryLedger()).to_dict()
    assert answer["matched"] == 17
    assert {u["track_id"] for u in answer["unmatched"]} == set(EXPECTED_UNMATCHED)
    assert all(u["why"] and u["name"] and u["artists"] for u in answer["unmatched"])
    assert all(0.8 <= m["confidence"] <= 1.0 for m in answer["matches"])
    assert answer["notices"] == [
        f"3 of the 20 tracks were left out because {world.open().label} has no sure match for "
        "them; the reason is next to each one."
    ]


def test_a_repeated_request_returns_the_first_delivery_without_calling_the_platform(
    world: World, delivery
):
    ledger = MemoryLedger()
    first = deliver(world.open(), delivery, ledger)
    calls = len(world.fake.requests)
    again = deliver(world.open(), delivery, ledger)
    assert again == first
    assert len(world.fake.requests) == calls
    assert len(world.playlists()) == 1


def test_a_lost_answer_to_the_create_does_not_make_a_second_playlist(world: World, delivery):
    method, path = world.create
    world.fake.add_fault(Fault(500, method=method, path=path, after_applying=True))
    ledger = MemoryLedger()
    with pytest.raises(PlatformUnavailableError, match="deliver again"):
        deliver(world.open(), delivery, ledger)
    assert len(world.fake.requests_to(method, path)) == 1, "a create is never resent blindly"

    result = deliver(world.open(), delivery, ledger)
    assert world.playlists() == [PLANTED_TARGETS]
    assert result.target_id


def test_a_forgotten_delivery_is_found_by_its_marker_and_not_duplicated(world: World, delivery):
    deliver(world.open(), delivery, MemoryLedger())
    deliver(world.open(), delivery, MemoryLedger())  # the ledger lost, e.g. another machine
    assert world.playlists() == [PLANTED_TARGETS]


def test_a_new_version_of_the_playlist_is_a_new_delivery(world: World, delivery):
    from dataclasses import replace

    ledger = MemoryLedger()
    deliver(world.open(), delivery, ledger)
    deliver(world.open(), replace(delivery, version=2), ledger)
    assert world.playlists() == [PLANTED_TARGETS, PLANTED_TARGETS]


def test_the_sqlite_ledger_remembers_across_processes(world: World, delivery, tmp_path):
    path = tmp_path / "deliveries.sqlite3"
    first = deliver(world.open(), delivery, SQLiteLedger(path))
    calls = len(world.fake.requests)
    assert deliver(world.open(), delivery, SQLiteLedger(path)) == first
    assert len(world.fake.requests) == calls


def test_tokens_and_passwords_never_reach_the_logs(world: World, delivery, caplog):
    world.fake.add_fault(Fault(503, method="GET", times=2))  # retried reads log warnings
    with caplog.at_level(logging.DEBUG):
        deliver(world.open(), delivery, MemoryLedger())
        repr(world.open())
    assert caplog.records, "the retries were logged"
    text = caplog.text + repr(world.open())
    assert not any(secret in text for secret in SECRETS)


def test_the_marker_is_stable_for_one_playlist_version_and_platform():
    key = delivery_key("p1", 3, "subsonic")
    assert marker(key) == marker(delivery_key("p1", 3, "subsonic"))
    assert marker(key) != marker(delivery_key("p1", 4, "subsonic"))
    assert marker(key).startswith("aidj:") and len(marker(key)) == 21


def test_a_ledger_record_of_an_older_shape_completes_its_playlist_instead_of_failing(
    world: World, delivery
):
    ledger = MemoryLedger()
    deliver(world.open(), delivery, ledger)
    key = delivery_key(delivery.playlist_id, delivery.version, world.name)
    old = ledger.get(key)
    assert old is not None
    # as the first version wrote it: sentences, no reason codes, no format
    ledger.put(key, {"target": old["target"], "result": {"unmatched": [{"code": "not_found"}]}})
    result = deliver(world.open(), delivery, ledger)
    assert result.target_id == old["target"]["id"]
    assert world.playlists() == [PLANTED_TARGETS]
