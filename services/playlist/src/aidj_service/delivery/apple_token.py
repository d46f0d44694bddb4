"""Apple Music developer tokens: ES256 JWTs signed with the team's MusicKit private key.

Apple documents the token as a JWT with header ``{"alg": "ES256", "kid": <key id>}`` and claims
``{"iss": <team id>, "iat": <now>, "exp": <now + at most 15777000 s>}``, signed with the P-256
private key downloaded from the developer account (a ``.p8`` PEM file). The token is made
once and reused until shortly before it expires.

Neither the key nor the token ever reaches a log line, an exception message or ``repr``.
Signing needs the ``cryptography`` package (already installed for the token vault:
``aidj-service[tokens]``).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable

from aidj_service.delivery.errors import PlatformNotConfiguredError

PLATFORM = "Apple Music"
MAX_LIFETIME_S = 15_777_000  # Apple's ceiling: about six months
DEFAULT_LIFETIME_S = 12 * 3600
RENEW_BEFORE_S = 600


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class DeveloperToken:
    """Signs and caches the developer token. ``clock`` is wall time (the claims are epoch seconds)."""

    def __init__(
        self,
        *,
        team_id: str,
        key_id: str,
        private_key_pem: str,
        lifetime_s: int = DEFAULT_LIFETIME_S,
        origins: tuple[str, ...] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        missing = [
            name
            for name, value in (
                ("team id", team_id),
                ("key id", key_id),
                ("private key", private_key_pem),
            )
            if not value or not value.strip()
        ]
        if missing:
            raise PlatformNotConfiguredError(
                PLATFORM,
                f"the developer token needs the MusicKit {', '.join(missing)} "
                "(AIDJ_APPLE_MUSIC_TEAM_ID, AIDJ_APPLE_MUSIC_KEY_ID, AIDJ_APPLE_MUSIC_PRIVATE_KEY)",
            )
        self.team_id = team_id.strip()
        self.key_id = key_id.strip()
        self._key = self._load(private_key_pem)
        self.lifetime_s = min(max(60, lifetime_s), MAX_LIFETIME_S)
        # A token handed to the page (MusicKit JS needs one) names the origins that may use it.
        self.origins = tuple(origins)
        self._clock = clock
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"DeveloperToken(team_id={self.team_id!r}, key_id={self.key_id!r}, key='***')"

    @staticmethod
    def _load(pem: str):  # -> EllipticCurvePrivateKey; typed loosely so the import stays lazy
        try:
            from cryptography.hazmat.primitives.asymmetric import ec
            from cryptography.hazmat.primitives.serialization import load_pem_private_key
        except ImportError:
            raise PlatformNotConfiguredError(
                PLATFORM,
                "signing developer tokens needs 'cryptography': install aidj-service[tokens]",
            ) from None
        try:
            key = load_pem_private_key(pem.strip().encode(), password=None)
        except (ValueError, TypeError):
            raise PlatformNotConfiguredError(
                PLATFORM,
                "the MusicKit private key is not a PEM key: paste the whole .p8 file, "
                "BEGIN and END lines included",
            ) from None
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise PlatformNotConfiguredError(
                PLATFORM, "the MusicKit private key must be the P-256 (ES256) key Apple issued"
            )
        return key

    def token(self) -> str:
        with self._lock:
            now = self._clock()
            if self._token is None or now >= self._expires - RENEW_BEFORE_S:
                self._token = self._sign(int(now))
                self._expires = int(now) + self.lifetime_s
            return self._token

    def _sign(self, now: int) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

        header = {"alg": "ES256", "kid": self.key_id, "typ": "JWT"}
        claims: dict[str, object] = {"iss": self.team_id, "iat": now, "exp": now + self.lifetime_s}
        if self.origins:
            claims["origin"] = list(self.origins)
        signing_input = ".".join(
            _b64url(json.dumps(part, separators=(",", ":"), sort_keys=True).encode())
            for part in (header, claims)
        )
        der = self._key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)  # JWS wants the raw 64-byte r || s, not DER
        return f"{signing_input}.{_b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
