"""Delivery settings: each platform's app credentials, from the environment or the stack's secrets.

Locally they are environment variables. Deployed, the secrets (the MusicKit private key, the
Google client secret, a Subsonic password…) are SSM SecureString parameters under one path the stack names in
``AIDJ_PLATFORM_SECRETS_PATH``; :func:`load_settings` reads them once, at cold start, with
decryption, and each parameter's last path segment is the variable it stands for
(``/aidj-prod/platforms/AIDJ_APPLE_MUSIC_PRIVATE_KEY``). Nothing secret is in the function's
environment, and no secret reaches ``repr`` or a log line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

SECRETS_PATH_VARIABLE = "AIDJ_PLATFORM_SECRETS_PATH"
DEFAULT_APPLE_MUSIC_API_URL = "https://api.music.apple.com"
DEFAULT_YOUTUBE_API_URL = "https://www.googleapis.com"
DEFAULT_GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
DEFAULT_MUSICKIT_URL = "https://js-cdn.music.apple.com/musickit/v3/musickit.js"
DEFAULT_SPOTIFY_API_URL = "https://api.spotify.com/v1"
DEFAULT_SUBSONIC_PLAYLIST_URL = "{server}/app/#/playlist/{id}"


class SettingsError(ValueError):
    """A delivery setting is unusable; the message names what to fix."""


class ParameterReader(Protocol):
    """The SSM client call the settings use (boto3's ``ssm`` client has it)."""

    def get_parameters_by_path(self, **request: Any) -> dict[str, Any]: ...


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return value.strip() if value and value.strip() else None


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    apple_music_team_id: str | None = None
    apple_music_key_id: str | None = None
    apple_music_private_key: str | None = field(default=None, repr=False)
    apple_music_storefront: str | None = None  # None: the listener's own (GET /v1/me/storefront)
    apple_music_api_url: str = DEFAULT_APPLE_MUSIC_API_URL
    # where the page loads MusicKit JS from (tests point it at a fake on 127.0.0.1)
    musickit_url: str = DEFAULT_MUSICKIT_URL
    google_client_id: str | None = None  # public: the page's YouTube sign-in names it
    # A "Web application" client's secret: Google's token endpoint wants it even with PKCE, so
    # the page's code is exchanged here (POST /auth/google/token), never in the browser.
    google_client_secret: str | None = field(default=None, repr=False)
    google_token_url: str = DEFAULT_GOOGLE_TOKEN_URL
    # Redirect URIs the exchange accepts besides the page's own address (a page served elsewhere).
    google_redirect_uris: tuple[str, ...] = ()
    youtube_api_url: str = DEFAULT_YOUTUBE_API_URL
    subsonic_url: str | None = None
    subsonic_user: str | None = None
    subsonic_password: str | None = field(default=None, repr=False)
    subsonic_playlist_url: str = DEFAULT_SUBSONIC_PLAYLIST_URL
    # Whether a request may name its own Subsonic server: fine for `aidj serve` on this machine,
    # not for a deployed function (it would fetch any address a caller names).
    subsonic_from_request: bool = False
    spotify_api_url: str = DEFAULT_SPOTIFY_API_URL
    timeout_s: float = 5.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DeliverySettings:
        raw_timeout = _get(env, "AIDJ_DELIVERY_TIMEOUT_S")
        try:
            timeout = float(raw_timeout) if raw_timeout else 5.0
        except ValueError:
            raise SettingsError(
                f"AIDJ_DELIVERY_TIMEOUT_S={raw_timeout!r}: use a number of seconds"
            ) from None
        musickit = _get(env, "AIDJ_MUSICKIT_URL") or DEFAULT_MUSICKIT_URL
        if not musickit.startswith(("https://", "http://127.0.0.1:", "http://localhost:")):
            raise SettingsError(
                f"AIDJ_MUSICKIT_URL={musickit!r}: use an https:// address (Apple's, the default), "
                "or a local http://127.0.0.1:<port>/ one for tests"
            )
        from_request = (_get(env, "AIDJ_SUBSONIC_FROM_REQUEST") or "").lower()
        if from_request not in ("", "1", "true", "yes", "on", "0", "false", "no", "off"):
            raise SettingsError(f"AIDJ_SUBSONIC_FROM_REQUEST={from_request!r}: use true or false")
        return cls(
            apple_music_team_id=_get(env, "AIDJ_APPLE_MUSIC_TEAM_ID"),
            apple_music_key_id=_get(env, "AIDJ_APPLE_MUSIC_KEY_ID"),
            apple_music_private_key=_get(env, "AIDJ_APPLE_MUSIC_PRIVATE_KEY"),
            apple_music_storefront=_get(env, "AIDJ_APPLE_MUSIC_STOREFRONT"),
            apple_music_api_url=_get(env, "AIDJ_APPLE_MUSIC_API_URL")
            or DEFAULT_APPLE_MUSIC_API_URL,
            musickit_url=musickit,
            google_client_id=_get(env, "GOOGLE_CLIENT_ID"),
            google_client_secret=_get(env, "GOOGLE_CLIENT_SECRET"),
            google_token_url=_get(env, "AIDJ_GOOGLE_TOKEN_URL") or DEFAULT_GOOGLE_TOKEN_URL,
            google_redirect_uris=tuple(
                u.strip()
                for u in (_get(env, "AIDJ_GOOGLE_REDIRECT_URIS") or "").split(",")
                if u.strip()
            ),
            youtube_api_url=_get(env, "AIDJ_YOUTUBE_API_URL") or DEFAULT_YOUTUBE_API_URL,
            subsonic_url=_get(env, "AIDJ_SUBSONIC_URL"),
            subsonic_user=_get(env, "AIDJ_SUBSONIC_USER"),
            subsonic_password=_get(env, "AIDJ_SUBSONIC_PASSWORD"),
            subsonic_playlist_url=_get(env, "AIDJ_SUBSONIC_PLAYLIST_URL")
            or DEFAULT_SUBSONIC_PLAYLIST_URL,
            subsonic_from_request=from_request in ("1", "true", "yes", "on"),
            spotify_api_url=_get(env, "SPOTIFY_API_URL") or DEFAULT_SPOTIFY_API_URL,
            timeout_s=timeout,
        )


def stack_secrets(path: str, ssm: ParameterReader) -> dict[str, str]:
    """Every parameter under ``path`` (SecureStrings decrypted) as {variable name: value}."""
    found: dict[str, str] = {}
    request: dict[str, Any] = {"Path": path, "Recursive": False, "WithDecryption": True}
    while True:
        page = ssm.get_parameters_by_path(**request)
        for parameter in page.get("Parameters") or []:
            found[str(parameter["Name"]).rsplit("/", 1)[-1]] = str(parameter["Value"])
        token = page.get("NextToken")
        if not token:
            return found
        request["NextToken"] = token


def load_settings(
    env: Mapping[str, str] | None = None, *, ssm: ParameterReader | None = None
) -> DeliverySettings:
    """The settings from ``env``, overlaid with the stack's secrets when it names their path.

    Call once per process (cold start): it costs one SSM request per ten parameters.
    """
    env = dict(os.environ if env is None else env)
    path = _get(env, SECRETS_PATH_VARIABLE)
    if path:
        if ssm is None:
            import boto3

            # boto3 builds its clients at run time; this one has ParameterReader's call
            region = env.get("AWS_REGION") or "us-east-1"
            ssm = cast(ParameterReader, boto3.client("ssm", region_name=region))
        env.update(stack_secrets(path.rstrip("/") + "/", ssm))
    return DeliverySettings.from_env(env)
