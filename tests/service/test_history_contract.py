"""The HistoryStore contract, run against every backend (SQLite, DynamoDB on moto, DynamoDB on dynalite)."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from aidj_service.responses import playlist_summary
from aidj_service.stores.history import HistoryStore, InvalidCursor, PlaylistRecord, utc_now_iso


def record(user: str = "alice", **data) -> PlaylistRecord:
    return PlaylistRecord(
        playlist_id=str(uuid.uuid4()),
        user_id=user,
        created_at=utc_now_iso(),
        data={
            "name": "Evening Run",
            "prompt": "evening run",
            "playlist_url": None,
            "status": "complete",
            "tracks_count": 1,
            "interpreter": {
                "name": "local",
                "requested": "local",
                "fallback_reason": None,
                "cached": False,
            },
            "parameters": {
                "energy": 0.8,
                "tempo": 128.5,
                "genres": ["house"],
                "limit": 1,
                "mood": None,
            },
            "tracks": [
                {
                    "id": "4uLU6hMCjMI75M1A2tKUQC",
                    "tempo": 128.25,
                    "energy": 0.912,
                    "explicit": False,
                }
            ],
            "stats": {"tracks": 1, "mean_tempo_jump": 0.0, "duration_minutes": 3.5},
            **data,
        },
    )


def test_store_fulfils_the_protocol(store: HistoryStore) -> None:
    assert isinstance(store, HistoryStore)


def test_a_stored_playlist_reads_back_unchanged(store: HistoryStore) -> None:
    stored = record()
    store.put(stored)

    loaded = store.get(stored.playlist_id)

    assert loaded is not None
    assert (loaded.playlist_id, loaded.user_id, loaded.created_at) == (
        stored.playlist_id,
        "alice",
        stored.created_at,
    )
    assert (
        loaded.data == stored.data
    )  # floats, nulls, nested lists and booleans survive (Decimal round trip)


def test_unknown_playlist_id_is_none(store: HistoryStore) -> None:
    assert store.get(str(uuid.uuid4())) is None


def test_listing_is_newest_first_and_only_the_users_own(store: HistoryStore) -> None:
    mine = []
    for _ in range(3):
        mine.append(record("alice"))
        store.put(mine[-1])
        time.sleep(0.002)
    store.put(record("bob"))

    items, cursor = store.list("alice", limit=10)

    assert [r.playlist_id for r in items] == [r.playlist_id for r in reversed(mine)]
    assert cursor is None
    assert playlist_summary(items[0]).name == "Evening Run"
    assert playlist_summary(items[0]).interpreter == "local"


def test_pages_follow_the_cursor_without_gaps_or_repeats(store: HistoryStore) -> None:
    ids = []
    for _ in range(7):
        rec = record("carol")
        store.put(rec)
        ids.append(rec.playlist_id)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        items, cursor = store.list("carol", limit=3, cursor=cursor)
        seen.extend(r.playlist_id for r in items)
        pages += 1
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(ids))


def test_a_full_last_page_has_no_next_cursor(store: HistoryStore) -> None:
    for _ in range(2):
        store.put(record("dave"))
    items, cursor = store.list("dave", limit=2)
    assert len(items) == 2 and cursor is None


def test_a_foreign_cursor_is_refused(store: HistoryStore) -> None:
    with pytest.raises(InvalidCursor):
        store.list("alice", limit=2, cursor="not-a-cursor")


def test_a_user_without_history_gets_an_empty_page(store: HistoryStore) -> None:
    assert store.list("nobody", limit=5) == ([], None)


def test_first_claim_wins_and_later_claims_see_it(store: HistoryStore) -> None:
    assert store.claim("alice", "key-1", "fp", ttl_s=60) is None

    again = store.claim("alice", "key-1", "fp", ttl_s=60)

    assert again is not None and again.state == "pending" and again.fingerprint == "fp"


def test_keys_belong_to_one_user(store: HistoryStore) -> None:
    assert store.claim("alice", "shared-key", "fp", ttl_s=60) is None
    assert store.claim("bob", "shared-key", "fp", ttl_s=60) is None


def test_a_finished_claim_remembers_the_answer(store: HistoryStore) -> None:
    store.claim("alice", "key-2", "fp", ttl_s=60)
    store.finish("alice", "key-2", playlist_id="p-1", response_status=200)

    done = store.claim("alice", "key-2", "fp", ttl_s=60)

    assert done is not None and (done.state, done.playlist_id, done.response_status) == (
        "done",
        "p-1",
        200,
    )


def test_a_finished_failure_keeps_its_error_body(store: HistoryStore) -> None:
    error = {
        "code": "spotify_partial_write",
        "message": "only 3 of 20",
        "details": {"added": 3, "total": 20},
    }
    store.claim("alice", "key-3", "fp", ttl_s=60)
    store.finish("alice", "key-3", playlist_id="p-2", response_status=502, response_error=error)

    done = store.claim("alice", "key-3", "fp", ttl_s=60)

    assert done is not None and done.response_status == 502 and done.response_error == error


def test_a_released_claim_can_be_claimed_again(store: HistoryStore) -> None:
    store.claim("alice", "key-4", "fp", ttl_s=60)
    store.release("alice", "key-4")
    assert store.claim("alice", "key-4", "fp", ttl_s=60) is None


def test_release_never_forgets_a_finished_answer(store: HistoryStore) -> None:
    store.claim("alice", "key-5", "fp", ttl_s=60)
    store.finish("alice", "key-5", playlist_id="p-3", response_status=200)
    store.release("alice", "key-5")
    assert store.claim("alice", "key-5", "fp", ttl_s=60).state == "done"


def test_an_expired_claim_counts_as_gone(store: HistoryStore) -> None:
    store.claim("alice", "key-6", "fp", ttl_s=-5)
    assert store.claim("alice", "key-6", "fp2", ttl_s=60) is None


def test_idempotency_records_stay_out_of_the_users_history(store: HistoryStore) -> None:
    store.claim("erin", "key-7", "fp", ttl_s=60)
    store.finish("erin", "key-7", playlist_id="p-4", response_status=200)
    assert store.list("erin", limit=5) == ([], None)
    assert store.get("p-4") is None


def test_concurrent_claims_of_one_key_have_exactly_one_winner(store: HistoryStore) -> None:
    barrier = threading.Barrier(8)

    def claim(_: int) -> bool:
        barrier.wait()
        return store.claim("frank", "race-key", "fp", ttl_s=60) is None

    with ThreadPoolExecutor(8) as pool:
        winners = sum(pool.map(claim, range(8)))

    assert winners == 1


def test_concurrent_puts_for_one_user_keep_every_playlist(store: HistoryStore) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: store.put(record("gina")), range(40)))

    seen = []
    cursor = None
    while True:
        items, cursor = store.list("gina", limit=100, cursor=cursor)
        seen.extend(items)
        if cursor is None:
            break
    assert len(seen) == 40 == len({r.playlist_id for r in seen})


def test_a_repeated_put_of_one_playlist_keeps_one_copy(store: HistoryStore) -> None:
    stored = record("henry")
    store.put(stored)
    store.put(stored)  # what a retry after a lost answer does
    items, _ = store.list("henry", limit=10)
    assert [r.playlist_id for r in items] == [stored.playlist_id]
