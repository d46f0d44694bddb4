"""One delivery at a time per key: the claim every history backend takes before creating.

Run against each backend in turn (SQLite; DynamoDB on moto and on dynalite): the claim is the
store's conditional write, so the promise is the store's.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from aidj_service.edge.http import Conflict
from aidj_service.operations.delivery_claim import NAMESPACE, DeliveryClaims
from aidj_service.stores.history import HistoryStore, HistoryUnavailable

KEY = "subsonic:8d5c6a1e-4f1b-4c39-9a61-1f7c2b9e0a11:v1"
WHAT = "version 1 of this playlist to Subsonic"


def claims(store: HistoryStore, **knobs) -> DeliveryClaims:
    """Claims that never really sleep: each wait moves a fake clock on."""
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    return DeliveryClaims(store, sleep=sleep, clock=lambda: now[0], **knobs)


def test_a_held_claim_turns_a_second_delivery_away_with_409_and_retry_after(store):
    with claims(store).held("alice", KEY, what=WHAT), pytest.raises(Conflict) as refused:
        claims(store).take("alice", KEY, what=WHAT)
    assert refused.value.code == "delivery_in_progress"
    assert refused.value.headers["retry-after"] == "5"
    assert WHAT in refused.value.message


def test_the_claim_is_given_back_when_the_delivery_ends(store):
    with claims(store).held("alice", KEY, what=WHAT):
        pass
    with claims(store, wait_s=0).held("alice", KEY, what=WHAT):
        pass


def test_the_claim_is_given_back_when_the_delivery_fails(store):
    with pytest.raises(RuntimeError), claims(store).held("alice", KEY, what=WHAT):
        raise RuntimeError("the platform went away")
    claims(store, wait_s=0).take("alice", KEY, what=WHAT)


def test_a_claim_whose_holder_died_expires(store):
    claims(store, ttl_s=-5).take("alice", KEY, what=WHAT)  # taken, never given back
    claims(store, wait_s=0).take("alice", KEY, what=WHAT)


def test_the_loser_waits_for_the_winner_and_then_goes_on(store):
    winner = claims(store)
    winner.take("alice", KEY, what=WHAT)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        store.release(NAMESPACE + "alice", KEY)  # the winner finishes while the loser waits

    DeliveryClaims(store, sleep=sleep).take("alice", KEY, what=WHAT)
    assert len(waits) == 1


def test_the_loser_never_waits_past_its_deadline(store):
    claims(store).take("alice", KEY, what=WHAT)
    patient = claims(store, wait_s=60)
    with pytest.raises(Conflict):
        patient.take("alice", KEY, what=WHAT, deadline=patient.clock() + 1.0)


def test_keys_of_other_holders_and_other_versions_do_not_block(store):
    with claims(store).held("alice", KEY, what=WHAT):
        claims(store, wait_s=0).take("bob", KEY, what=WHAT)
        claims(store, wait_s=0).take("alice", KEY.replace(":v1", ":v2"), what=WHAT)


def test_a_delivery_claim_is_not_an_idempotency_key_of_the_same_user(store):
    with claims(store).held("alice", KEY, what=WHAT):
        assert store.claim("alice", KEY, "fp", ttl_s=60) is None


def test_claims_stay_out_of_the_users_history(store):
    with claims(store).held("alice", KEY, what=WHAT):
        assert store.list("alice")[0] == [] and store.list(NAMESPACE + "alice")[0] == []


def test_concurrent_deliveries_of_one_key_have_exactly_one_holder(store):
    def attempt(_: int) -> bool:
        try:
            claims(store, wait_s=0).take("frank", KEY, what=WHAT)
        except Conflict:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sum(pool.map(attempt, range(8))) == 1


class ReleaseFails:
    """A store that cannot answer when the claim is given back."""

    def __init__(self, store: HistoryStore) -> None:
        self.store = store

    def claim(self, *args, **kwargs):
        return self.store.claim(*args, **kwargs)

    def release(self, user_id: str, key: str) -> None:
        raise HistoryUnavailable("test", "ThrottlingException")


def test_a_claim_that_cannot_be_given_back_does_not_fail_the_delivery(sqlite_store):
    flaky = DeliveryClaims(ReleaseFails(sqlite_store))  # type: ignore[arg-type]
    with flaky.held("alice", KEY, what=WHAT):
        pass  # delivered; giving the claim back fails, and no error leaves the block
    with pytest.raises(Conflict):  # still held: it expires by itself
        claims(sqlite_store, wait_s=0).take("alice", KEY, what=WHAT)
