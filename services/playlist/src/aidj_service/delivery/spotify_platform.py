"""Spotify as one delivery platform: the existing :class:`SpotifyClient` behind :class:`Platform`.

Our catalog is keyed by Spotify track ids, so nothing is searched: every track matches itself
with full confidence. The playlist is created, then filled in batches of 100; completing an
interrupted delivery replaces its items (``PUT``, idempotent) so no track is added twice.
The client lists no playlists, so only the delivery ledger finds an earlier attempt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aidj.matching import Candidate, Wanted
from aidj_service.clients.spotify import (
    SpotifyAuthError,
    SpotifyClient,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyPartialWriteError,
    SpotifyRateLimitedError,
    SpotifyUnavailableError,
)
from aidj_service.delivery.errors import (
    DeliveryError,
    PlatformAuthError,
    PlatformForbiddenError,
    PlatformPartialWriteError,
    PlatformRateLimitedError,
    PlatformUnavailableError,
    TargetPlaylist,
)
from aidj_service.delivery.platform import tagged

LABEL = "Spotify"


def delivery_error(exc: SpotifyError) -> DeliveryError:
    """The Spotify client's error as the delivery tree's (its message already says what to do)."""
    if isinstance(exc, SpotifyAuthError):
        return PlatformAuthError(LABEL, exc.message)
    if isinstance(exc, SpotifyForbiddenError):
        return PlatformForbiddenError(LABEL, exc.message)
    if isinstance(exc, SpotifyRateLimitedError):
        return PlatformRateLimitedError(LABEL, exc.retry_after)
    if isinstance(exc, SpotifyUnavailableError):
        return PlatformUnavailableError(LABEL, exc.status, exc.message)
    return DeliveryError(LABEL, exc.status, exc.message)


class SpotifyPlatform:
    name = "spotify"
    label = LABEL

    def __init__(self, client: SpotifyClient) -> None:
        self._client = client

    def usage(self) -> Mapping[str, int]:
        return {}

    def search(self, track: Wanted) -> Sequence[Candidate]:
        return [
            Candidate(track.track_id, track.name, track.artists, track.duration_ms, track.album)
        ]

    def find_playlist(self, marker: str) -> TargetPlaylist | None:
        return None

    def create_playlist(
        self, name: str, description: str, target_ids: Sequence[str], *, marker: str
    ) -> TargetPlaylist:
        try:
            created = self._client.create_playlist(name, tagged(description, marker))
        except SpotifyError as exc:
            raise delivery_error(exc) from exc
        target = TargetPlaylist(created.id, created.url)
        try:
            self._client.add_items(
                created.id, [f"spotify:track:{i}" for i in target_ids], url=created.url
            )
        except SpotifyPartialWriteError as exc:
            raise PlatformPartialWriteError(
                LABEL,
                playlist=target,
                added=exc.added,
                total=exc.total,
                cause=delivery_error(exc.cause),
            ) from exc
        except SpotifyError as exc:
            raise PlatformPartialWriteError(
                LABEL, playlist=target, added=0, total=len(target_ids), cause=delivery_error(exc)
            ) from exc
        return target

    def complete_playlist(self, playlist: TargetPlaylist, target_ids: Sequence[str]) -> None:
        try:
            self._client.replace_items(
                playlist.id, [f"spotify:track:{i}" for i in target_ids], url=playlist.url
            )
        except SpotifyError as exc:
            raise delivery_error(exc) from exc
