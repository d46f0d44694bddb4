"""Spotify follows a living playlist: versions replace its items in place, refreshes use a sealed
refresh token, a revoked token ends the schedule, play now fills the queue (fake Spotify on 127.0.0.1)."""

from __future__ import annotations

import itertools
import logging
import uuid
from typing import Any

import boto3
import pytest
from cryptography.fernet import Fernet

from aidj_service.edge.api import Api
from aidj_service.stores.tokens import FileTokenVault, KmsTokenVault
from tests.service.conftest import TABLE, call, create_table
from tests.service.test_refresh import FakeClock
from tests.support.fake_spotify import FakeSpotify

PROMPT = "jazz for dinner, 10 tracks"


def ids(body: dict[str, Any]) -> list[str]:
    return [t["id"] for t in body["tracks"]]


def uris(body: dict[str, Any]) -> list[str]:
    return [f"spotify:track:{t}" for t in ids(body)]


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api(make_api, spotify: FakeSpotify, key: str, clock: FakeClock) -> Api:
    made = make_api(
        spotify_api_url=spotify.url, spotify_accounts_url=spotify.accounts_url, token_key=key
    )
    made.living.clock = clock
    return made


def saved(api: Api, spotify: FakeSpotify) -> dict[str, Any]:
    body = call(
        api, "POST", "/playlist", {"prompt": PROMPT, "spotify_access_token": spotify.token}
    ).json_body()
    assert body["spotify"]["playlist_id"] in spotify.playlists
    return body


# ---------------------------------------------------------------- the vaults


@pytest.fixture(params=["file", "kms"])
def vault(request: pytest.FixtureRequest, tmp_path, key: str, aws_env: None):
    if request.param == "file":
        yield FileTokenVault(tmp_path / "tokens.enc", key)
        return
    from moto import mock_aws

    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        create_table(dynamodb)
        kms = boto3.client("kms", region_name="us-east-1")
        key_id = kms.create_key(Description="tokens")["KeyMetadata"]["KeyId"]
        yield KmsTokenVault(TABLE, key_id, dynamodb=dynamodb, kms=kms)


def test_a_vault_keeps_deletes_and_forgets_a_users_tokens(vault) -> None:
    vault.put("ann", "p1", "refresh-one")
    vault.put("ann", "p2", "refresh-two")
    vault.put("bob", "p1", "refresh-bob")
    assert (vault.get("ann", "p1"), vault.get("bob", "p1"), vault.get("ann", "p3")) == (
        "refresh-one",
        "refresh-bob",
        None,
    )

    vault.delete("ann", "p1")
    assert vault.get("ann", "p1") is None

    assert vault.delete_user("ann") == 1
    assert vault.get("ann", "p2") is None and vault.get("bob", "p1") == "refresh-bob"


def test_the_local_token_file_is_never_plain(tmp_path, key: str) -> None:
    vault = FileTokenVault(tmp_path / "tokens.enc", key)
    vault.put("ann", "p1", "very-secret-refresh-token")
    raw = (tmp_path / "tokens.enc").read_bytes()
    assert b"very-secret-refresh-token" not in raw and b"ann" not in raw
    assert (
        FileTokenVault(tmp_path / "tokens.enc", key).get("ann", "p1") == "very-secret-refresh-token"
    )
    assert (tmp_path / "tokens.enc").stat().st_mode & 0o077 == 0  # only the owner may read it


def test_a_kms_sealed_token_opens_only_for_its_user_and_playlist(aws_env: None) -> None:
    from moto import mock_aws

    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        create_table(dynamodb)
        kms = boto3.client("kms", region_name="us-east-1")
        vault = KmsTokenVault(
            TABLE, kms.create_key()["KeyMetadata"]["KeyId"], dynamodb=dynamodb, kms=kms
        )
        vault.put("ann", "p1", "secret")
        item = dynamodb.get_item(
            TableName=TABLE, Key={"user_id": {"S": "tok#ann"}, "sk": {"S": "p1"}}
        )["Item"]
        assert b"secret" not in item["sealed"]["B"]
        # the same ciphertext filed under another playlist does not open
        dynamodb.put_item(
            TableName=TABLE,
            Item={"user_id": {"S": "tok#ann"}, "sk": {"S": "p2"}, "sealed": item["sealed"]},
        )
        assert vault.get("ann", "p2") is None


# ---------------------------------------------------------------- versions follow on Spotify


def test_every_new_version_replaces_the_spotify_items_in_place(
    api: Api, spotify: FakeSpotify
) -> None:
    body = saved(api, spotify)
    sp_id, pid = body["spotify"]["playlist_id"], body["playlist_id"]
    auth = {"Authorization": f"Bearer {spotify.token}"}

    swapped = call(
        api,
        "POST",
        f"/playlists/{pid}/versions",
        {"edits": [{"op": "swap", "track_id": ids(body)[0]}]},
        auth,
    )
    assert spotify.playlists[sp_id]["items"] == uris(swapped.json_body())
    extended = call(api, "POST", f"/playlists/{pid}/extend", {"count": 3}, auth).json_body()
    assert spotify.playlists[sp_id]["items"] == uris(extended) and len(uris(extended)) == 13
    assert extended["spotify"]["version"] == 3 and extended["spotify"]["added"] == 13

    assert len(spotify.requests_to("POST", r"^/v1/me/playlists$")) == 1, (
        "never a new Spotify playlist"
    )
    assert len(spotify.requests_to("PUT", r"/items$")) == 2


def test_a_version_without_a_sign_in_says_spotify_was_not_updated(
    api: Api, spotify: FakeSpotify
) -> None:
    body = saved(api, spotify)
    answer = call(
        api,
        "POST",
        f"/playlists/{body['playlist_id']}/versions",
        {"edits": [{"op": "remove", "track_id": ids(body)[0]}]},
    ).json_body()
    assert "Connect Spotify to update the Spotify copy" in answer["message"]
    assert spotify.playlists[body["spotify"]["playlist_id"]]["items"] == uris(body)


# ---------------------------------------------------------------- scheduled refreshes follow unattended


def test_a_week_of_refreshes_follows_on_the_one_spotify_playlist(
    api: Api, spotify: FakeSpotify, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    body = saved(api, spotify)
    pid, sp_id = body["playlist_id"], body["spotify"]["playlist_id"]
    refresh_token = spotify.issue_refresh_token()
    scheduled = call(
        api,
        "PUT",
        f"/playlists/{pid}/schedule",
        {"every": "day", "spotify_refresh_token": refresh_token},
    )
    assert scheduled.status == 200 and scheduled.json_body()["schedule"]["spotify_follows"] is True

    with caplog.at_level(logging.DEBUG):
        seen = []
        for _day in range(7):
            clock.advance(days=1)
            assert api.living.refresh_due() == {"refreshed": 1, "failed": 0}
            current = call(api, "GET", f"/playlists/{pid}").json_body()
            assert spotify.playlists[sp_id]["items"] == uris(current), (
                "Spotify holds the new version"
            )
            assert (
                all("jazz" in t["genres"] for t in current["tracks"])
                and len(current["tracks"]) == 10
            )
            seen.append(set(ids(current)))

    assert all(not (a & b) for a, b in itertools.pairwise(seen)), "each day is fresh"
    assert len(spotify.requests_to("POST", r"^/v1/me/playlists$")) == 1
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert refresh_token not in logged and spotify.token not in logged


def test_a_revoked_sign_in_ends_the_schedule_with_a_clear_status(
    api: Api, spotify: FakeSpotify, clock: FakeClock
) -> None:
    body = saved(api, spotify)
    pid = body["playlist_id"]
    refresh_token = spotify.issue_refresh_token()
    call(
        api,
        "PUT",
        f"/playlists/{pid}/schedule",
        {"every": "day", "spotify_refresh_token": refresh_token},
    )
    assert api.living.vault.get(spotify.account_id, pid) == refresh_token
    spotify.revoke_refresh_token(refresh_token)

    clock.advance(days=1)
    api.living.refresh_due()

    schedule = call(api, "GET", f"/playlists/{pid}").json_body()["schedule"]
    assert schedule["status"] == "revoked" and "sign in to Spotify" in schedule["message"]
    assert api.living.vault.get(spotify.account_id, pid) is None
    clock.advance(days=3)
    assert api.living.refresh_due() == {"refreshed": 0, "failed": 0}, "no endless retry"


def test_a_rejected_refresh_token_is_refused_when_scheduling(
    api: Api, spotify: FakeSpotify
) -> None:
    body = saved(api, spotify)
    response = call(
        api,
        "PUT",
        f"/playlists/{body['playlist_id']}/schedule",
        {"every": "week", "spotify_refresh_token": "not-a-token-spotify-knows"},
    )
    assert (
        response.status == 422 and response.json_body()["error"]["code"] == "spotify_token_rejected"
    )


def test_unscheduling_and_signing_out_delete_the_stored_sign_in(
    api: Api, spotify: FakeSpotify
) -> None:
    first, second = saved(api, spotify), saved(api, spotify)
    for body in (first, second):
        call(
            api,
            "PUT",
            f"/playlists/{body['playlist_id']}/schedule",
            {"every": "week", "spotify_refresh_token": spotify.issue_refresh_token()},
        )

    owner = spotify.account_id  # the signed-in Spotify account owns both
    assert api.living.vault.get(owner, first["playlist_id"]) is not None

    call(api, "DELETE", f"/playlists/{first['playlist_id']}/schedule")
    assert api.living.vault.get(owner, first["playlist_id"]) is None
    assert api.living.vault.get(owner, second["playlist_id"]) is not None

    signed_out = call(
        api, "DELETE", "/me/spotify-tokens", headers={"Authorization": f"Bearer {spotify.token}"}
    )
    assert signed_out.json_body() == {"deleted": 1}
    assert api.living.vault.get(owner, second["playlist_id"]) is None


def test_without_a_token_key_the_server_refuses_to_keep_sign_ins(
    make_api, spotify: FakeSpotify
) -> None:
    api = make_api(spotify_api_url=spotify.url, spotify_accounts_url=spotify.accounts_url)
    body = saved(api, spotify)
    response = call(
        api,
        "PUT",
        f"/playlists/{body['playlist_id']}/schedule",
        {"every": "day", "spotify_refresh_token": spotify.issue_refresh_token()},
    )
    assert response.status == 422 and response.json_body()["error"]["code"] == "tokens_unavailable"
    assert "AIDJ_TOKEN_KEY" in response.json_body()["error"]["message"]


# ---------------------------------------------------------------- play now


def test_play_now_queues_every_track_on_the_active_device(api: Api, spotify: FakeSpotify) -> None:
    body = saved(api, spotify)
    auth = {"Authorization": f"Bearer {spotify.token}"}

    none = call(api, "POST", f"/playlists/{body['playlist_id']}/play", headers=auth)
    assert none.status == 409 and none.json_body()["error"]["code"] == "no_active_device"
    assert "open Spotify" in none.json_body()["error"]["message"]

    spotify.active_device = True
    played = call(api, "POST", f"/playlists/{body['playlist_id']}/play", headers=auth)
    assert played.status == 200 and played.json_body()["queued"] == 10
    assert spotify.queued == uris(body)


def test_play_now_needs_a_spotify_sign_in(api: Api, spotify: FakeSpotify) -> None:
    body = call(api, "POST", "/playlist", {"prompt": PROMPT}).json_body()
    response = call(api, "POST", f"/playlists/{body['playlist_id']}/play")
    assert (
        response.status == 401
        and response.json_body()["error"]["code"] == "authentication_required"
    )
    assert call(api, "POST", f"/playlists/{uuid.uuid4()}/play").status == 404
