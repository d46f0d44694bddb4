"""The versions of stored playlists, written with compare-and-swap so concurrent edits never lose one.

The domain rules (what a swap picks, what a refine keeps, what a refresh avoids) live in
:mod:`aidj.revision`; this module turns a revision into the next stored version: read the
record, compute the next version, ``store.save(expected_rev=...)``, and on :class:`StaleWrite`
read again and recompute (another edit won the race).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aidj.intent import Intent
from aidj.playlist import Playlist
from aidj.revision import Draft, RevisionError, avoid_set, changes, render
from aidj_service.edge.http import Conflict, HTTPError, MisdirectedRequest
from aidj_service.operations.context import Context
from aidj_service.operations.living.records import (
    KEEP_PREVIOUS,
    iso,
    snapshot,
    track_ids,
    version_of,
    versions_of,
)
from aidj_service.operations.lookup import find_playlist
from aidj_service.stores.history import PlaylistRecord, StaleWrite, record_rev
from aidj_service.stores.home_region import WrongRegion

if TYPE_CHECKING:
    from aidj.catalog import Catalog

MAX_SAVE_ATTEMPTS = 60  # concurrent edits of one playlist: each lost race re-reads and recomputes
# What each revision error means for the caller: fix the request (422) or the playlist's state (409).
ERROR_STATUS = {"track_locked": 409, "no_replacement": 409, "nothing_to_add": 409}


def busy() -> Conflict:
    return Conflict(
        "this playlist is being changed by many requests at once: retry in a moment",
        code="playlist_busy",
        headers={"retry-after": "1"},
    )


class PlaylistBook:
    """Reads and writes the versions of stored playlists; its clock stamps every version."""

    def __init__(self, ctx: Context, clock: Callable[[], datetime] | None = None) -> None:
        self.ctx = ctx
        self.clock = clock or (lambda: datetime.now(UTC))

    @property
    def catalog(self) -> Catalog:
        return self.ctx.dj.catalog

    def load(self, raw_id: str) -> PlaylistRecord:
        return find_playlist(self.ctx.store, raw_id)

    def version_data(
        self, record: PlaylistRecord, version: int, *, status: int = 404
    ) -> dict[str, Any]:
        """The data of ``version`` (the record itself for the current one)."""
        current = version_of(record.data)
        data = (
            record.data
            if version == current
            else (
                self.ctx.store.get_version(record.playlist_id, version)
                if 1 <= version < current
                else None
            )
        )
        if data is None:
            raise HTTPError(
                f"version {version} does not exist: this playlist has versions 1 to {current}",
                code="version_not_found",
                status=status,
            )
        return data

    def avoid(self, data: dict[str, Any], keep: list[str]) -> set[str]:
        """What a new version should not bring back: the newest versions' tracks (current included), less ``keep``."""
        history = [track_ids(data), *(data.get("previous_track_ids") or [])]
        return avoid_set(history, keep=keep, depth=self.ctx.settings.freshness_depth)

    def commit(
        self,
        record: PlaylistRecord,
        compute: Callable[[PlaylistRecord], Draft],
        cause: str,
        *,
        also: Callable[[dict[str, Any]], None] | None = None,
        now: datetime | None = None,
        capped: bool = True,
    ) -> PlaylistRecord:
        """Store the next version ``compute`` makes of the newest record, retrying lost races.

        ``capped``: a caller's change stops at ``settings.max_versions`` (a scheduled refresh,
        at most one a day, is not capped).
        """
        playlist_id = record.playlist_id
        self.check_home(record)
        newer: PlaylistRecord | None = None  # what the store held when our write lost
        for attempt in range(MAX_SAVE_ATTEMPTS):
            if attempt:
                time.sleep(random.uniform(0, min(0.2, 0.005 * 2 ** min(attempt, 6))))
                record = newer or self.load(playlist_id)
            if capped:
                self.check_room(record)
            try:
                draft = compute(record)
            except RevisionError as exc:
                raise HTTPError(
                    exc.message, code=exc.code, status=ERROR_STATUS.get(exc.code, 422)
                ) from None
            data = self.next_data(record, draft, cause, now or self.clock())
            if also is not None:
                also(data)
            new = PlaylistRecord(record.playlist_id, record.user_id, record.created_at, data)
            try:
                self.ctx.store.save(
                    new, expected_rev=record_rev(record), archive=snapshot(record.data)
                )
                return new
            except StaleWrite as exc:
                newer = exc.current
        raise busy()

    def check_home(self, record: PlaylistRecord) -> None:
        """Writes go to the playlist's home region only (the rule: stores/home_region.py)."""
        try:
            self.ctx.settings.home_regions.check_write(record.playlist_id, record.data)
        except WrongRegion as exc:
            raise MisdirectedRequest(str(exc), details={"home_region": exc.home}) from None

    def check_room(self, record: PlaylistRecord) -> None:
        """A 409 once the playlist has as many versions as one may have."""
        cap = self.ctx.settings.max_versions
        if version_of(record.data) >= cap:
            raise Conflict(
                f"this playlist has {version_of(record.data)} versions, the most one playlist may "
                f"have ({cap}): build a new playlist with POST /playlist (this one stays readable)",
                code="version_limit_reached",
            )

    def update_head(
        self, record: PlaylistRecord, change: Callable[[dict[str, Any]], None]
    ) -> PlaylistRecord:
        """Change playlist-wide fields (the schedule) without making a version, with the same CAS."""
        self.check_home(record)
        newer: PlaylistRecord | None = None
        for attempt in range(MAX_SAVE_ATTEMPTS):
            if attempt:
                time.sleep(random.uniform(0, 0.02))
                record = newer or self.load(record.playlist_id)
            data = dict(record.data)
            change(data)
            data["rev"] = record_rev(record) + 1
            new = PlaylistRecord(record.playlist_id, record.user_id, record.created_at, data)
            try:
                self.ctx.store.save(new, expected_rev=record_rev(record))
                return new
            except StaleWrite as exc:
                newer = exc.current
        raise busy()

    def next_data(
        self, record: PlaylistRecord, draft: Draft, cause: str, now: datetime
    ) -> dict[str, Any]:
        """The record data of the version after ``record``'s: ``draft`` rendered, the change described."""
        old = record.data
        old_ids = track_ids(old)
        version = version_of(old) + 1
        stamp = iso(now)
        data = dict(old)
        if draft.track_ids != old_ids or draft.intent != Intent.from_dict(
            old.get("parameters") or {}
        ):
            playlist: Playlist = render(self.catalog, draft)
            data.update(playlist.to_dict(), tracks_count=len(playlist.tracks))
        diff = changes(old_ids, track_ids(data))
        name = data.get("name") or "playlist"
        data.update(
            version=version,
            versions=[
                *versions_of(record),
                {"version": version, "created_at": stamp, "cause": cause},
            ],
            cause=cause,
            updated_at=stamp,
            locked=list(draft.locked),
            added=diff.added,
            removed=diff.removed,
            moved=diff.moved,
            rev=record_rev(record) + 1,
            previous_track_ids=[old_ids, *(old.get("previous_track_ids") or [])][:KEEP_PREVIOUS],
            message=f"Version {version} of '{name}' ({cause}): {len(diff.added)} added, {len(diff.removed)} removed, "
            f"{len(diff.moved)} moved.",
        )
        return data
