"""A Spotify client failure as the HTTP answer the caller should see.

The client (:mod:`aidj_service.clients.spotify`) knows nothing of HTTP answers; every operation
that talks to Spotify turns its exceptions into one of these, so the same failure reads the
same everywhere.
"""

from __future__ import annotations

from aidj_service.edge.http import (
    BadGateway,
    Forbidden,
    HTTPError,
    ServiceUnavailable,
    Unauthorized,
)
from aidj_service.edge.ratelimit import retry_after_header


def spotify_http_error(exc: Exception) -> HTTPError:
    """A Spotify client exception as the answer our caller should see."""
    from aidj_service.clients.spotify import (
        SpotifyAuthError,
        SpotifyForbiddenError,
        SpotifyRateLimitedError,
        SpotifyUnavailableError,
    )

    message = getattr(exc, "message", str(exc))
    if isinstance(exc, SpotifyAuthError):
        return Unauthorized(
            "Spotify token expired or invalid: reconnect Spotify", code="spotify_auth"
        )
    if isinstance(exc, SpotifyForbiddenError):
        return Forbidden(message, code="spotify_forbidden")
    if isinstance(exc, SpotifyRateLimitedError):
        wait = retry_after_header(exc.retry_after)
        return ServiceUnavailable(
            message, code="spotify_rate_limited", headers={"retry-after": wait}
        )
    if isinstance(exc, SpotifyUnavailableError):
        return ServiceUnavailable(
            f"Spotify is not answering ({message}): try again in a minute",
            code="spotify_unavailable",
            headers={"retry-after": "30"},
        )
    return BadGateway(
        f"Spotify answered unexpectedly ({message}): try again later", code="spotify_error"
    )
