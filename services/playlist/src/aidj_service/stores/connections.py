"""One SQLite connection per thread to one file, all closed together.

The history store and the taste store share the same file and the same set-up: a connection is
not safe to share across the server's threads, autocommit (each statement its own transaction)
and a busy timeout so a writer waits for another instead of failing at once.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path


class ThreadConnections:
    """This thread's connection to ``path``, opened on first use.

    ``synchronous`` (e.g. "FULL"), when given, also puts the file in WAL mode and sets how hard
    each commit waits for the disk; without it the file keeps the journal mode it has.
    """

    def __init__(
        self, path: str | Path, busy_timeout_s: float, synchronous: str | None = None
    ) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self.synchronous = synchronous
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout_s,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
            if self.synchronous is not None:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute(f"PRAGMA synchronous = {self.synchronous}")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection; the next :meth:`get` opens a fresh one."""
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()
