"""POST /playlists/{id}/deliver when requests overlap, and when the caller is not the owner.

Two simultaneous first deliveries (a double click, two tabs) make one playlist; a reader who is
not the owner saves a copy to their own account and never writes into the owner's record.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from aidj_service.delivery.settings import DeliverySettings
from aidj_service.edge.api import Api
from aidj_service.operations.delivery import account_of
from aidj_service.operations.living import edit_keys
from tests.support.fake_platform import Recorded
from tests.support.fake_subsonic import PASSWORD, USER, FakeSubsonic

from .conftest import call, local_settings
from .test_deliver_route import deliver, stored

EDIT_KEY = "the-key-its-maker-was-given-when-it-was-made-0123"


@pytest.fixture
def subsonic() -> Iterator[FakeSubsonic]:
    with FakeSubsonic() as fake:
        yield fake


def api_for(dj, tmp_path, subsonic: FakeSubsonic, **settings) -> Api:
    return Api(
        local_settings(tmp_path, **settings),
        dj=dj,
        delivery=DeliverySettings(
            subsonic_url=subsonic.url, subsonic_user=USER, subsonic_password=PASSWORD
        ),
    )


@pytest.fixture
def local(dj, tmp_path, subsonic) -> Iterator[Api]:
    api = api_for(dj, tmp_path, subsonic)
    yield api
    api.close()


@pytest.fixture
def deployed(dj, tmp_path, subsonic) -> Iterator[Api]:
    """Not a local server: the caller is not trusted, ownership is checked."""
    api = api_for(dj, tmp_path, subsonic, local_mode=False)
    yield api
    api.close()


def meet_at_the_playlist_lookup(subsonic: FakeSubsonic) -> None:
    """Hold each delivery where it asks the server for an earlier playlist, until two are there
    (then both would find none and both create) or two seconds have passed."""
    both = threading.Barrier(2, timeout=2.0)

    def before(request: Recorded) -> None:
        if "getPlaylists" in request.path:
            # broken: the other request never came this far (it waits on the claim)
            with contextlib.suppress(threading.BrokenBarrierError):
                both.wait()

    subsonic.before = before


def test_two_simultaneous_first_deliveries_create_one_playlist(local, subsonic):
    playlist_id = stored(local)
    meet_at_the_playlist_lookup(subsonic)
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(lambda _: deliver(local, playlist_id, {"platform": "subsonic"}), range(2))
        )
    assert [a.status for a in answers] == [200, 200]
    assert len(subsonic.playlists) == 1
    assert answers[0].json_body() == answers[1].json_body()


def test_a_delivery_still_running_past_the_wait_answers_409_with_retry_after(local, subsonic):
    playlist_id = stored(local)
    local.deliveries.claims.wait_s = 0
    key = f"subsonic:{playlist_id}:v1"
    with local.deliveries.claims.held("local", key, what="it"):
        answer = deliver(local, playlist_id, {"platform": "subsonic"})
    assert answer.status == 409 and answer.headers["retry-after"] == "5"
    assert answer.json_body()["error"]["code"] == "delivery_in_progress"
    assert not subsonic.playlists


def test_a_reader_who_is_not_the_owner_saves_a_copy_and_leaves_the_record_alone(deployed, subsonic):
    playlist_id = stored(deployed, user_id="alice")
    before = deployed.store.get(playlist_id)
    answer = deliver(deployed, playlist_id, {"platform": "subsonic"})
    assert answer.status == 200 and answer.json_body()["matched"] == 17
    assert len(subsonic.playlists) == 1
    assert deployed.store.get(playlist_id) == before


def test_the_maker_of_a_playlist_made_without_sign_in_is_its_owner_by_its_edit_key(
    deployed, subsonic
):
    playlist_id = stored_anonymously(deployed)
    answer = call(
        deployed,
        "POST",
        f"/playlists/{playlist_id}/deliver",
        {"platform": "subsonic"},
        headers={edit_keys.HEADER: EDIT_KEY},
    )
    assert answer.status == 200
    record = deployed.store.get(playlist_id)
    assert record is not None and [d["key"] for d in record.data["deliveries"]] == [
        f"subsonic:{playlist_id}:v1"
    ]


def test_without_its_edit_key_the_same_delivery_is_a_copy(deployed, subsonic):
    playlist_id = stored_anonymously(deployed)
    assert deliver(deployed, playlist_id, {"platform": "subsonic"}).status == 200
    record = deployed.store.get(playlist_id)
    assert record is not None and "deliveries" not in record.data


def test_a_wrong_edit_key_is_refused_as_when_editing(deployed, subsonic):
    playlist_id = stored_anonymously(deployed)
    answer = call(
        deployed,
        "POST",
        f"/playlists/{playlist_id}/deliver",
        {"platform": "subsonic"},
        headers={edit_keys.HEADER: "not-the-key"},
    )
    assert answer.status == 403 and answer.json_body()["error"]["code"] == "edit_key_invalid"
    assert not subsonic.playlists


def stored_anonymously(api: Api) -> str:
    """The planted playlist as made without a sign-in: its maker holds :data:`EDIT_KEY`."""
    digest = hashlib.sha256(EDIT_KEY.encode()).hexdigest()
    return stored(api, user_id="anonymous", **{edit_keys.DIGEST_FIELD: digest})


def test_a_copy_s_claim_names_the_account_without_its_password():
    mine = {"subsonic_user": "ana", "subsonic_password": "hunter2"}
    assert account_of(mine) == account_of({**mine, "subsonic_password": "other"})
    assert account_of(mine) != account_of({**mine, "subsonic_user": "bo"})
