"""Playlist history and idempotency records behind one small protocol.

Backends (SQLite for a local server, DynamoDB in AWS) are registered in
``aidj_service.stores.backends.HISTORY_STORES`` and pass the same contract tests in
tests/service/test_history_contract.py. When a store cannot answer now it raises
:class:`HistoryUnavailable`, whatever its database says underneath. One record per playlist, keyed by its owner and a sort
key that orders newest first; playlist ids are random UUIDs, so a playlist URL is a capability.

A playlist is a living thing: the record holds its *current* version (``data["version"]``) and
a revision counter (``data["rev"]``); every change is a compare-and-swap on ``rev`` that also
archives the version it replaces, so concurrent edits never lose a version. Scheduled
playlists (``data["schedule"]["next_due"]``) are found by ``due`` without reading every record.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

# Fields a listing shows (aidj_service.responses.playlist_summary; the DynamoDB list projection);
# the rest (tracks, parameters, stats) only come with a single playlist.
SUMMARY_FIELDS = (
    "name",
    "prompt",
    "playlist_url",
    "status",
    "tracks_count",
    "interpreter",
    "version",
    "updated_at",
)


class StaleWrite(RuntimeError):
    """The playlist changed since it was read (another edit won): retry from ``current``.

    ``current`` is the record as the store holds it now, read consistently (a DynamoDB ``get``
    goes through an eventually consistent index and could still return the old one).
    """

    def __init__(self, message: str, current: PlaylistRecord | None = None) -> None:
        super().__init__(message)
        self.current = current


class HistoryUnavailable(RuntimeError):
    """The store cannot answer now (locked, busy, throttled, unreachable): a retry later can work.

    Every backend raises this, and only this, for such failures (see :func:`unavailable_on`), so
    the API answers 503 without knowing which database is behind the protocol. ``reason`` is
    the backend's own error type, for logs and the deep health check.
    """

    def __init__(self, store: str, reason: str) -> None:
        super().__init__(f"the {store} history store cannot answer now ({reason})")
        self.store = store
        self.reason = reason


class InvalidCursor(ValueError):
    """A ``cursor`` that this service did not hand out (or that was altered)."""


def utc_now_iso() -> str:
    """ISO 8601 UTC with microseconds: sorts as text in time order, as the sort key needs."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(slots=True)
class PlaylistRecord:
    playlist_id: str
    user_id: str
    created_at: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def sk(self) -> str:
        return f"{self.created_at}#{self.playlist_id}"


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """What an ``Idempotency-Key`` already stands for."""

    state: Literal["pending", "done"]
    fingerprint: str  # sha256 of the request body: the same key with another body is a client bug
    playlist_id: str | None = None
    response_status: int | None = None
    response_error: dict[str, Any] | None = None


@runtime_checkable
class HistoryStore(Protocol):
    name: str

    def put(self, record: PlaylistRecord) -> None:
        """Store a new playlist (ids are unique; a second put with the same id replaces nothing else)."""

    def get(self, playlist_id: str) -> PlaylistRecord | None: ...

    def list(
        self, user_id: str, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[PlaylistRecord], str | None]:
        """A user's playlists newest first (summary fields at least) and the cursor of the next page."""
        ...

    def claim(
        self, user_id: str, key: str, fingerprint: str, ttl_s: int
    ) -> IdempotencyRecord | None:
        """Atomically claim ``key`` for ``user_id``: None when this caller won, else the existing record."""

    def finish(
        self,
        user_id: str,
        key: str,
        *,
        playlist_id: str | None,
        response_status: int,
        response_error: dict[str, Any] | None = None,
    ) -> None:
        """Record the outcome of a claimed key so retries get the same answer."""

    def release(self, user_id: str, key: str) -> None:
        """Forget a pending claim (the request failed before creating anything; a retry may try again)."""

    def save(
        self, record: PlaylistRecord, *, expected_rev: int, archive: dict[str, Any] | None = None
    ) -> None:
        """Replace the playlist's record if its ``rev`` is still ``expected_rev`` (else :class:`StaleWrite`).

        ``archive``: the version being replaced (its ``data["version"]`` numbers it); stored in the
        same atomic write, readable later with :meth:`get_version`.
        """

    def get_version(self, playlist_id: str, version: int) -> dict[str, Any] | None:
        """An archived (not the current) version's data, or None."""

    def recent(self, user_id: str, limit: int) -> list[PlaylistRecord]:
        """The user's newest ``limit`` playlists with every field (tracks included)."""
        ...

    def due(self, now: str, limit: int = 100) -> list[PlaylistRecord]:
        """Scheduled playlists whose ``schedule.next_due`` is at or before ``now``, earliest first."""
        ...

    def close(self) -> None: ...


def record_rev(record: PlaylistRecord) -> int:
    """The revision counter of a record (records written before versions existed count as 0)."""
    rev = record.data.get("rev")
    return rev if isinstance(rev, int) else 0


def next_due_of(data: dict[str, Any]) -> str | None:
    """When a scheduled playlist is next due, or None when it is not scheduled (or the schedule ended)."""
    schedule = data.get("schedule")
    if (
        isinstance(schedule, dict)
        and schedule.get("status") == "active"
        and isinstance(schedule.get("next_due"), str)
    ):
        return schedule["next_due"]
    return None


def encode_cursor(sk: str) -> str:
    raw = json.dumps({"v": 1, "sk": sk}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        sk = data["sk"] if isinstance(data, dict) and data.get("v") == 1 else None
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeEncodeError):
        sk = None
    if not isinstance(sk, str) or "#" not in sk or len(sk) > 200:
        raise InvalidCursor("cursor is not one this API handed out: start again without it")
    return sk


# What callers use of a store: the protocol's methods plus the deep health check some stores have.
STORE_METHODS = (
    "put",
    "get",
    "list",
    "claim",
    "finish",
    "release",
    "save",
    "get_version",
    "recent",
    "due",
    "health_check",
)

_Store = TypeVar("_Store", bound=type)


def unavailable_on(
    *errors: type[BaseException], methods: tuple[str, ...] = STORE_METHODS
) -> Callable[[_Store], _Store]:
    """Class decorator: the backend's own "cannot answer now" ``errors`` leave its ``methods`` as
    :class:`HistoryUnavailable` (the original stays the ``__cause__``, so logs keep the detail)."""

    def wrap_class(cls: _Store) -> _Store:
        for name in methods:
            method = cls.__dict__.get(name)
            if callable(method):
                setattr(cls, name, _translating(method, errors))
        return cls

    return wrap_class


def _translating(
    method: Callable[..., Any], errors: tuple[type[BaseException], ...]
) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except errors as exc:
            store = getattr(self, "name", type(self).__name__)
            raise HistoryUnavailable(store, type(exc).__name__) from exc

    return call
