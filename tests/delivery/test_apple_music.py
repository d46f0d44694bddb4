"""Apple Music: the developer token, the Music User Token and the library calls."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from aidj_service.delivery.apple_music import AppleMusic
from aidj_service.delivery.apple_token import DeveloperToken
from aidj_service.delivery.errors import PlatformForbiddenError, PlatformNotConfiguredError
from tests.support.delivery_playlist import CREEP_RADIOHEAD, track
from tests.support.fake_apple_music import KEY_ID, TEAM_ID, USER_TOKEN, FakeAppleMusic

from .conftest import FAST


@pytest.fixture
def apple():
    with FakeAppleMusic() as fake:
        yield fake


def developer_token(fake: FakeAppleMusic, **kwargs) -> DeveloperToken:
    return DeveloperToken(
        team_id=TEAM_ID, key_id=KEY_ID, private_key_pem=fake.private_key_pem, **kwargs
    )


def claims(token: str) -> tuple[dict, dict]:
    head, body, _ = token.split(".")
    decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # noqa: E731
    return decode(head), decode(body)


def test_the_developer_token_is_an_es256_jwt_with_key_id_team_and_expiry(apple):
    token = developer_token(apple, clock=lambda: 1_800_000_000.0).token()
    header, body = claims(token)
    assert header == {"alg": "ES256", "kid": KEY_ID, "typ": "JWT"}
    assert body == {"iss": TEAM_ID, "iat": 1_800_000_000, "exp": 1_800_000_000 + 12 * 3600}


def test_a_token_for_the_page_names_the_origins_that_may_use_it(apple):
    token = developer_token(apple, origins=("https://dj.example.com",)).token()
    assert claims(token)[1]["origin"] == ["https://dj.example.com"]


def test_the_fake_accepts_the_signature_and_one_token_serves_every_call(apple):
    client = AppleMusic(developer_token(apple), USER_TOKEN, api_url=apple.url, **FAST)
    assert client.search(track(CREEP_RADIOHEAD))
    client.search(track(CREEP_RADIOHEAD))
    assert len(set(apple.tokens_seen)) == 1 and len(apple.tokens_seen) == 3


def test_the_developer_token_is_renewed_before_it_expires(apple):
    now = [1_800_000_000.0]
    token = developer_token(apple, clock=lambda: now[0], lifetime_s=3600)
    first = token.token()
    now[0] += 3600 - 300  # inside the renewal margin
    assert token.token() != first


def test_a_private_key_that_is_not_pem_is_refused_with_what_to_paste(apple):
    with pytest.raises(PlatformNotConfiguredError, match=r"paste the whole \.p8 file"):
        DeveloperToken(team_id=TEAM_ID, key_id=KEY_ID, private_key_pem="not a key")


def test_a_key_on_another_curve_is_refused():
    other = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(PlatformNotConfiguredError, match="P-256"):
        DeveloperToken(team_id=TEAM_ID, key_id=KEY_ID, private_key_pem=other.decode())


def test_missing_key_settings_are_named():
    with pytest.raises(PlatformNotConfiguredError, match="team id, key id"):
        DeveloperToken(team_id="", key_id=" ", private_key_pem="x")


def test_no_music_user_token_asks_the_listener_to_sign_in(apple):
    with pytest.raises(PlatformNotConfiguredError, match="sign in to Apple Music"):
        AppleMusic(developer_token(apple), "", api_url=apple.url)


def test_a_refused_music_user_token_is_a_forbidden_error(apple):
    client = AppleMusic(developer_token(apple), "someone-else", api_url=apple.url, **FAST)
    with pytest.raises(PlatformForbiddenError):
        client.storefront()


def test_the_listener_s_storefront_is_asked_once(apple):
    client = AppleMusic(developer_token(apple), USER_TOKEN, api_url=apple.url, **FAST)
    client.search(track(CREEP_RADIOHEAD))
    client.search(track(CREEP_RADIOHEAD))
    assert len(apple.requests_to("GET", "/v1/me/storefront")) == 1
    assert len(apple.requests_to("GET", "/v1/catalog/us/search")) == 2


def test_a_configured_storefront_is_searched_without_asking(apple):
    client = AppleMusic(
        developer_token(apple), USER_TOKEN, api_url=apple.url, storefront="us", **FAST
    )
    client.search(track(CREEP_RADIOHEAD))
    assert not apple.requests_to("GET", "/v1/me/storefront")


def test_the_playlist_is_created_with_its_tracks_in_one_request(apple):
    client = AppleMusic(developer_token(apple), USER_TOKEN, api_url=apple.url, **FAST)
    created = client.create_playlist(
        "Evening", "Made by AI DJ", ["song-03", "song-04"], marker="aidj:x"
    )
    assert apple.playlists[created.id]["tracks"] == ["song-03", "song-04"]
    assert apple.playlists[created.id]["description"] == "Made by AI DJ [aidj:x]"
    assert len(apple.requests_to("POST", "/v1/me/library/playlists")) == 1
    assert created.url == f"https://music.apple.com/library/playlist/{created.id}"


def test_keys_and_tokens_stay_out_of_repr(apple):
    token = developer_token(apple)
    client = AppleMusic(token, USER_TOKEN, api_url=apple.url)
    text = repr(token) + repr(client)
    assert "PRIVATE KEY" not in text and USER_TOKEN not in text and token.token() not in text
