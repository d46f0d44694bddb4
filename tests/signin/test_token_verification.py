"""The service checks Cognito access tokens itself: a token the pool issued is accepted; a
forged, expired, foreign or malformed one is refused, saying why. Keys come from a local
JWKS server, never the internet."""

from __future__ import annotations

import base64
import json
import time

import pytest

from aidj_service.clients.cognito import (
    CognitoVerifier,
    KeysUnavailable,
    SignedInUser,
    TokenRejected,
    rs256_valid,
)
from tests.support.fake_cognito import UserPool


def verifier(pool: UserPool, **options) -> CognitoVerifier:
    return CognitoVerifier(pool.issuer, pool.client_id, jwks_url=pool.jwks_url, **options)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def with_payload(token: str, **changes) -> str:
    """The same header and signature over a changed payload: what a forger can produce."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return ".".join((header, b64(json.dumps({**claims, **changes}).encode()), signature))


def test_a_token_the_pool_issued_is_accepted_as_its_user(user_pool):
    token = user_pool.token("ana@example.com")
    user = verifier(user_pool).verify(token)
    assert user == SignedInUser(sub=user_pool.sub("ana@example.com"), username=user.username)
    assert user.sub


def test_keys_are_fetched_once_from_the_pools_jwks_document(user_pool):
    check = verifier(user_pool)
    for email in ("ana@example.com", "ben@example.com", "ana@example.com"):
        check.verify(user_pool.token(email))
    assert user_pool.jwks.requests == 1


def test_a_changed_payload_is_refused_because_the_signature_no_longer_matches(user_pool):
    token = user_pool.token("ana@example.com")
    forged = with_payload(token, sub=user_pool.sub("ana@example.com") + "-not")
    with pytest.raises(TokenRejected, match="signature does not match"):
        verifier(user_pool).verify(forged)


def test_a_token_signed_with_another_key_under_the_pools_key_id_is_refused(user_pool):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    claims = json.loads(
        base64.urlsafe_b64decode(user_pool.token("ana@example.com").split(".")[1] + "==")
    )
    header = b64(json.dumps({"kid": "dummy", "alg": "RS256"}).encode())
    payload = b64(json.dumps(claims).encode())
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signature = other.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    with pytest.raises(TokenRejected, match="signature does not match"):
        verifier(user_pool).verify(f"{header}.{payload}.{b64(signature)}")


def test_an_expired_token_is_refused(user_pool):
    token = user_pool.token("ana@example.com")  # valid for an hour
    two_hours_on = verifier(user_pool, clock=lambda: time.time() + 7200)
    with pytest.raises(TokenRejected, match="expired; sign in again"):
        two_hours_on.verify(token)


def test_a_token_of_another_app_client_is_refused(user_pool):
    token = user_pool.token("ana@example.com")
    stranger = CognitoVerifier(user_pool.issuer, "another-client", jwks_url=user_pool.jwks_url)
    with pytest.raises(TokenRejected, match="another app client"):
        stranger.verify(token)


def test_a_token_of_another_pool_is_refused(user_pool):
    token = user_pool.token("ana@example.com")
    other_pool = CognitoVerifier(
        user_pool.issuer + "x", user_pool.client_id, jwks_url=user_pool.jwks_url
    )
    with pytest.raises(TokenRejected, match="another user pool"):
        other_pool.verify(token)


@pytest.mark.parametrize("algorithm", ["none", "HS256", "RS512"])
def test_only_rs256_is_accepted_whatever_the_header_claims(user_pool, algorithm):
    token = user_pool.token("ana@example.com")
    _, payload, signature = token.split(".")
    header = b64(json.dumps({"kid": "dummy", "alg": algorithm}).encode())
    with pytest.raises(TokenRejected, match="not signed with RS256"):
        verifier(user_pool).verify(f"{header}.{payload}.{signature}")


@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("not-a-jwt", "three dot-separated parts"),
        ("a.b", "three dot-separated parts"),
        ("!!!.e30.sig", "bad base64|not JSON"),
        (f"{b64(b'[1]')}.e30.sig", "not a JSON object"),
        ("x" * 9000, "too long"),
    ],
)
def test_malformed_tokens_are_refused_saying_why(user_pool, token, why):
    with pytest.raises(TokenRejected, match=why):
        verifier(user_pool).verify(token)


def test_an_unknown_key_id_is_refused_after_one_refetch(user_pool):
    token = user_pool.token("ana@example.com")
    _, payload, signature = token.split(".")
    header = b64(json.dumps({"kid": "rotated-away", "alg": "RS256"}).encode())
    check = verifier(user_pool)
    check.verify(token)
    for _ in range(3):
        with pytest.raises(TokenRejected, match="key the user pool does not have"):
            check.verify(f"{header}.{payload}.{signature}")
    assert user_pool.jwks.requests == 1  # refetches are rate-limited, not one per bad token


def test_an_id_token_is_refused_in_place_of_the_access_token(user_pool):
    check = verifier(user_pool)
    claims = {"iss": user_pool.issuer, "token_use": "id", "aud": user_pool.client_id, "sub": "u"}
    with pytest.raises(TokenRejected, match="access token, not the id token"):
        check.user_from_claims(claims, check_time=False)


def test_unreachable_keys_are_reported_as_unavailable_not_as_a_bad_token(user_pool):
    check = CognitoVerifier(
        user_pool.issuer, user_pool.client_id, jwks_url="http://127.0.0.1:9/jwks.json"
    )
    with pytest.raises(KeysUnavailable):
        check.verify(user_pool.token("ana@example.com"))


def test_the_rsa_check_refuses_a_signature_of_the_wrong_length():
    n, e = (1 << 2047) + 1, 65537
    assert not rs256_valid(n, e, b"data", b"\x01" * 10)
    assert not rs256_valid(n, e, b"data", b"\xff" * 256)  # >= n
