"""Scheduled playlists: the schedule routes, sign-out, and the refresh that gives due ones a fresh version."""

from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import Any

from aidj.revision import Draft, refresh
from aidj_service.edge.http import Request, Response, parse_json
from aidj_service.logs import log_request
from aidj_service.models import ScheduleRequest, TokensDeleted
from aidj_service.operations.context import Context
from aidj_service.operations.living.book import PlaylistBook
from aidj_service.operations.living.follow import SpotifyFollow
from aidj_service.operations.living.owner import authorize, meter
from aidj_service.operations.living.records import PERIODS, draft_of, iso
from aidj_service.responses import playlist_response
from aidj_service.stores.history import PlaylistRecord, next_due_of

log = logging.getLogger(__name__)

METRIC_NAMESPACE = "AIDJ"


class NotDue(Exception):
    """The playlist is no longer due: a concurrent refresh already made its fresh version."""


class Schedules:
    def __init__(self, ctx: Context, book: PlaylistBook, follow: SpotifyFollow) -> None:
        self.ctx = ctx
        self.book = book
        self.follow = follow

    # ------------------------------------------------------------ routes

    def put_schedule(self, request: Request) -> Response:
        req = parse_json(request, ScheduleRequest)
        record = self.book.load(request.path_params["id"])
        authorize(self.ctx, request, record, req)
        now = self.book.clock()
        follows = False
        if req.spotify_refresh_token and (record.data.get("spotify") or {}).get("playlist_id"):
            follows = self.follow.keep_refresh_token(record, req.spotify_refresh_token)

        def change(data: dict[str, Any]) -> None:
            data["schedule"] = {
                "every": req.every,
                "status": "active",
                "next_due": iso(now + PERIODS[req.every]),
                "last_refresh_at": None,
                "failures": 0,
                "message": None,
                "spotify_follows": follows,
            }

        return Response.of(playlist_response(self.book.update_head(record, change)))

    def delete_schedule(self, request: Request) -> Response:
        record = self.book.load(request.path_params["id"])
        authorize(self.ctx, request, record, None)
        vault = self.follow.vault
        if vault is not None:
            vault.delete(record.user_id, record.playlist_id)

        def change(data: dict[str, Any]) -> None:
            data["schedule"] = None

        return Response.of(playlist_response(self.book.update_head(record, change)))

    def forget_tokens(self, request: Request) -> Response:
        """Sign-out: every stored Spotify sign-in of the caller is deleted (schedules go on without Spotify)."""
        user = self.ctx.identity.signed_in_user(request, "signing out", check_user_id=False)
        meter(self.ctx, request, user)
        vault = self.follow.vault
        deleted = vault.delete_user(user) if vault is not None else 0
        return Response.of(TokensDeleted(deleted=deleted))

    # ------------------------------------------------------------ the scheduled refresh

    def refresh_due(self, limit: int = 100) -> dict[str, int]:
        """Give every due playlist a fresh version; a failure stays due and is retried next round."""
        now = self.book.clock()
        done = failed = 0
        here = self.ctx.settings.home_regions
        # other regions' due playlists share the index: read enough to still find ours
        window = limit * max(1, len(here.regions))
        for record in self.ctx.store.due(iso(now), window):
            if not here.is_home(record.data):
                continue  # its home region's round refreshes it (stores/home_region.py)
            if done + failed >= limit:
                break
            try:
                self.refresh_one(record, now)
                done += 1
            except NotDue:
                continue  # another worker (or invocation) refreshed it first
            except Exception as exc:
                failed += 1
                log.warning("refresh of a playlist failed: %s", type(exc).__name__, exc_info=True)
                self._note_failure(record, exc)
        if failed:
            # CloudWatch embedded metric format: the log line is the metric, the alarm watches it
            log_request(emf("RefreshFailures", failed, now))
        return {"refreshed": done, "failed": failed}

    def refresh_one(self, record: PlaylistRecord, now: datetime) -> PlaylistRecord:
        every = (record.data.get("schedule") or {}).get("every", "week")

        def compute(current: PlaylistRecord) -> Draft:
            due = next_due_of(current.data)
            if due is None or due > iso(now):
                raise NotDue(current.playlist_id)
            draft = draft_of(current.data)
            return refresh(self.book.catalog, draft, self.book.avoid(current.data, draft.locked))

        def reschedule(data: dict[str, Any]) -> None:
            schedule = dict(data.get("schedule") or {})
            schedule.update(
                next_due=iso(now + PERIODS.get(every, PERIODS["week"])),
                last_refresh_at=iso(now),
                failures=0,
                message=None,
                status="active",
            )
            data["schedule"] = schedule

        saved = self.book.commit(
            record, compute, f"refresh (every {every})", also=reschedule, now=now, capped=False
        )
        if (saved.data.get("schedule") or {}).get("spotify_follows"):
            self.follow.follow_unattended(saved)
        return saved

    def _note_failure(self, record: PlaylistRecord, exc: Exception) -> None:
        def change(data: dict[str, Any]) -> None:
            schedule = dict(data.get("schedule") or {})
            schedule["failures"] = int(schedule.get("failures") or 0) + 1
            schedule["message"] = (
                f"the last refresh failed ({type(exc).__name__}); it is retried next round"
            )
            data["schedule"] = schedule

        try:
            self.book.update_head(record, change)
        except Exception:
            log.warning("could not record a refresh failure", exc_info=True)


def emf(metric: str, value: int, now: datetime) -> dict[str, Any]:
    """A CloudWatch embedded-metric-format line: logged as is, it becomes a metric point."""
    return {
        "_aws": {
            "Timestamp": int(now.timestamp() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": METRIC_NAMESPACE,
                    "Dimensions": [["FunctionName"]],  # what the stack's alarm selects on
                    "Metrics": [{"Name": metric, "Unit": "Count"}],
                }
            ],
        },
        "FunctionName": os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local"),
        metric: value,
    }
