"""Stored playlists as the API's answers: the one place records become response models.

A record's ``data`` holds what the engine built (``Playlist.to_dict()``: parameters, tracks as
``PlaylistTrack.to_dict()``, stats, notices) plus the service's fields (name, Spotify, versions).
Every answer that shows a playlist, a page of history or a summary is made here and validated
against :mod:`aidj_service.models`, so the wire and ``/openapi.json`` cannot drift apart.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from aidj.exporters import EXPORTERS
from aidj_service.models import PlaylistPage, PlaylistResponse, PlaylistSummary
from aidj_service.operations.living.records import version_fields, version_of
from aidj_service.stores.history import SUMMARY_FIELDS, PlaylistRecord

EXPORT_FORMATS = tuple(EXPORTERS)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


def _from_store(model: type[M], fields: dict[str, Any], playlist_id: str) -> M:
    """``model`` validated from a stored record's ``fields``.

    A record written by an older version may hold a value today's model does not allow; its
    owner still gets the playlist as stored (a 500 would hide it for good), and the mismatch
    is logged so the record can be migrated.
    """
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        wrong = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
        log.warning(
            "stored playlist %s does not fit %s (%s); answered as stored",
            playlist_id,
            model.__name__,
            ", ".join(wrong[:10]),
        )
        return model.model_construct(**fields)


def playlist_response(
    record: PlaylistRecord, shown: dict[str, Any] | None = None
) -> PlaylistResponse:
    """A playlist answer: ``record`` (the current version), or ``shown``, an older version of it."""
    data = record.data if shown is None else {**record.data, **shown}
    pid = record.playlist_id
    return _from_store(
        PlaylistResponse,
        {
            "playlist_id": pid,
            "created_at": record.created_at,
            **{
                k: data.get(k)
                for k in ("message", "name", "prompt", "playlist_url", "status", "tracks_count")
            },
            "parameters": data.get("parameters") or {},
            "tracks": data.get("tracks") or [],
            "stats": data.get("stats") or {},
            "notices": data.get("notices") or [],
            "interpreter": data.get("interpreter"),
            "spotify": data.get("spotify"),
            "exports": {fmt: f"/playlists/{pid}.{fmt}" for fmt in EXPORT_FORMATS},
            **version_fields(record, shown),
        },
        pid,
    )


def playlist_summary(record: PlaylistRecord) -> PlaylistSummary:
    """One line of a history listing (what the stores' list projection holds)."""
    interpreter = record.data.get("interpreter")
    return _from_store(
        PlaylistSummary,
        {
            "playlist_id": record.playlist_id,
            "created_at": record.created_at,
            **{name: record.data.get(name) for name in SUMMARY_FIELDS},
            "version": version_of(record.data),
            "interpreter": interpreter.get("name")
            if isinstance(interpreter, dict)
            else (interpreter or "local"),
        },
        record.playlist_id,
    )


def playlist_page(records: Sequence[PlaylistRecord], cursor: str | None) -> PlaylistPage:
    return PlaylistPage(items=[playlist_summary(r) for r in records], next_cursor=cursor)
