"""The version fields of a stored playlist, read and written as plain data.

Record fields living playlists own (``PlaylistRecord.data``): ``version``, ``versions`` (one
``{version, created_at, cause}`` per version), ``cause``, ``updated_at``, ``locked``,
``added``/``removed``/``moved`` (what this version changed), ``rev`` (the CAS counter),
``previous_track_ids`` (track lists of the versions before, newest first, for freshness) and
``schedule``. Pure functions: the answers (:mod:`aidj_service.responses`) read them too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aidj.intent import Intent
from aidj.revision import Draft
from aidj_service.stores.history import PlaylistRecord

# Fields of the record that belong to the playlist, not to one version of it.
HEAD_ONLY = (
    "versions",
    "rev",
    "previous_track_ids",
    "schedule",
    "spotify",
    "playlist_url",
    "status",
    "edit_key_sha256",  # who may change the playlist, not part of what a version was
    "deliveries",  # what each delivery to another platform did (operations/delivery.py)
)
KEEP_PREVIOUS = (
    10  # track lists of earlier versions kept for freshness (depth is configurable up to this)
)
PERIODS = {"day": timedelta(days=1), "week": timedelta(weeks=1)}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def first_version(created_at: str) -> dict[str, Any]:
    """The version fields of a playlist just built."""
    return {
        "version": 1,
        "versions": [{"version": 1, "created_at": created_at, "cause": "created"}],
        "cause": "created",
        "updated_at": created_at,
        "locked": [],
        "added": [],
        "removed": [],
        "moved": [],
        "rev": 0,
        "previous_track_ids": [],
        "schedule": None,
    }


def version_of(data: dict[str, Any]) -> int:
    version = data.get("version")
    return version if isinstance(version, int) and version >= 1 else 1


def versions_of(record: PlaylistRecord) -> list[dict[str, Any]]:
    return list(
        record.data.get("versions")
        or [{"version": 1, "created_at": record.created_at, "cause": "created"}]
    )


def snapshot(data: dict[str, Any]) -> dict[str, Any]:
    """One version as archived: everything but the playlist-wide fields."""
    out = {k: v for k, v in data.items() if k not in HEAD_ONLY}
    out["version"] = version_of(data)
    return out


def track_ids(data: dict[str, Any]) -> list[str]:
    return [
        t["id"]
        for t in data.get("tracks") or []
        if isinstance(t, dict) and isinstance(t.get("id"), str)
    ]


def rename(data: dict[str, Any], name: str) -> None:
    data["name"] = name
    data["parameters"] = {**(data.get("parameters") or {}), "playlist_name": name}


def draft_of(data: dict[str, Any]) -> Draft:
    ids = track_ids(data)
    locked = [t for t in data.get("locked") or [] if t in ids]
    return Draft(Intent.from_dict(data.get("parameters") or {}), ids, locked)


def public_schedule(schedule: object) -> dict[str, Any] | None:
    if not isinstance(schedule, dict):
        return None
    return {
        "every": schedule.get("every"),
        "status": schedule.get("status", "active"),
        "next_due": schedule.get("next_due"),
        "last_refresh_at": schedule.get("last_refresh_at"),
        "failures": int(schedule.get("failures") or 0),
        "message": schedule.get("message"),
        "spotify_follows": bool(schedule.get("spotify_follows")),
    }


def version_fields(head: PlaylistRecord, shown: dict[str, Any] | None = None) -> dict[str, Any]:
    """The version part of a playlist answer: the head's history plus the shown version's changes."""
    data = shown if shown is not None else head.data
    return {
        "version": version_of(data),
        "current_version": version_of(head.data),
        "versions": versions_of(head),
        "cause": data.get("cause") or "created",
        "updated_at": data.get("updated_at") or head.created_at,
        "locked": list(data.get("locked") or []),
        "added": list(data.get("added") or []),
        "removed": list(data.get("removed") or []),
        "moved": list(data.get("moved") or []),
        "schedule": public_schedule(head.data.get("schedule")),
    }
