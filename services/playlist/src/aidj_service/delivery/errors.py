"""The errors every platform client raises: a handful of typed failures instead of HTTP details.

Each carries the platform's name, an HTTP-like ``status`` (0 when no answer arrived) and a
message that says what to do next. No message ever holds a token, a password or a URL query.
"""

from __future__ import annotations

from dataclasses import dataclass


class DeliveryError(Exception):
    """Any failure while delivering; ``status`` is the platform's HTTP status (0: no answer)."""

    def __init__(self, platform: str, status: int, message: str) -> None:
        super().__init__(message)
        self.platform = platform
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message


class PlatformNotConfiguredError(DeliveryError):
    """The service lacks the settings or the request the credentials this platform needs."""

    def __init__(self, platform: str, missing: str) -> None:
        super().__init__(platform, 400, f"{platform} is not set up: {missing}")


class PlatformAuthError(DeliveryError):
    """401 (or the platform's own 'wrong credentials'): the user has to sign in again."""

    def __init__(self, platform: str, detail: str = "") -> None:
        message = f"{platform} did not accept the sign-in: sign in to {platform} again"
        super().__init__(platform, 401, f"{message} ({detail})" if detail else message)


class PlatformForbiddenError(DeliveryError):
    """403: signed in, but the account or the app may not do this."""

    def __init__(self, platform: str, detail: str = "") -> None:
        message = (
            f"{platform} refused the request: check the account's subscription and permissions"
        )
        super().__init__(platform, 403, f"{message} ({detail})" if detail else message)


class PlatformQuotaError(DeliveryError):
    """The app's daily quota on the platform is used up (YouTube's ``quotaExceeded``)."""

    def __init__(self, platform: str, detail: str = "") -> None:
        super().__init__(
            platform,
            429,
            f"the app's daily {platform} quota is used up: try again tomorrow"
            f"{' (' + detail + ')' if detail else ''}",
        )


class PlatformRateLimitedError(DeliveryError):
    """429 that could not be waited out; retry after ``retry_after`` seconds."""

    def __init__(self, platform: str, retry_after: float) -> None:
        super().__init__(
            platform, 429, f"{platform} is rate limiting: try again in {retry_after:g} seconds"
        )
        self.retry_after = retry_after


class PlatformUnavailableError(DeliveryError):
    """5xx, timeouts or connection errors after the safe retries, or the deadline ran out."""


@dataclass(frozen=True, slots=True)
class TargetPlaylist:
    """A playlist on the platform: its id there and where a listener opens it."""

    id: str
    url: str


class PlatformPartialWriteError(DeliveryError):
    """The playlist exists on the platform but holds only ``added`` of ``total`` tracks.

    Delivering again (same playlist, version and platform) completes it instead of creating a
    second one: the delivery remembers ``playlist``.
    """

    def __init__(
        self,
        platform: str,
        *,
        playlist: TargetPlaylist,
        added: int,
        total: int,
        cause: DeliveryError,
    ) -> None:
        super().__init__(
            platform,
            cause.status,
            f"the {platform} playlist was created but holds only {added} of {total} tracks "
            f"({cause.message}); deliver again to complete it",
        )
        self.playlist = playlist
        self.added = added
        self.total = total
        self.cause = cause
