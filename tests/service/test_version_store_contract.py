"""The version and schedule half of the HistoryStore contract, on SQLite, moto and dynalite."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from aidj_service.responses import playlist_summary
from aidj_service.stores.history import (
    HistoryStore,
    PlaylistRecord,
    StaleWrite,
    record_rev,
    utc_now_iso,
)
from tests.service.test_history_contract import record


def next_version(current: PlaylistRecord, **changes: Any) -> tuple[PlaylistRecord, dict[str, Any]]:
    """What the API does for an edit: archive the current version, write the next one."""
    data = dict(current.data)
    archive = {k: v for k, v in data.items() if k not in ("rev", "schedule")}
    archive.setdefault("version", 1)
    data.update(changes)
    data["version"] = archive["version"] + 1
    data["rev"] = record_rev(current) + 1
    data["updated_at"] = utc_now_iso()
    return PlaylistRecord(current.playlist_id, current.user_id, current.created_at, data), archive


def test_a_new_version_replaces_the_record_and_archives_the_old_one(store: HistoryStore) -> None:
    first = record("alice")
    store.put(first)

    second, archive = next_version(store.get(first.playlist_id), name="Evening Run II")
    store.save(second, expected_rev=0, archive=archive)

    current = store.get(first.playlist_id)
    assert (current.data["version"], current.data["name"], current.data["rev"]) == (
        2,
        "Evening Run II",
        1,
    )
    assert store.get_version(first.playlist_id, 1)["name"] == "Evening Run"
    assert (
        store.get_version(first.playlist_id, 2) is None
    )  # the current version lives in the record


def test_a_write_based_on_an_old_revision_is_refused(store: HistoryStore) -> None:
    first = record("alice")
    store.put(first)
    base = store.get(first.playlist_id)
    winner, archive = next_version(base, name="winner")
    store.save(winner, expected_rev=0, archive=archive)

    loser, archive = next_version(base, name="loser")
    with pytest.raises(StaleWrite) as lost:
        store.save(loser, expected_rev=0, archive=archive)

    assert (
        lost.value.current is not None and lost.value.current.data["name"] == "winner"
    )  # retry from here

    assert store.get(first.playlist_id).data["name"] == "winner"


def test_history_lists_a_changed_playlist_once(store: HistoryStore) -> None:
    first = record("bea")
    store.put(first)
    current = store.get(first.playlist_id)
    for rev in range(3):
        current, archive = next_version(current)
        store.save(current, expected_rev=rev, archive=archive)

    items, _ = store.list("bea", limit=10)

    assert [r.playlist_id for r in items] == [first.playlist_id]
    assert playlist_summary(items[0]).version == 4


def test_fifty_concurrent_edits_make_fifty_versions(store: HistoryStore) -> None:
    first = record("carl")
    store.put(first)

    def edit(n: int) -> int:
        attempts = 0
        while True:
            attempts += 1
            current = store.get(first.playlist_id)
            new, archive = next_version(current, name=f"edit {n}")
            try:
                store.save(new, expected_rev=record_rev(current), archive=archive)
                return attempts
            except StaleWrite:
                time.sleep(random.uniform(0, 0.01))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(edit, range(50)))

    final = store.get(first.playlist_id)
    assert final.data["version"] == 51
    archived = [store.get_version(first.playlist_id, v) for v in range(1, 51)]
    assert all(a is not None for a in archived)
    names = [a["name"] for a in archived[1:]] + [final.data["name"]]
    assert sorted(names) == sorted(f"edit {n}" for n in range(50))  # every edit is one version


def test_recent_gives_whole_records_newest_first(store: HistoryStore) -> None:
    made = []
    for _ in range(4):
        made.append(record("dora"))
        store.put(made[-1])
        time.sleep(0.002)

    recent = store.recent("dora", 2)

    assert [r.playlist_id for r in recent] == [made[3].playlist_id, made[2].playlist_id]
    assert recent[0].data["tracks"] == made[3].data["tracks"]


def test_due_finds_active_schedules_at_or_before_now(store: HistoryStore) -> None:
    due = record(
        "eve",
        schedule={"every": "day", "next_due": "2026-01-01T00:00:00.000000Z", "status": "active"},
    )
    later = record(
        "eve",
        schedule={"every": "week", "next_due": "2026-02-01T00:00:00.000000Z", "status": "active"},
    )
    ended = record(
        "eve",
        schedule={"every": "day", "next_due": "2025-12-01T00:00:00.000000Z", "status": "revoked"},
    )
    plain = record("eve")
    for r in (due, later, ended, plain):
        store.put(r)

    found = store.due("2026-01-15T00:00:00.000000Z")

    assert [r.playlist_id for r in found] == [due.playlist_id]


def test_a_new_version_moves_or_clears_the_due_time(store: HistoryStore) -> None:
    sched = {"every": "day", "next_due": "2026-01-01T00:00:00.000000Z", "status": "active"}
    first = record("finn", schedule=sched)
    store.put(first)
    moved, archive = next_version(
        store.get(first.playlist_id), schedule={**sched, "next_due": "2026-01-02T00:00:00.000000Z"}
    )
    store.save(moved, expected_rev=0, archive=archive)
    assert store.due("2026-01-01T12:00:00.000000Z") == []
    assert [r.playlist_id for r in store.due("2026-01-02T00:00:00.000000Z")] == [first.playlist_id]

    cleared = PlaylistRecord(
        moved.playlist_id,
        moved.user_id,
        moved.created_at,
        {**moved.data, "schedule": None, "rev": 2},
    )
    store.save(cleared, expected_rev=1)

    assert store.due("2030-01-01T00:00:00.000000Z") == []
    assert store.get(first.playlist_id).data["schedule"] is None
