"""Per-user token buckets (in process memory).

Each user may burst up to ``per_minute`` requests, refilled continuously at ``per_minute / 60``
per second. In Lambda each warm instance keeps its own buckets, which is why API Gateway's
stage throttling is the hard ceiling and this limit is the fair-share one.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from aidj_service.edge.http import TooManyRequests


class RateLimiter:
    def __init__(
        self,
        per_minute: int,
        *,
        max_users: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_minute = per_minute
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_users = max_users
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = (
            OrderedDict()
        )  # user -> (tokens, updated)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def acquire(self, user: str) -> float:
        """Take one token for ``user``: 0.0 when allowed, else the seconds until one is available."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, updated = self._buckets.pop(user, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - updated) * self.rate)
            if tokens >= 1.0:
                self._buckets[user] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[user] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > self.max_users:  # least recently seen users go first
                self._buckets.popitem(last=False)
        return wait


def retry_after_header(wait_s: float) -> str:
    return str(max(1, math.ceil(wait_s)))


def bucket_key(user: str, source_ip: str) -> str:
    """Whose bucket a request takes from: anonymous callers share one user id, so theirs is per address."""
    return user if user != "anonymous" else f"anonymous@{source_ip}"


def enforce(limiter: RateLimiter, key: str, what: str) -> None:
    """Take one token for ``key``, or answer 429 saying how many ``what`` a minute allows and when to retry."""
    wait = limiter.acquire(key)
    if wait > 0:
        raise TooManyRequests(
            f"too many {what} in a minute (limit {limiter.per_minute}): try again in "
            f"{retry_after_header(wait)} seconds",
            headers={"retry-after": retry_after_header(wait)},
        )
