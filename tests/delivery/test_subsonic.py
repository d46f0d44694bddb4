"""Subsonic / OpenSubsonic servers: token + salt authentication, errors inside HTTP 200."""

from __future__ import annotations

import pytest
import responses

from aidj_service.delivery.deliver import deliver, delivery_key, marker
from aidj_service.delivery.errors import PlatformAuthError, PlatformNotConfiguredError
from aidj_service.delivery.ledger import MemoryLedger
from aidj_service.delivery.subsonic import Subsonic
from tests.support.delivery_playlist import EXPECTED_UNMATCHED, expected_target, playlist
from tests.support.fake_platform import Fault
from tests.support.fake_subsonic import PASSWORD, USER, FakeSubsonic

from .conftest import FAST

PLANTED = [expected_target(t.track_id) for t in playlist() if t.track_id not in EXPECTED_UNMATCHED]


@pytest.fixture
def subsonic():
    with FakeSubsonic() as fake:
        yield fake


def test_the_password_never_travels_when_the_server_takes_tokens(subsonic, delivery):
    deliver(Subsonic(subsonic.url, USER, PASSWORD, **FAST), delivery, MemoryLedger())
    assert subsonic.passwords_seen == []
    assert all(r.one("t") and r.one("s") and r.one("p") is None for r in subsonic.requests)
    assert not any(PASSWORD in str(r.query) for r in subsonic.requests)


def test_every_request_has_a_fresh_salt(subsonic, delivery):
    deliver(Subsonic(subsonic.url, USER, PASSWORD, **FAST), delivery, MemoryLedger())
    salts = [r.one("s") for r in subsonic.requests]
    assert len(set(salts)) == len(salts)


def test_a_server_without_token_auth_gets_the_encoded_password_on_this_machine(delivery):
    with FakeSubsonic(token_auth=False) as fake:
        result = deliver(Subsonic(fake.url, USER, PASSWORD, **FAST), delivery, MemoryLedger())
    assert len(result.matches) == 17
    assert (
        fake.requests[0].one("t") and fake.requests[1].one("p") == "enc:" + PASSWORD.encode().hex()
    )


@responses.activate
def test_the_password_is_not_sent_over_plain_http_to_another_host():
    responses.get(
        "http://music.example.org/rest/search3",
        json={
            "subsonic-response": {
                "status": "failed",
                "version": "1.16.1",
                "error": {"code": 41, "message": "Token authentication not supported"},
            }
        },
    )
    client = Subsonic("http://music.example.org", USER, PASSWORD, **FAST)
    with pytest.raises(PlatformNotConfiguredError, match="https"):
        client.search(playlist()[0])
    assert len(responses.calls) == 1 and PASSWORD not in str(responses.calls[0].request.url)


def test_a_wrong_password_asks_to_sign_in_again(subsonic):
    with pytest.raises(PlatformAuthError, match="sign in to Subsonic again"):
        Subsonic(subsonic.url, USER, "wrong", **FAST).search(playlist()[0])


def test_a_plain_subsonic_server_s_single_artist_string_is_enough(delivery):
    with FakeSubsonic(open_subsonic=False) as fake:
        result = deliver(Subsonic(fake.url, USER, PASSWORD, **FAST), delivery, MemoryLedger())
    assert {u.track_id: u.reason for u in result.unmatched} == EXPECTED_UNMATCHED


def test_the_playlist_is_named_as_asked_and_marked_in_its_comment(subsonic, delivery):
    deliver(Subsonic(subsonic.url, USER, PASSWORD, **FAST), delivery, MemoryLedger())
    (created,) = subsonic.playlists.values()
    tag = marker(delivery_key(delivery.playlist_id, delivery.version, "subsonic"))
    assert created["name"] == "Evening mix"
    assert created["comment"] == f"Made by AI DJ [{tag}]"


def test_a_create_whose_answer_was_lost_is_found_and_named_by_the_retry(subsonic, delivery):
    subsonic.add_fault(Fault(500, path="createPlaylist", after_applying=True))
    ledger = MemoryLedger()
    with pytest.raises(Exception, match="deliver again"):
        deliver(Subsonic(subsonic.url, USER, PASSWORD, **FAST), delivery, ledger)
    deliver(Subsonic(subsonic.url, USER, PASSWORD, **FAST), delivery, MemoryLedger())
    (found,) = subsonic.playlists.values()
    assert found["name"] == "Evening mix" and found["songs"] == PLANTED


def test_the_server_url_must_be_http_or_https():
    with pytest.raises(PlatformNotConfiguredError, match="server URL"):
        Subsonic("ftp://music.example.org", USER, PASSWORD)
