"""One delivery at a time per playlist version, platform and account: a claim in the history store.

Retries are safe without it (the ledger and the platform marker remember what was done), but two
*simultaneous* first requests (a double click, two tabs, a client that resends before the first
answer) would both find nothing yet and both create a playlist. So before it matches and
creates, a delivery claims its key with the store's conditional write — the same claim an
``Idempotency-Key`` takes (SQLite: a row inserted inside an immediate transaction; DynamoDB: a
put with ``attribute_not_exists``) — and gives it back when it ends, however it ends.

The request that loses waits a few seconds for the winner, then runs as a retry would: it finds
the winner's answer in the ledger and returns that same playlist. A listener who double-clicked
gets one playlist and two identical answers. When the winner is still at work after the wait,
the loser answers 409 ``delivery_in_progress`` with ``Retry-After``. A claim carries its expiry,
so one whose holder died (a crash, a Lambda timeout) is taken over after :data:`CLAIM_TTL_S`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from aidj_service.edge.http import Conflict
from aidj_service.stores.history import HistoryStore, HistoryUnavailable

log = logging.getLogger(__name__)

# Longer than any delivery may run (API Gateway ends a request at 29 s, a local server at its
# request timeout), so a live holder never loses its claim; short enough that a crashed one
# blocks its playlist for two minutes at most.
CLAIM_TTL_S = 120
WAIT_S = 10.0  # how long the loser waits for the winner's answer
POLL_S = 0.2  # how often it looks again
DEADLINE_MARGIN_S = 2.0  # what the loser keeps of its own deadline to answer after waiting
RETRY_AFTER_S = 5
# Claims live beside Idempotency-Key records, in their own namespace: a client's key can never
# stand for a delivery, nor a delivery for a client's key.
NAMESPACE = "delivery#"
FINGERPRINT = "delivery"


class DeliveryClaims:
    def __init__(
        self,
        store: HistoryStore,
        *,
        ttl_s: int = CLAIM_TTL_S,
        wait_s: float = WAIT_S,
        poll_s: float = POLL_S,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.ttl_s = ttl_s
        self.wait_s = wait_s
        self.poll_s = poll_s
        self.sleep = sleep
        self.clock = clock

    @contextmanager
    def held(
        self, holder: str, key: str, *, what: str, deadline: float | None = None
    ) -> Iterator[None]:
        """Run the block holding the claim on ``key`` in ``holder``'s namespace.

        Waits while another request holds it (up to :data:`WAIT_S`, and never past
        ``deadline``), then answers 409 naming ``what`` is being delivered.
        """
        self.take(holder, key, what=what, deadline=deadline)
        try:
            yield
        finally:
            try:
                self.store.release(NAMESPACE + holder, key)
            except HistoryUnavailable as exc:
                # the delivery's own answer matters more: the claim expires by itself
                log.warning(
                    "delivery claim not given back (%s): it expires in %d s", exc, self.ttl_s
                )

    def take(self, holder: str, key: str, *, what: str, deadline: float | None = None) -> None:
        until = self.clock() + self.wait_s
        if deadline is not None:
            until = min(until, deadline - DEADLINE_MARGIN_S)
        while self.store.claim(NAMESPACE + holder, key, FINGERPRINT, self.ttl_s) is not None:
            if self.clock() + self.poll_s > until:
                raise Conflict(
                    f"{what} is being delivered by another request right now: retry in "
                    f"{RETRY_AFTER_S} seconds",
                    code="delivery_in_progress",
                    headers={"retry-after": str(RETRY_AFTER_S)},
                )
            self.sleep(self.poll_s)
