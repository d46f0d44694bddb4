"""The one request path every platform client sends through.

It bounds each attempt by a timeout and by the caller's deadline, retries only what is safe to
retry, and maps failures onto :mod:`aidj_service.delivery.errors`:

- reads (GET, HEAD) and idempotent writes (PUT, DELETE) are retried after 5xx, timeouts and
  connection errors, with jittered exponential backoff that never crosses the deadline;
- a write that may have reached the platform (a POST that timed out) is never resent: a second
  playlist would be a duplicate; the error says to deliver again, which finds the first one;
- a connection refused before anything was sent is retried for any method;
- 429 waits ``Retry-After`` when it is short and ends before the deadline (a 429 means the
  request was not carried out), else fails fast with :class:`PlatformRateLimitedError`.

Log lines name the method and the path only: never a header, a query string (Subsonic's
credentials travel there) or a body.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from aidj_service.clients.retry import backoff_delay, request_not_sent, retry_after_s
from aidj_service.delivery.errors import (
    DeliveryError,
    PlatformAuthError,
    PlatformForbiddenError,
    PlatformRateLimitedError,
    PlatformUnavailableError,
)

log = logging.getLogger(__name__)

# The platform's own reading of an error answer (status, parsed body) -> an error, or None for
# the generic mapping (YouTube's 403 quotaExceeded is a quota error, not a permission one).
Classifier = Callable[[int, Any], DeliveryError | None]


def error_text(body: Any) -> str:
    """The message inside the usual JSON error shapes ({"error": {"message"}}, {"errors": [...]})."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"][:200]
        if isinstance(error, str):
            return str(body.get("error_description") or error)[:200]
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            return str(first.get("detail") or first.get("title") or "")[:200]
    return ""


class Transport:
    """HTTP calls to one platform's API. ``headers`` is asked on every attempt (tokens renew).

    ``deadline`` is a :func:`time.monotonic` value by which every call must have ended.
    ``sleep``, ``clock`` and ``jitter`` exist so tests run the retry logic without waiting.
    """

    def __init__(
        self,
        platform: str,
        base_url: str,
        *,
        headers: Callable[[], Mapping[str, str]] = dict,
        classify: Classifier | None = None,
        session: requests.Session | None = None,
        deadline: float | None = None,
        timeout_s: float = 5.0,
        max_retries: int = 2,
        max_retry_after_s: float = 10.0,
        backoff_base_s: float = 0.25,
        backoff_max_s: float = 4.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.platform = platform
        self.base_url = base_url.rstrip("/")
        self._headers = headers
        self._classify = classify
        self._session = session or requests.Session()
        self.deadline = deadline
        self.timeout_s = timeout_s
        self.max_retries = max(0, max_retries)
        self.max_retry_after_s = max_retry_after_s
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter

    def __repr__(self) -> str:
        return f"Transport(platform={self.platform!r}, base_url={self.base_url!r})"

    def _remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - self._clock()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """The answer's parsed JSON body (None when empty). ``idempotent`` overrides the method's
        nature: Subsonic writes are GETs, and a GET that creates a playlist must not be resent."""
        method = method.upper()
        safe = method in ("GET", "HEAD", "PUT", "DELETE") if idempotent is None else idempotent
        name = self.platform
        attempt = 0
        while True:
            remaining = self._remaining()
            if remaining is not None and remaining <= 0.05:
                raise PlatformUnavailableError(
                    name, 0, f"ran out of time waiting for {name}: try again"
                )
            timeout = self.timeout_s if remaining is None else min(self.timeout_s, remaining)
            try:
                response = self._session.request(
                    method,
                    f"{self.base_url}{path}",
                    params=params,
                    json=json,
                    headers={"Accept": "application/json", **self._headers()},
                    timeout=timeout,
                )
            except requests.RequestException as exc:
                kind = "timed out" if isinstance(exc, requests.Timeout) else "could not be reached"
                if not (safe or request_not_sent(exc)):
                    raise PlatformUnavailableError(
                        name,
                        0,
                        f"{name} {kind} during {method} {path}; the change may or may not have been "
                        "made: deliver again, which finds a playlist already created",
                    ) from None
                if attempt >= self.max_retries or not self._backoff(attempt):
                    raise PlatformUnavailableError(
                        name,
                        0,
                        f"{name} {kind} ({method} {path}) after {attempt + 1} attempts: try again later",
                    ) from None
                log.warning(
                    "%s %s %s %s; retrying (attempt %d)", name, method, path, kind, attempt + 1
                )
                attempt += 1
                continue

            status = response.status_code
            try:
                body = response.json() if response.content else None
            except ValueError:
                body = None
                if status < 300:
                    raise DeliveryError(
                        name, 502, f"{name} sent a non-JSON answer to {method} {path}"
                    ) from None
            if status < 300:
                return body

            if self._classify is not None:
                specific = self._classify(status, body)
                if specific is not None:
                    raise specific
            message = error_text(body) or (response.reason or "")
            if status == 429:
                wait = retry_after_s(response.headers.get("Retry-After"), 1.0)
                remaining = self._remaining()
                if (
                    attempt >= self.max_retries
                    or wait > self.max_retry_after_s
                    or (remaining is not None and wait >= remaining - 0.05)
                ):
                    raise PlatformRateLimitedError(name, wait)
                log.warning("%s rate limited %s %s; waiting %.1fs", name, method, path, wait)
                self._sleep(wait)
                attempt += 1
                continue
            if status >= 500:
                if not safe:
                    raise PlatformUnavailableError(
                        name,
                        status,
                        f"{name} failed during {method} {path} (HTTP {status}); the change may or may "
                        "not have been made: deliver again, which finds a playlist already created",
                    )
                if attempt >= self.max_retries or not self._backoff(attempt):
                    raise PlatformUnavailableError(
                        name,
                        status,
                        f"{name} is unavailable (HTTP {status} on {method} {path}): try again later",
                    )
                log.warning(
                    "%s %s %s answered %d; retrying (attempt %d)",
                    name,
                    method,
                    path,
                    status,
                    attempt + 1,
                )
                attempt += 1
                continue
            if status == 401:
                raise PlatformAuthError(name, message)
            if status == 403:
                raise PlatformForbiddenError(name, message)
            raise DeliveryError(
                name,
                status,
                f"{name} rejected {method} {path} (HTTP {status}){': ' + message if message else ''}",
            )

    def _backoff(self, attempt: int) -> bool:
        """Sleep a jittered exponential delay; False (without sleeping) if it would cross the deadline."""
        delay = backoff_delay(attempt, self.backoff_base_s, self.backoff_max_s, self._jitter)
        remaining = self._remaining()
        if remaining is not None and delay >= remaining - 0.05:
            return False
        self._sleep(delay)
        return True
