"""Taste profiles, one per user, kept beside the history: a SQLite table locally, one DynamoDB
item per user deployed (in the history table, ``user_id = "taste#<user>"``, ``sk = "profile"``).

A stored taste is two profiles (``aidj.taste.profile``): what Spotify said at the last import
(rebuilt whole each time: its lists are snapshots) and the listener's own (AI DJ edits, excluded
artists, more/less/never), folded in as they happen. Nothing else: no track ids, no plays, no
token; only names, genre slugs, decades, weights and sources, the things the taste panel shows.
Deleting a taste deletes the whole item or row; history is a different record and stays.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from aidj.taste.profile import TasteProfile, combine
from aidj_service.stores.connections import ThreadConnections
from aidj_service.stores.history import unavailable_on

TASTE_PREFIX = "taste#"
TASTE_SK = "profile"
TASTE_METHODS = ("get", "put", "delete")


@dataclass(frozen=True, slots=True)
class StoredTaste:
    imported: TasteProfile = field(default_factory=TasteProfile)  # from Spotify, last import
    own: TasteProfile = field(default_factory=TasteProfile)  # AI DJ events and steering
    updated_at: str | None = None  # ISO 8601 UTC of the last change
    imported_at: str | None = None  # when Spotify was last read

    @property
    def profile(self) -> TasteProfile:
        return combine(self.imported, self.own)

    def to_json(self) -> str:
        return json.dumps(
            {
                "imported": self.imported.to_dict(),
                "own": self.own.to_dict(),
                "updated_at": self.updated_at,
                "imported_at": self.imported_at,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> StoredTaste:
        data = json.loads(text)
        return cls(
            TasteProfile.from_dict(data.get("imported")),
            TasteProfile.from_dict(data.get("own")),
            data.get("updated_at"),
            data.get("imported_at"),
        )


class TasteStore(Protocol):
    name: str

    def get(self, user_id: str) -> StoredTaste | None: ...

    def put(self, user_id: str, taste: StoredTaste) -> None: ...

    def delete(self, user_id: str) -> bool:
        """Forget the user's taste; whether there was one."""
        ...

    def close(self) -> None: ...


SCHEMA = """
CREATE TABLE IF NOT EXISTS taste (
    user_id    TEXT PRIMARY KEY,
    data       TEXT NOT NULL
);
"""


@unavailable_on(sqlite3.OperationalError, methods=TASTE_METHODS)
class SQLiteTasteStore:
    """The ``taste`` table of the history's SQLite file (its own connections, WAL like it)."""

    name = "sqlite"

    def __init__(self, path: str | Path, busy_timeout_s: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self._connections = ThreadConnections(self.path, busy_timeout_s)
        self._conn().executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        return self._connections.get()

    def get(self, user_id: str) -> StoredTaste | None:
        row = (
            self._conn().execute("SELECT data FROM taste WHERE user_id = ?", (user_id,)).fetchone()
        )
        return StoredTaste.from_json(row[0]) if row else None

    def put(self, user_id: str, taste: StoredTaste) -> None:
        self._conn().execute(
            "INSERT INTO taste (user_id, data) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
            (user_id, taste.to_json()),
        )

    def delete(self, user_id: str) -> bool:
        return bool(
            self._conn().execute("DELETE FROM taste WHERE user_id = ?", (user_id,)).rowcount
        )

    def close(self) -> None:
        self._connections.close()


class DynamoDBItems(Protocol):
    def put_item(self, **request: Any) -> dict[str, Any]: ...

    def get_item(self, **request: Any) -> dict[str, Any]: ...

    def delete_item(self, **request: Any) -> dict[str, Any]: ...


@unavailable_on(BotoCoreError, ClientError, methods=TASTE_METHODS)
class DynamoDBTasteStore:
    """One item per user in the history table."""

    name = "dynamodb"

    def __init__(self, table_name: str, client: DynamoDBItems) -> None:
        self.table_name = table_name
        self.client = client

    @staticmethod
    def key(user_id: str) -> dict[str, Any]:
        return {"user_id": {"S": TASTE_PREFIX + user_id}, "sk": {"S": TASTE_SK}}

    def get(self, user_id: str) -> StoredTaste | None:
        item = self.client.get_item(
            TableName=self.table_name, Key=self.key(user_id), ConsistentRead=True
        ).get("Item")
        return StoredTaste.from_json(item["data"]["S"]) if item else None

    def put(self, user_id: str, taste: StoredTaste) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item={**self.key(user_id), "data": {"S": taste.to_json()}},
        )

    def delete(self, user_id: str) -> bool:
        answer = self.client.delete_item(
            TableName=self.table_name, Key=self.key(user_id), ReturnValues="ALL_OLD"
        )
        return bool(answer.get("Attributes"))

    def close(self) -> None:
        pass


def open_taste_store(db_path: str, history: object) -> TasteStore:
    """The taste store beside ``history``: in its DynamoDB table, or in its SQLite file."""
    table = getattr(history, "table_name", None)
    client = getattr(history, "client", None)
    if isinstance(table, str) and client is not None:
        return DynamoDBTasteStore(table, client)
    path = getattr(history, "path", None)
    return SQLiteTasteStore(path if isinstance(path, Path) else db_path)
