"""Where deliveries remember what they did, so a retried delivery creates nothing twice.

A record per delivery key (playlist id, version, platform) holds, as each step ends: the match
report (no second round of searches, which YouTube bills), the target playlist once created,
and the final result. :class:`MemoryLedger` serves one process (tests, the CLI);
:class:`SQLiteLedger` a local server. Records are JSON with sorted keys: the same delivery
writes the same bytes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Protocol


class DeliveryLedger(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, record: dict[str, Any]) -> None: ...


class MemoryLedger:
    def __init__(self) -> None:
        self._records: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            raw = self._records.get(key)
        return None if raw is None else json.loads(raw)

    def put(self, key: str, record: dict[str, Any]) -> None:
        with self._lock:
            self._records[key] = json.dumps(record, sort_keys=True)


class SQLiteLedger:
    """Records in one SQLite table (beside the local history file)."""

    def __init__(self, path: str | Path, *, busy_timeout_s: float = 5.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._timeout = busy_timeout_s
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS deliveries (key TEXT PRIMARY KEY, record TEXT NOT NULL)"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One connection per call, committed and closed (the ledger is touched a few times)."""
        with closing(sqlite3.connect(self.path, timeout=self._timeout)) as db, db:
            yield db

    def get(self, key: str) -> dict[str, Any] | None:
        with self._connect() as db:
            row = db.execute("SELECT record FROM deliveries WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, key: str, record: dict[str, Any]) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO deliveries (key, record) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET record = excluded.record",
                (key, json.dumps(record, sort_keys=True)),
            )
