"""An acknowledged write to the SQLite history is on disk: synchronous=FULL on every connection."""

from __future__ import annotations

import threading
from pathlib import Path

from aidj_service.stores.sqlite import SQLiteHistoryStore

FULL = 2  # what PRAGMA synchronous answers for FULL (NORMAL is 1)


def synchronous(store: SQLiteHistoryStore) -> int:
    return store._conn().execute("PRAGMA synchronous").fetchone()[0]


def test_the_store_commits_with_synchronous_full(tmp_path: Path) -> None:
    store = SQLiteHistoryStore(tmp_path / "h.sqlite3")
    try:
        assert synchronous(store) == FULL
    finally:
        store.close()


def test_every_threads_connection_is_full_too(tmp_path: Path) -> None:
    store = SQLiteHistoryStore(tmp_path / "h.sqlite3")
    seen: list[int] = []
    try:
        worker = threading.Thread(target=lambda: seen.append(synchronous(store)))
        worker.start()
        worker.join()
        assert seen == [FULL]
    finally:
        store.close()
