"""Sign-in with Cognito, through ``app.lambda_handler`` and a live ``aidj serve`` server.

Tokens are real RS256 tokens issued by moto's cognito-idp; their keys come from a JWKS server
on 127.0.0.1. Deployed events either carry API Gateway's authorizer claims (the gateway checked
the token) or only the token (routes the gateway leaves open): both must name the same user.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from aidj_service.edge import lambda_adapter
from tests.service.conftest import LiveServer
from tests.support.fake_cognito import UserPool, user_pool  # noqa: F401  (fixture)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "apigw"
ANA, BEN = "ana@example.com", "ben@example.com"


class Context:
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def signed_in_settings(pool: UserPool, **more: Any) -> dict[str, Any]:
    settings: dict[str, Any] = dict(
        local_mode=False,
        auth="cognito",
        cognito_issuer=pool.issuer,
        cognito_client_id=pool.client_id,
        cognito_jwks_url=pool.jwks_url,
    )
    return {**settings, **more}


@pytest.fixture
def handler(make_api, user_pool):
    made = {}

    def build():
        made["api"] = make_api(**signed_in_settings(user_pool))
        return made["api"]

    handle = lambda_adapter.make_handler(build)
    handle.made = made  # type: ignore[attr-defined]
    return handle


def event(
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    claims: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An API Gateway v2 event; ``claims`` as the JWT authorizer hands them over."""
    base = copy.deepcopy(json.loads((FIXTURES / "post_playlist.json").read_text()))
    base["routeKey"] = base["requestContext"]["routeKey"] = f"{method} {path}"
    base["rawPath"] = base["requestContext"]["http"]["path"] = path
    base["requestContext"]["http"]["method"] = method
    base["body"] = json.dumps(body) if body is not None else ""
    if token is not None:
        base["headers"]["authorization"] = f"Bearer {token}"
    base["headers"].update(headers or {})
    if claims is not None:
        base["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return base


def answer(result: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return result["statusCode"], json.loads(result["body"] or "{}")


def claims_of(pool: UserPool, email: str) -> dict[str, Any]:
    """What API Gateway's authorizer passes on for a valid token of ``email`` (strings)."""
    payload = pool.token(email).split(".")[1]
    import base64

    raw = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return {k: str(v) for k, v in raw.items()}


def create(handler, token: str | None = None) -> tuple[int, dict[str, Any]]:
    body = {"prompt": "calm jazz for reading", "limit": 8}
    return answer(handler(event("POST", "/playlist", body, token=token), Context()))


def rename(handler, playlist_id: str, **who: Any) -> tuple[int, dict[str, Any]]:
    path = f"/playlists/{playlist_id}/versions"
    return answer(handler(event("POST", path, {"name": "Mine now"}, **who), Context()))


def test_a_token_the_pool_issued_makes_its_user_the_owner(handler, user_pool):
    status, body = create(handler, user_pool.token(ANA))
    assert status == 200
    record = handler.made["api"].store.get(body["playlist_id"])
    assert record.user_id == user_pool.sub(ANA)  # the token's sub, not a Spotify account


def test_the_owner_may_change_it_with_the_gateways_claims(handler, user_pool):
    _, made = create(handler, user_pool.token(ANA))
    status, body = rename(handler, made["playlist_id"], claims=claims_of(user_pool, ANA))
    assert status == 200 and body["name"] == "Mine now"


def test_the_owner_may_change_it_where_the_service_checks_the_token_itself(handler, user_pool):
    _, made = create(handler, user_pool.token(ANA))
    status, _ = rename(handler, made["playlist_id"], token=user_pool.token(ANA))
    assert status == 200


def test_user_a_cannot_change_user_bs_playlist(handler, user_pool):
    _, made = create(handler, user_pool.token(BEN))
    for who in ({"claims": claims_of(user_pool, ANA)}, {"token": user_pool.token(ANA)}):
        status, body = rename(handler, made["playlist_id"], **who)
        assert (status, body["error"]["code"]) == (403, "not_owner")
    record = handler.made["api"].store.get(made["playlist_id"])
    assert record.data["name"] != "Mine now"


def test_user_a_does_not_see_user_bs_history(handler, user_pool):
    create(handler, user_pool.token(BEN))
    status, body = answer(
        handler(event("GET", "/playlists", claims=claims_of(user_pool, ANA)), Context())
    )
    assert status == 200 and body["items"] == []


def test_a_forged_token_is_refused_and_nothing_is_stored(handler, user_pool):
    header, payload, signature = user_pool.token(ANA).split(".")
    forged = f"{header}.{payload[:-4]}AAAA.{signature}"
    status, body = create(handler, forged)
    assert (status, body["error"]["code"]) == (401, "invalid_token")
    assert "signature" in body["error"]["message"] or "JSON" in body["error"]["message"]


def test_an_expired_token_is_refused(handler, user_pool):
    token = user_pool.token(ANA)
    create(handler)  # builds the API
    verifier = handler.made["api"].identity.verifier
    verifier._clock = lambda: time.time() + 7200  # two hours on: the one-hour token expired
    status, body = create(handler, token)
    assert (status, body["error"]["code"]) == (401, "invalid_token")
    assert "expired" in body["error"]["message"]


def test_a_spotify_token_in_authorization_is_refused_with_where_it_goes(handler, user_pool):
    status, body = create(handler, "BQDspotify-access-token-123")
    assert (status, body["error"]["code"]) == (401, "invalid_token")
    assert "X-Spotify-Token" in body["error"]["message"]


def test_changing_without_a_sign_in_is_401(handler, user_pool):
    _, made = create(handler, user_pool.token(ANA))
    status, body = rename(handler, made["playlist_id"])
    assert (status, body["error"]["code"]) == (401, "authentication_required")


def test_anonymous_creation_stays_open_by_default(handler):
    status, body = create(handler)
    assert status == 200
    assert handler.made["api"].store.get(body["playlist_id"]).user_id == "anonymous"


def test_anonymous_creation_can_be_turned_off(make_api, user_pool):
    handle = lambda_adapter.make_handler(
        lambda: make_api(**signed_in_settings(user_pool, anonymous=False))
    )
    status, body = create(handle)
    assert (status, body["error"]["code"]) == (401, "authentication_required")
    assert create(handle, user_pool.token(ANA))[0] == 200


def test_a_local_server_with_sign_in_checks_tokens_too(make_api, user_pool):
    api = make_api(**signed_in_settings(user_pool, local_mode=True))
    server = LiveServer(api).start()
    try:
        made = requests.post(
            f"{server.url}/playlist",
            json={"prompt": "calm jazz for reading", "limit": 8},
            headers={"authorization": f"Bearer {user_pool.token(ANA)}"},
            timeout=30,
        )
        assert made.status_code == 200
        url = f"{server.url}/playlists/{made.json()['playlist_id']}/versions"
        # the body's user_id is not believed once sign-in is on, not even locally
        other = requests.post(
            url,
            json={"name": "Mine now", "user_id": user_pool.sub(ANA)},
            headers={"authorization": f"Bearer {user_pool.token(BEN)}"},
            timeout=30,
        )
        assert (other.status_code, other.json()["error"]["code"]) == (403, "not_owner")
        own = requests.post(
            url,
            json={"name": "Mine now"},
            headers={"authorization": f"Bearer {user_pool.token(ANA)}"},
            timeout=30,
        )
        assert own.status_code == 200
    finally:
        server.stop()


def test_the_page_learns_where_to_sign_in(handler, user_pool):
    status, config = answer(handler(event("GET", "/config"), Context()))
    assert status == 200
    assert config["sign_in"] == {
        "domain": None,
        "client_id": user_pool.client_id,
        "anonymous": True,
    }


def test_the_page_may_fetch_from_the_hosted_ui_and_nothing_more(make_api, user_pool):
    domain = "https://aidj-test.auth.eu-west-1.amazoncognito.com"
    api = make_api(**signed_in_settings(user_pool, cognito_domain=domain))
    from aidj_service.edge.http import Request

    policy = api.pages.index(Request("GET", "/")).headers["content-security-policy"]
    (connect,) = [part for part in policy.split("; ") if part.startswith("connect-src ")]
    assert connect == f"connect-src 'self' https://accounts.spotify.com {domain}"


def test_a_hosted_ui_that_is_not_a_plain_origin_is_refused():
    from aidj_service.config import Settings, SettingsError

    env = {
        "AIDJ_AUTH": "cognito",
        "AIDJ_COGNITO_ISSUER": "https://cognito-idp.eu-west-1.amazonaws.com/pool",
        "AIDJ_COGNITO_CLIENT_ID": "client",
        "AIDJ_COGNITO_DOMAIN": "https://x.example; script-src *",
    }
    with pytest.raises(SettingsError, match="AIDJ_COGNITO_DOMAIN"):
        Settings.from_env(env)
