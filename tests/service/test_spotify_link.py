"""With sign-in on, Spotify is the music account: linked to the sign-in through the vault."""

from __future__ import annotations

from typing import Any

import pytest

from aidj_service.edge.http import Request
from aidj_service.operations.account import ACCOUNT_SLOT
from tests.support.fake_cognito import user_pool  # noqa: F401  (fixture)
from tests.support.fake_spotify import FakeSpotify

ANA = "ana@example.com"


@pytest.fixture
def key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


@pytest.fixture
def api(make_api, user_pool, spotify: FakeSpotify, key: str):
    return make_api(
        local_mode=False,
        auth="cognito",
        cognito_issuer=user_pool.issuer,
        cognito_client_id=user_pool.client_id,
        cognito_jwks_url=user_pool.jwks_url,
        spotify_api_url=spotify.url,
        spotify_accounts_url=spotify.accounts_url,
        token_key=key,
    )


def send(api, method: str, path: str, body: Any = None, token: str | None = None):
    import json

    headers = {"content-type": "application/json", "host": "dj.example.com"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return api.handle(
        Request(
            method=method,
            path=path,
            headers=headers,
            body=json.dumps(body).encode() if body is not None else b"",
            source_ip="203.0.113.7",
        )
    )


def create(api, token: str | None):
    return send(api, "POST", "/playlist", {"prompt": "calm jazz for reading", "limit": 5}, token)


def test_linking_keeps_the_spotify_account_under_the_sign_in(api, user_pool, spotify):
    linked = send(
        api,
        "PUT",
        "/me/spotify",
        {"refresh_token": spotify.issue_refresh_token()},
        user_pool.token(ANA),
    )
    assert linked.status == 200
    # the account id Spotify gives the signed-in Spotify user (GET /me)
    assert linked.json_body() == {"linked": True, "spotify_user": spotify.account_id}
    vault = api.playlists.account.vault()
    assert vault is not None and vault.get(user_pool.sub(ANA), ACCOUNT_SLOT)


def test_a_signed_in_user_with_a_link_creates_on_spotify_without_sending_a_token(
    api, user_pool, spotify
):
    token = user_pool.token(ANA)
    send(api, "PUT", "/me/spotify", {"refresh_token": spotify.issue_refresh_token()}, token)
    made = create(api, token)
    assert made.status == 200 and made.json_body()["playlist_url"]
    record = api.store.get(made.json_body()["playlist_id"])
    assert record.user_id == user_pool.sub(ANA)  # the sign-in owns it, not the Spotify account


def test_without_a_link_the_playlist_stays_off_spotify(api, user_pool):
    made = create(api, user_pool.token(ANA))
    assert made.status == 200 and made.json_body()["playlist_url"] is None


def test_sign_out_forgets_the_link(api, user_pool, spotify):
    token = user_pool.token(ANA)
    send(api, "PUT", "/me/spotify", {"refresh_token": spotify.issue_refresh_token()}, token)
    assert send(api, "DELETE", "/me/spotify-tokens", token=token).json_body()["deleted"] == 1
    assert create(api, token).json_body()["playlist_url"] is None


def test_a_link_revoked_on_spotify_is_forgotten_and_creation_goes_on(api, user_pool, spotify):
    token, refresh = user_pool.token(ANA), spotify.issue_refresh_token()
    send(api, "PUT", "/me/spotify", {"refresh_token": refresh}, token)
    spotify.revoke_refresh_token(refresh)
    made = create(api, token)
    assert made.status == 200 and made.json_body()["playlist_url"] is None
    assert api.playlists.account.vault().get(user_pool.sub(ANA), ACCOUNT_SLOT) is None


def test_a_refresh_token_spotify_refuses_is_not_linked(api, user_pool, spotify):
    answer = send(api, "PUT", "/me/spotify", {"refresh_token": "not-issued"}, user_pool.token(ANA))
    assert (answer.status, answer.json_body()["error"]["code"]) == (422, "spotify_token_rejected")
    assert api.playlists.account.vault().get(user_pool.sub(ANA), ACCOUNT_SLOT) is None


def test_linking_needs_a_sign_in(api, spotify):
    answer = send(api, "PUT", "/me/spotify", {"refresh_token": spotify.issue_refresh_token()})
    assert (answer.status, answer.json_body()["error"]["code"]) == (401, "authentication_required")


def test_without_sign_in_there_is_nothing_to_link_to(make_api, spotify):
    api = make_api(local_mode=False)
    answer = send(api, "PUT", "/me/spotify", {"refresh_token": spotify.issue_refresh_token()})
    assert (answer.status, answer.json_body()["error"]["code"]) == (409, "sign_in_off")
