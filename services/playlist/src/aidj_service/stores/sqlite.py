"""History in one SQLite file: the embedded default for ``aidj serve``.

WAL mode lets readers and one writer work at once; a connection per thread and a busy timeout
make it safe under a threaded server and under several worker processes sharing the file. The
busy timeout (``AIDJ_STORE_TIMEOUT_S``, 5 s) stays well under the request deadline, so a file
another process keeps locked answers 503 instead of holding the request to its deadline.
Idempotency claims are ``INSERT OR IGNORE`` inside ``BEGIN IMMEDIATE``, so two concurrent
duplicates can never both win. A new version is one ``BEGIN IMMEDIATE`` transaction: check the
revision, archive the replaced version, replace the record, move its due time.

``synchronous=FULL``: in WAL mode every commit is fsynced before it returns, so a write the
API acknowledged survives a power cut (NORMAL could lose the last ones). The cost is measured
by ``benchmarks/sqlite_durability.py`` (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from aidj_service.stores.connections import ThreadConnections
from aidj_service.stores.history import (
    IdempotencyRecord,
    PlaylistRecord,
    StaleWrite,
    decode_cursor,
    encode_cursor,
    next_due_of,
    record_rev,
    unavailable_on,
)

# What every acknowledged write gets (see the module docstring); benchmarks may pass NORMAL.
SYNCHRONOUS = "FULL"

SCHEMA = """
CREATE TABLE IF NOT EXISTS playlists (
    playlist_id TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    sk          TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS playlists_by_user ON playlists (user_id, sk);
CREATE TABLE IF NOT EXISTS idempotency (
    user_id         TEXT NOT NULL,
    key             TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    state           TEXT NOT NULL,
    playlist_id     TEXT,
    response_status INTEGER,
    response_error  TEXT,
    expires_at      INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE TABLE IF NOT EXISTS versions (
    playlist_id TEXT NOT NULL,
    version     INTEGER NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (playlist_id, version)
);
CREATE TABLE IF NOT EXISTS schedules (
    playlist_id TEXT PRIMARY KEY,
    next_due    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS schedules_by_due ON schedules (next_due);
"""


# Locked, busy, disk I/O or a file that cannot be opened: a later retry can work. Anything else
# (a corrupt file, a programming error) is not "unavailable" and stays a 500 with its traceback.
@unavailable_on(sqlite3.OperationalError)
class SQLiteHistoryStore:
    name = "sqlite"

    def __init__(
        self, path: str | Path, busy_timeout_s: float = 5.0, synchronous: str = SYNCHRONOUS
    ) -> None:
        self.synchronous = synchronous
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.busy_timeout_s = busy_timeout_s
        self._connections = ThreadConnections(self.path, busy_timeout_s, synchronous)
        self._conn().executescript(SCHEMA)

    # ------------------------------------------------------------ connections

    def _conn(self) -> sqlite3.Connection:
        return self._connections.get()

    def close(self) -> None:
        self._connections.close()

    # ------------------------------------------------------------ playlists

    def put(self, record: PlaylistRecord) -> None:
        conn = self._conn()
        row = (
            record.playlist_id,
            record.user_id,
            record.sk,
            record.created_at,
            _dumps(record.data),
        )
        # a repeated put of the same playlist (a retried write) keeps the one copy
        insert = "INSERT OR IGNORE INTO playlists (playlist_id, user_id, sk, created_at, data) VALUES (?, ?, ?, ?, ?)"
        if next_due_of(record.data) is None:
            conn.execute(
                insert, row
            )  # the hot path (every new playlist): one statement, no transaction
            return
        with _immediate(conn):
            if conn.execute(insert, row).rowcount:
                _set_due(conn, record)

    def save(
        self, record: PlaylistRecord, *, expected_rev: int, archive: dict[str, Any] | None = None
    ) -> None:
        conn = self._conn()
        with _immediate(conn):
            row = conn.execute(
                "SELECT playlist_id, user_id, created_at, data FROM playlists WHERE playlist_id = ?",
                (record.playlist_id,),
            ).fetchone()
            current = _record(row) if row else None
            if current is None or record_rev(current) != expected_rev:
                raise StaleWrite(
                    f"playlist {record.playlist_id} changed since revision {expected_rev}", current
                )
            if archive is not None:
                conn.execute(
                    "INSERT INTO versions (playlist_id, version, data) VALUES (?, ?, ?)",
                    (record.playlist_id, int(archive["version"]), _dumps(archive)),
                )
            conn.execute(
                "UPDATE playlists SET data = ? WHERE playlist_id = ?",
                (_dumps(record.data), record.playlist_id),
            )
            _set_due(conn, record)

    def get_version(self, playlist_id: str, version: int) -> dict[str, Any] | None:
        row = (
            self._conn()
            .execute(
                "SELECT data FROM versions WHERE playlist_id = ? AND version = ?",
                (playlist_id, int(version)),
            )
            .fetchone()
        )
        return json.loads(row[0]) if row else None

    def recent(self, user_id: str, limit: int) -> list[PlaylistRecord]:
        rows = (
            self._conn()
            .execute(
                "SELECT playlist_id, user_id, created_at, data FROM playlists WHERE user_id = ? ORDER BY sk DESC LIMIT ?",
                (user_id, max(0, int(limit))),
            )
            .fetchall()
        )
        return [_record(row) for row in rows]

    def due(self, now: str, limit: int = 100) -> list[PlaylistRecord]:
        rows = (
            self._conn()
            .execute(
                "SELECT p.playlist_id, p.user_id, p.created_at, p.data FROM schedules s "
                "JOIN playlists p ON p.playlist_id = s.playlist_id WHERE s.next_due <= ? "
                "ORDER BY s.next_due, s.playlist_id LIMIT ?",
                (now, max(1, int(limit))),
            )
            .fetchall()
        )
        return [_record(row) for row in rows]

    def get(self, playlist_id: str) -> PlaylistRecord | None:
        row = (
            self._conn()
            .execute(
                "SELECT playlist_id, user_id, created_at, data FROM playlists WHERE playlist_id = ?",
                (playlist_id,),
            )
            .fetchone()
        )
        return _record(row) if row else None

    def list(
        self, user_id: str, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[PlaylistRecord], str | None]:
        limit = max(1, int(limit))
        if cursor:
            rows = (
                self._conn()
                .execute(
                    "SELECT playlist_id, user_id, created_at, data FROM playlists "
                    "WHERE user_id = ? AND sk < ? ORDER BY sk DESC LIMIT ?",
                    (user_id, decode_cursor(cursor), limit + 1),
                )
                .fetchall()
            )
        else:
            rows = (
                self._conn()
                .execute(
                    "SELECT playlist_id, user_id, created_at, data FROM playlists "
                    "WHERE user_id = ? ORDER BY sk DESC LIMIT ?",
                    (user_id, limit + 1),
                )
                .fetchall()
            )
        records = [_record(row) for row in rows[:limit]]
        return records, (encode_cursor(records[-1].sk) if len(rows) > limit else None)

    # ------------------------------------------------------------ idempotency

    def claim(
        self, user_id: str, key: str, fingerprint: str, ttl_s: int
    ) -> IdempotencyRecord | None:
        now = int(time.time())
        conn = self._conn()
        with _immediate(conn):
            conn.execute(
                "DELETE FROM idempotency WHERE user_id = ? AND key = ? AND expires_at < ?",
                (user_id, key, now),
            )
            inserted = conn.execute(
                "INSERT OR IGNORE INTO idempotency (user_id, key, fingerprint, state, expires_at) "
                "VALUES (?, ?, ?, 'pending', ?)",
                (user_id, key, fingerprint, now + ttl_s),
            ).rowcount
            if inserted == 1:
                return None
            row = conn.execute(
                "SELECT state, fingerprint, playlist_id, response_status, response_error FROM idempotency "
                "WHERE user_id = ? AND key = ?",
                (user_id, key),
            ).fetchone()
        state, stored_fingerprint, playlist_id, status, error = row
        return IdempotencyRecord(
            state, stored_fingerprint, playlist_id, status, json.loads(error) if error else None
        )

    def finish(
        self,
        user_id: str,
        key: str,
        *,
        playlist_id: str | None,
        response_status: int,
        response_error: dict[str, Any] | None = None,
    ) -> None:
        self._conn().execute(
            "UPDATE idempotency SET state = 'done', playlist_id = ?, response_status = ?, response_error = ? "
            "WHERE user_id = ? AND key = ?",
            (
                playlist_id,
                response_status,
                _dumps(response_error) if response_error else None,
                user_id,
                key,
            ),
        )

    def release(self, user_id: str, key: str) -> None:
        self._conn().execute(
            "DELETE FROM idempotency WHERE user_id = ? AND key = ? AND state = 'pending'",
            (user_id, key),
        )

    def health_check(self) -> None:
        """Raise :class:`HistoryUnavailable` unless a write could start now (``/health?deep=1``).

        Takes the write lock and gives it straight back; a fresh connection with a one-second
        wait, so a probe never queues behind the busy timeout.
        """
        conn = sqlite3.connect(
            self.path, timeout=1.0, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()


class _immediate:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``: takes the write lock up front so check-then-insert is atomic."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _set_due(conn: sqlite3.Connection, record: PlaylistRecord) -> None:
    due = next_due_of(record.data)
    if due is None:
        conn.execute("DELETE FROM schedules WHERE playlist_id = ?", (record.playlist_id,))
    else:
        conn.execute(
            "INSERT INTO schedules (playlist_id, next_due) VALUES (?, ?) "
            "ON CONFLICT (playlist_id) DO UPDATE SET next_due = excluded.next_due",
            (record.playlist_id, due),
        )


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _record(row: tuple[str, str, str, str]) -> PlaylistRecord:
    playlist_id, user_id, created_at, data = row
    return PlaylistRecord(playlist_id, user_id, created_at, json.loads(data))
