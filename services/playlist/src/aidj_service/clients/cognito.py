"""Cognito access tokens, checked by the service itself: signature (RS256), issuer, client, expiry.

Behind API Gateway with sign-in on, the JWT authorizer has already checked the token on every
guarded route and hands the claims over in the event; the service trusts those. It verifies a
token itself wherever no authorizer ran: ``aidj serve``, and ``POST /playlist`` while anonymous
creation is on (the gateway must let token-less callers through there). Both paths accept the
same tokens, so a route's guard at the gateway is a first gate, never the only one.

The signature check is RSASSA-PKCS1-v1_5 with SHA-256 on Python integers, done the
encode-and-compare way (RFC 8017 §8.2.2: build the expected block, compare it whole), so no
padding parser can be fooled and the Lambda zip needs no crypto library. Keys come from the
pool's JWKS document (``<issuer>/.well-known/jwks.json``), cached; an unknown key id refetches
it (Cognito rotates keys), at most once per ``refetch_interval_s``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2, note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
ALGORITHM = "RS256"
ACCESS_TOKEN_USE = "access"
JWKS_PATH = "/.well-known/jwks.json"
MAX_TOKEN_CHARS = 8192  # Cognito's tokens are ~1 kB; anything far larger is not one


class TokenRejected(ValueError):
    """The token cannot be trusted. The message says why without quoting the token."""


class KeysUnavailable(RuntimeError):
    """The pool's public keys could not be fetched: the caller cannot be checked right now."""


@dataclass(frozen=True, slots=True)
class SignedInUser:
    sub: str  # the Cognito user's id: stable, never reused; the service's user id
    username: str | None = None


def rs256_valid(n: int, e: int, signing_input: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is the RS256 signature of ``signing_input`` under key (n, e)."""
    k = (n.bit_length() + 7) // 8
    if len(signature) != k:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    digest_info = SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    if k < len(digest_info) + 11:
        return False
    expected = b"\x00\x01" + b"\xff" * (k - len(digest_info) - 3) + b"\x00" + digest_info
    return hmac.compare_digest(pow(s, e, n).to_bytes(k, "big"), expected)


def _b64url(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise TokenRejected("the token is not a JWT (bad base64)") from None


def _json_part(part: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64url(part))
    except (UnicodeDecodeError, ValueError):
        raise TokenRejected(f"the token's {what} is not JSON") from None
    if not isinstance(value, dict):
        raise TokenRejected(f"the token's {what} is not a JSON object")
    return value


def _rsa_key(jwk: Mapping[str, Any]) -> tuple[int, int] | None:
    if jwk.get("kty") != "RSA" or jwk.get("alg", ALGORITHM) != ALGORITHM:
        return None
    try:
        n = int.from_bytes(_b64url(str(jwk["n"])), "big")
        e = int.from_bytes(_b64url(str(jwk["e"])), "big")
    except (KeyError, TokenRejected):
        return None
    return (n, e) if n.bit_length() >= 2048 else None


def fetch_jwks(url: str, timeout_s: float = 3.0) -> Mapping[str, Any]:
    import requests

    try:
        answer = requests.get(url, timeout=(min(2.0, timeout_s), timeout_s))
        answer.raise_for_status()
        return answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise KeysUnavailable(f"could not read the sign-in keys ({type(exc).__name__})") from None


class CognitoVerifier:
    """Checks access tokens of one user pool and one app client."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        *,
        jwks_url: str | None = None,
        fetch: Callable[[str], Mapping[str, Any]] = fetch_jwks,
        clock: Callable[[], float] = time.time,
        leeway_s: float = 30.0,
        refetch_interval_s: float = 300.0,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.jwks_url = jwks_url or f"{self.issuer}{JWKS_PATH}"
        self._fetch = fetch
        self._clock = clock
        self.leeway_s = leeway_s
        self.refetch_interval_s = refetch_interval_s
        self._keys: dict[str, tuple[int, int]] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def verify(self, token: str) -> SignedInUser:
        """The signed-in user of a valid token; :class:`TokenRejected` saying why otherwise."""
        if len(token) > MAX_TOKEN_CHARS:
            raise TokenRejected("the token is too long to be a sign-in token")
        parts = token.split(".")
        if len(parts) != 3:
            raise TokenRejected("the token is not a JWT (it needs three dot-separated parts)")
        header = _json_part(parts[0], "header")
        if header.get("alg") != ALGORITHM:
            # "none", HS256 with the public key as secret, ...: only what Cognito signs with.
            raise TokenRejected(f"the token is not signed with {ALGORITHM}")
        key = self._key(str(header.get("kid", "")))
        signature = _b64url(parts[2])
        if not rs256_valid(*key, f"{parts[0]}.{parts[1]}".encode("ascii"), signature):
            raise TokenRejected("the token's signature does not match the pool's keys")
        return self.user_from_claims(_json_part(parts[1], "payload"), check_time=True)

    def user_from_claims(self, claims: Mapping[str, Any], *, check_time: bool) -> SignedInUser:
        """Check what a signature cannot: whose token, for which client, still valid."""
        if claims.get("iss") != self.issuer:
            raise TokenRejected("the token was issued by another user pool")
        if claims.get("token_use") != ACCESS_TOKEN_USE:
            raise TokenRejected("send the access token, not the id token")
        if claims.get("client_id") != self.client_id:
            raise TokenRejected("the token was issued to another app client")
        if check_time:
            now = self._clock()
            expires = _number(claims.get("exp"))
            if expires is None or now > expires + self.leeway_s:
                raise TokenRejected("the token has expired; sign in again")
            issued = _number(claims.get("iat"))
            if issued is not None and issued > now + self.leeway_s:
                raise TokenRejected("the token is not valid yet (check the clock)")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub.strip():
            raise TokenRejected("the token names no user (no sub claim)")
        username = claims.get("username")
        return SignedInUser(sub=sub, username=username if isinstance(username, str) else None)

    def _key(self, kid: str) -> tuple[int, int]:
        with self._lock:
            if kid not in self._keys and self._may_fetch():
                self._load()
            key = self._keys.get(kid)
        if key is None:
            raise TokenRejected("the token was signed with a key the user pool does not have")
        return key

    def _may_fetch(self) -> bool:
        return (
            self._fetched_at is None or self._clock() - self._fetched_at >= self.refetch_interval_s
        )

    def _load(self) -> None:
        document = self._fetch(self.jwks_url)
        self._fetched_at = self._clock()
        keys = document.get("keys") if isinstance(document, Mapping) else None
        loaded: dict[str, tuple[int, int]] = {}
        for jwk in keys if isinstance(keys, list) else []:
            if isinstance(jwk, Mapping) and isinstance(jwk.get("kid"), str):
                key = _rsa_key(jwk)
                if key is not None:
                    loaded[jwk["kid"]] = key
        self._keys = loaded


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None
