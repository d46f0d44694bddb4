"""The retry arithmetic shared by the Spotify client and the delivery transport.

Each keeps its own loop (their errors and messages differ); what is the same HTTP reasoning
lives here once: whether a failed request ever left, how long a 429 asks us to wait, and the
jittered exponential backoff between attempts.
"""

from __future__ import annotations

from collections.abc import Callable

import requests


def request_not_sent(exc: requests.RequestException) -> bool:
    """True when the connection failed before the request left (safe to resend even a POST)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.ReadTimeout):
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)
        return type(reason).__name__ in (
            "NewConnectionError",
            "NameResolutionError",
            "ConnectTimeoutError",
        )
    return False


def retry_after_s(value: str | None, default: float) -> float:
    """A ``Retry-After`` header in seconds; ``default`` when absent or in the HTTP-date form
    (the platforms do not send it; waiting the default is safe)."""
    if value is None:
        return default
    try:
        seconds = float(value.strip())
    except ValueError:
        return default
    return max(0.0, seconds)


def backoff_delay(attempt: int, base_s: float, max_s: float, jitter: Callable[[], float]) -> float:
    """Attempt ``attempt``'s wait: "equal jitter" of a doubling ceiling, never zero, never above it."""
    ceiling = min(max_s, base_s * (2**attempt))
    return ceiling * (0.5 + 0.5 * jitter())
