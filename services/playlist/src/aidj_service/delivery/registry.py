"""The platforms a playlist can be delivered to: one registry, name -> how to open it.

Adding a platform is one ``PLATFORMS.register(...)`` below (like the history stores in
``aidj_service.backends``): the request's ``platform`` field, the page's "Save to …" list
(:meth:`PlatformRegistry.configured`) and the CLI's ``--to`` choices follow. Builders import
their client only when called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aidj_service.delivery.errors import PlatformNotConfiguredError
from aidj_service.delivery.platform import Platform
from aidj_service.delivery.settings import DeliverySettings
from aidj_service.registry import NamedRegistry

# settings, the request's credentials, the request's deadline (time.monotonic) -> the platform
Opener = Callable[[DeliverySettings, Mapping[str, str], float | None], Platform]


@dataclass(frozen=True, slots=True)
class PlatformBackend:
    name: str
    label: str
    open: Opener
    # What the service's settings lack for this platform, or None when it is set up.
    check: Callable[[DeliverySettings], str | None] = lambda settings: None
    # What the page's sign-in for it lacks, or None. Only the offer depends on it: a caller that
    # brings its own token (the CLI, an API client) delivers without the page's sign-in set up.
    offer: Callable[[DeliverySettings], str | None] = lambda settings: None
    # The request fields carrying the listener's sign-in ("music_user_token").
    credentials: tuple[str, ...] = ()


class PlatformRegistry(NamedRegistry[PlatformBackend]):
    def __init__(self) -> None:
        super().__init__("platform")

    def configured(self, settings: DeliverySettings) -> tuple[str, ...]:
        """The platforms this service offers (set up, sign-in included), in registration order."""
        return tuple(
            b.name for b in self if b.check(settings) is None and b.offer(settings) is None
        )

    def open(
        self,
        name: str,
        settings: DeliverySettings,
        credentials: Mapping[str, str],
        *,
        deadline: float | None = None,
    ) -> Platform:
        backend = self[name]
        problem = backend.check(settings)
        if problem:
            raise PlatformNotConfiguredError(backend.label, problem)
        return backend.open(settings, credentials, deadline)


PLATFORMS = PlatformRegistry()


def _transport(settings: DeliverySettings, deadline: float | None) -> dict[str, Any]:
    return {"timeout_s": settings.timeout_s, "deadline": deadline}


# ---------------------------------------------------------------- Spotify


def _open_spotify(
    settings: DeliverySettings, credentials: Mapping[str, str], deadline: float | None
) -> Platform:
    from aidj_service.clients.spotify import SpotifyClient, SpotifyError
    from aidj_service.delivery.spotify_platform import SpotifyPlatform

    try:
        client = SpotifyClient(
            credentials.get("spotify_access_token", ""),
            base_url=settings.spotify_api_url,
            deadline=deadline,
            timeout_s=settings.timeout_s,
        )
    except SpotifyError:
        raise PlatformNotConfiguredError(
            "Spotify", "no Spotify access token: connect Spotify first"
        ) from None
    return SpotifyPlatform(client)


# ---------------------------------------------------------------- Apple Music


def _apple_check(settings: DeliverySettings) -> str | None:
    if (
        settings.apple_music_team_id
        and settings.apple_music_key_id
        and settings.apple_music_private_key
    ):
        return None
    return (
        "needs the MusicKit key: AIDJ_APPLE_MUSIC_TEAM_ID, AIDJ_APPLE_MUSIC_KEY_ID and "
        "AIDJ_APPLE_MUSIC_PRIVATE_KEY (deployed: the stack's secrets, see docs/INTEGRATIONS.md)"
    )


def _open_apple_music(
    settings: DeliverySettings, credentials: Mapping[str, str], deadline: float | None
) -> Platform:
    from aidj_service.delivery.apple_music import AppleMusic
    from aidj_service.delivery.apple_token import DeveloperToken

    token = DeveloperToken(
        team_id=settings.apple_music_team_id or "",
        key_id=settings.apple_music_key_id or "",
        private_key_pem=settings.apple_music_private_key or "",
    )
    return AppleMusic(
        token,
        credentials.get("music_user_token", ""),
        api_url=settings.apple_music_api_url,
        storefront=settings.apple_music_storefront,
        **_transport(settings, deadline),
    )


# ---------------------------------------------------------------- YouTube Music


def _open_youtube_music(
    settings: DeliverySettings, credentials: Mapping[str, str], deadline: float | None
) -> Platform:
    from aidj_service.delivery.youtube_music import YouTubeMusic

    return YouTubeMusic(
        credentials.get("google_access_token", ""),
        api_url=settings.youtube_api_url,
        **_transport(settings, deadline),
    )


def _youtube_sign_in(settings: DeliverySettings) -> str | None:
    # the listener signs in on the page, whose code this service exchanges with the secret
    if settings.google_client_id and settings.google_client_secret:
        return None
    return "needs GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (a Google OAuth Web application client)"


# ---------------------------------------------------------------- Subsonic


def _subsonic_check(settings: DeliverySettings) -> str | None:
    if settings.subsonic_url or settings.subsonic_from_request:
        return None
    return "needs a server: AIDJ_SUBSONIC_URL, AIDJ_SUBSONIC_USER and AIDJ_SUBSONIC_PASSWORD"


def _open_subsonic(
    settings: DeliverySettings, credentials: Mapping[str, str], deadline: float | None
) -> Platform:
    from aidj_service.delivery.subsonic import Subsonic

    named = credentials.get("subsonic_url")
    if named and not settings.subsonic_from_request and named != settings.subsonic_url:
        raise PlatformNotConfiguredError(
            "Subsonic",
            "this service delivers only to its configured server (AIDJ_SUBSONIC_URL); "
            "leave subsonic_url out of the request",
        )
    # The request's account on the configured server, or the configured account.
    own = bool(credentials.get("subsonic_user"))
    return Subsonic(
        named or settings.subsonic_url or "",
        credentials.get("subsonic_user") or settings.subsonic_user or "",
        (credentials.get("subsonic_password") if own else settings.subsonic_password) or "",
        playlist_url=settings.subsonic_playlist_url,
        **_transport(settings, deadline),
    )


PLATFORMS.register(
    PlatformBackend("spotify", "Spotify", _open_spotify, credentials=("spotify_access_token",))
)
PLATFORMS.register(
    PlatformBackend(
        "apple_music",
        "Apple Music",
        _open_apple_music,
        check=_apple_check,
        credentials=("music_user_token",),
    )
)
PLATFORMS.register(
    PlatformBackend(
        "youtube_music",
        "YouTube Music",
        _open_youtube_music,
        offer=_youtube_sign_in,
        credentials=("google_access_token",),
    )
)
PLATFORMS.register(
    PlatformBackend(
        "subsonic",
        "Subsonic",
        _open_subsonic,
        check=_subsonic_check,
        credentials=("subsonic_url", "subsonic_user", "subsonic_password"),
    )
)
