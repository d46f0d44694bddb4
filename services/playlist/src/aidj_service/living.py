"""Living playlists over HTTP: versions, edits, revert, extend and refresh schedules.

The domain rules (what a swap picks, what a refine keeps, what a refresh avoids) live in
:mod:`aidj.revision`; this module decides who may change a playlist, turns a revision into the
next stored version, and writes it with compare-and-swap so concurrent edits never lose one:
read the record, compute the next version, ``store.save(expected_rev=...)``, and on
:class:`StaleWrite` read again and recompute (another edit won the race).

Record fields this module owns (``PlaylistRecord.data``): ``version``, ``versions`` (one
``{version, created_at, cause}`` per version), ``cause``, ``updated_at``, ``locked``,
``added``/``removed``/``moved`` (what this version changed), ``rev`` (the CAS counter),
``previous_track_ids`` (track lists of the versions before, newest first, for freshness) and
``schedule``.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from aidj.intent import Intent
from aidj.playlist import Playlist
from aidj.revision import (
    Draft,
    Edit,
    RevisionError,
    apply_edits,
    avoid_set,
    changes,
    extend,
    refine,
    refresh,
    render,
)
from aidj_service.http import (
    Conflict,
    Forbidden,
    HTTPError,
    NotFound,
    Request,
    Response,
    TooManyRequests,
    Unauthorized,
    UnprocessableEntity,
)
from aidj_service.logs import log_request, user_hash
from aidj_service.models import (
    ExtendRequest,
    PlaylistResponse,
    PlayRequest,
    PlayResult,
    RevertRequest,
    ScheduleRequest,
    TokensDeleted,
    VersionRequest,
    validation_message,
)
from aidj_service.ratelimit import retry_after_header
from aidj_service.stores.history import PlaylistRecord, StaleWrite, next_due_of, record_rev

if TYPE_CHECKING:
    from aidj.catalog import Catalog
    from aidj_service.api import Api
    from aidj_service.clients.spotify import TokenGrant
    from aidj_service.stores.tokens import TokenVault

log = logging.getLogger(__name__)

RequestModel = TypeVar("RequestModel", bound=BaseModel)


class SpotifyCopy(Protocol):
    """The Spotify call that keeps a playlist's Spotify copy in step (:class:`SpotifyClient`)."""

    def replace_items(
        self, playlist_id: str, uris: Sequence[str], *, url: str | None = None
    ) -> int: ...


# Fields of the record that belong to the playlist, not to one version of it.
HEAD_ONLY = (
    "versions",
    "rev",
    "previous_track_ids",
    "schedule",
    "spotify",
    "playlist_url",
    "status",
)
KEEP_PREVIOUS = (
    10  # track lists of earlier versions kept for freshness (depth is configurable up to this)
)
MAX_SAVE_ATTEMPTS = 60  # concurrent edits of one playlist: each lost race re-reads and recomputes
PERIODS = {"day": timedelta(days=1), "week": timedelta(weeks=1)}
# What each revision error means for the caller: fix the request (422) or the playlist's state (409).
_ERROR_STATUS = {"track_locked": 409, "no_replacement": 409, "nothing_to_add": 409}


class NotDue(Exception):
    """The playlist is no longer due: a concurrent refresh already made its fresh version."""


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


def _rename(data: dict[str, Any], name: str) -> None:
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


class Living:
    """The routes that change a playlist after it is built, plus the scheduled refresh."""

    def __init__(self, api: Api, clock: Callable[[], datetime] | None = None) -> None:
        self.api = api
        self.clock = clock or (lambda: datetime.now(UTC))

    @property
    def catalog(self) -> Catalog:
        return self.api.dj.catalog

    # ------------------------------------------------------------ routes

    def create_version(self, request: Request) -> Response:
        req = self._parse(request, VersionRequest)
        record = self.load(request.path_params["id"])
        spotify = self._authorize(request, record, req)
        self._rate_limit(request, record)
        name = req.name
        if name is not None and req.prompt is None and not req.edits:
            # a new name changes what the playlist is called, not its music: no new version
            return Response.of(_body(self.update_head(record, lambda data: _rename(data, name))))
        refined: Intent | None = None
        if req.prompt is not None:
            base = Intent.from_dict(record.data.get("parameters") or {})
            interpretation = self.api._interpret(
                req.interpreter or self.api.settings.interpreter, req.prompt, base
            )
            # the playlist keeps its name: a refine changes the music, not what the user calls it
            refined = interpretation.intent.replace(**{"playlist_name": base.playlist_name})
        edits = [Edit(e.op, e.track_id, e.to, e.count) for e in req.edits]
        parts = [f"{e.op} {e.track_id}" for e in edits] + (
            [f"refine: {req.prompt}"] if req.prompt else []
        )
        cause = "; ".join(parts)[:200]

        def compute(current: PlaylistRecord) -> Draft:
            draft = draft_of(current.data)
            avoid = self.avoid(current.data, draft.locked)
            if edits:
                draft = apply_edits(self.catalog, draft, edits, avoid)
            if refined is not None:
                draft = refine(self.catalog, draft, refined, avoid)
            return draft

        rename = (lambda data: _rename(data, name)) if name is not None else None
        return self._answer(self.commit(record, compute, cause, also=rename), spotify)

    def revert(self, request: Request) -> Response:
        req = self._parse(request, RevertRequest)
        record = self.load(request.path_params["id"])
        spotify = self._authorize(request, record, req)
        target = self.version_data(record, req.version, status=422)

        def compute(current: PlaylistRecord) -> Draft:
            return draft_of(target)

        return self._answer(
            self.commit(record, compute, f"revert to version {req.version}"), spotify
        )

    def extend(self, request: Request) -> Response:
        req = self._parse(request, ExtendRequest)
        record = self.load(request.path_params["id"])
        spotify = self._authorize(request, record, req)
        self._rate_limit(request, record)
        minutes = float(req.minutes) if req.minutes is not None else None
        cause = (
            f"extend by {req.count} tracks"
            if req.count is not None
            else f"extend by {req.minutes:g} minutes"
        )

        def compute(current: PlaylistRecord) -> Draft:
            draft = draft_of(current.data)
            return extend(
                self.catalog,
                draft,
                self.avoid(current.data, draft.locked),
                count=req.count,
                minutes=minutes,
            )

        return self._answer(self.commit(record, compute, cause), spotify)

    def put_schedule(self, request: Request) -> Response:
        req = self._parse(request, ScheduleRequest)
        record = self.load(request.path_params["id"])
        self._authorize(request, record, req)
        now = self.clock()
        follows = False
        if req.spotify_refresh_token and (record.data.get("spotify") or {}).get("playlist_id"):
            follows = self._keep_refresh_token(record, req.spotify_refresh_token)

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

        return Response.of(_body(self.update_head(record, change)))

    def delete_schedule(self, request: Request) -> Response:
        record = self.load(request.path_params["id"])
        self._authorize(request, record, None)
        if self.vault is not None:
            self.vault.delete(record.user_id, record.playlist_id)

        def change(data: dict[str, Any]) -> None:
            data["schedule"] = None

        return Response.of(_body(self.update_head(record, change)))

    def forget_tokens(self, request: Request) -> Response:
        """Sign-out: every stored Spotify sign-in of the caller is deleted (schedules go on without Spotify)."""
        from aidj_service.api import _bearer

        token = _bearer(request)
        if token:
            user = self.api._identify(self.api._spotify(token, request), None)
        elif self.api.settings.trusts_body_user:
            user = (request.query.get("user_id") or "").strip() or "local"
        else:
            raise Unauthorized(
                "signing out needs your Spotify sign-in: send Authorization: Bearer <Spotify access token>",
                code="authentication_required",
            )
        deleted = self.vault.delete_user(user) if self.vault is not None else 0
        return Response.of(TokensDeleted(deleted=deleted))

    def play(self, request: Request) -> Response:
        """Play now: the version's tracks go to the end of the caller's Spotify queue, in order."""
        from aidj_service.api import _bearer, spotify_http_error
        from aidj_service.clients.spotify import SpotifyError, SpotifyNoDeviceError

        req = self._parse(request, PlayRequest) if request.body.strip() else PlayRequest()
        record = self.load(request.path_params["id"])
        data = self.version_data(record, req.version) if req.version is not None else record.data
        token = req.spotify_access_token or _bearer(request)
        if not token:
            raise Unauthorized(
                "playing needs your Spotify sign-in: send Authorization: Bearer <Spotify access token>",
                code="authentication_required",
            )
        spotify = self.api._spotify(token, request)
        uris = [f"spotify:track:{tid}" for tid in track_ids(data)]
        queued = 0
        try:
            for uri in uris:
                spotify.queue(uri)
                queued += 1
        except SpotifyNoDeviceError as exc:
            if not queued:
                raise Conflict(exc.message, code="no_active_device") from None
        except SpotifyError as exc:
            if not queued:
                raise spotify_http_error(exc) from None
        message = (
            f"Queued all {queued} tracks on your active Spotify device."
            if queued == len(uris)
            else f"Queued {queued} of {len(uris)} tracks: Spotify stopped accepting them (is the device still on?)"
        )
        return Response.of(PlayResult(queued=queued, total=len(uris), message=message))

    # ------------------------------------------------------------ the scheduled refresh

    def refresh_due(self, limit: int = 100) -> dict[str, int]:
        """Give every due playlist a fresh version; a failure stays due and is retried next round."""
        now = self.clock()
        done = failed = 0
        for record in self.api.store.due(iso(now), limit):
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
            log_request(_emf("RefreshFailures", failed, now))
        return {"refreshed": done, "failed": failed}

    def refresh_one(self, record: PlaylistRecord, now: datetime) -> PlaylistRecord:
        every = (record.data.get("schedule") or {}).get("every", "week")

        def compute(current: PlaylistRecord) -> Draft:
            due = next_due_of(current.data)
            if due is None or due > iso(now):
                raise NotDue(current.playlist_id)
            draft = draft_of(current.data)
            return refresh(self.catalog, draft, self.avoid(current.data, draft.locked))

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

        saved = self.commit(record, compute, f"refresh (every {every})", also=reschedule, now=now)
        if (saved.data.get("schedule") or {}).get("spotify_follows"):
            self._follow_unattended(saved)
        return saved

    # ------------------------------------------------------------ Spotify follows the playlist

    @property
    def vault(self) -> TokenVault | None:
        """Where sealed refresh tokens live; None (with ``_vault_problem`` saying why) when nowhere safe."""
        if not hasattr(self, "_vault"):
            from aidj_service.stores.backends import open_token_vault
            from aidj_service.stores.tokens import TokenVaultUnavailable

            try:
                self._vault, self._vault_problem = (
                    open_token_vault(self.api.settings, self.api.store),
                    None,
                )
            except TokenVaultUnavailable as exc:
                self._vault, self._vault_problem = None, str(exc)
        return self._vault

    def _grant(self, refresh_token: str) -> TokenGrant:
        from aidj_service.clients.spotify import refresh_access_token

        settings = self.api.settings
        if not settings.spotify_client_id:
            raise UnprocessableEntity(
                "this server has no SPOTIFY_CLIENT_ID, so it cannot use Spotify sign-ins",
                code="spotify_not_configured",
            )
        return refresh_access_token(
            refresh_token,
            client_id=settings.spotify_client_id,
            accounts_url=settings.spotify_accounts_url,
        )

    def _keep_refresh_token(self, record: PlaylistRecord, refresh_token: str) -> bool:
        """Check the refresh token works, then store it sealed; True when the playlist now follows on Spotify."""
        from aidj_service.api import spotify_http_error
        from aidj_service.clients.spotify import SpotifyError, SpotifyRevokedError

        vault = self.vault
        if vault is None:
            raise UnprocessableEntity(
                self._vault_problem
                or "this server does not keep Spotify sign-ins (set AIDJ_TOKEN_KEY locally, or deploy with the "
                "token key): schedule without spotify_refresh_token, or configure it",
                code="tokens_unavailable",
            )
        try:
            grant = self._grant(refresh_token)
        except SpotifyRevokedError:
            raise UnprocessableEntity(
                "Spotify did not accept this refresh token: sign in to Spotify again, then schedule",
                code="spotify_token_rejected",
            ) from None
        except SpotifyError as exc:
            raise spotify_http_error(exc) from None
        vault.put(record.user_id, record.playlist_id, grant.refresh_token or refresh_token)
        return True

    def _follow_unattended(self, record: PlaylistRecord) -> None:
        """A refresh with nobody signed in: the stored refresh token buys an access token for the update."""
        from aidj_service.clients.spotify import SpotifyRevokedError

        vault = self.vault
        refresh_token = vault.get(record.user_id, record.playlist_id) if vault is not None else None
        if vault is None or refresh_token is None:
            self._set_schedule(
                record, spotify_follows=False, message="Spotify is not updated: no stored sign-in"
            )
            return
        try:
            grant = self._grant(refresh_token)
        except SpotifyRevokedError:
            vault.delete(record.user_id, record.playlist_id)
            self._set_schedule(
                record,
                status="revoked",
                spotify_follows=False,
                message="Spotify no longer accepts your sign-in, so this schedule ended: sign in to Spotify and "
                "schedule the playlist again",
            )
            return
        if grant.refresh_token and grant.refresh_token != refresh_token:
            vault.put(record.user_id, record.playlist_id, grant.refresh_token)
        self._mirror(record, self.api._spotify_for_job(grant.access_token))

    def _mirror(self, record: PlaylistRecord, spotify: SpotifyCopy) -> None:
        """Replace the Spotify playlist's items with this version's, in place."""
        info = record.data.get("spotify") or {}
        uris = [f"spotify:track:{tid}" for tid in track_ids(record.data)]
        added = spotify.replace_items(info["playlist_id"], uris, url=info.get("url"))

        def change(data: dict[str, Any]) -> None:
            data["spotify"] = {
                **(data.get("spotify") or {}),
                "added": added,
                "total": len(uris),
                "version": version_of(record.data),
            }

        self.update_head(record, change)

    def _answer(self, record: PlaylistRecord, spotify: SpotifyCopy | None) -> Response:
        """The new version, after following it on Spotify when the playlist lives there too."""
        from aidj_service.clients.spotify import SpotifyError

        body = _body(record)
        if not (record.data.get("spotify") or {}).get("playlist_id"):
            return Response.of(body)
        try:
            if spotify is not None:
                self._mirror(record, spotify)
            elif (record.data.get("schedule") or {}).get("spotify_follows"):
                self._follow_unattended(record)
            else:
                body.message += " Connect Spotify to update the Spotify copy too."
                return Response.of(body)
        except SpotifyError as exc:
            body.message += f" The Spotify copy was not updated ({exc.message}); the next version will update it."
            return Response.of(body)
        mirrored = _body(self.load(record.playlist_id))
        mirrored.message = body.message
        return Response.of(mirrored)

    def _set_schedule(self, record: PlaylistRecord, **fields: Any) -> None:
        def change(data: dict[str, Any]) -> None:
            if isinstance(data.get("schedule"), dict):
                data["schedule"] = {**data["schedule"], **fields}

        self.update_head(record, change)

    def _note_failure(self, record: PlaylistRecord, exc: Exception) -> None:
        def change(data: dict[str, Any]) -> None:
            schedule = dict(data.get("schedule") or {})
            schedule["failures"] = int(schedule.get("failures") or 0) + 1
            schedule["message"] = (
                f"the last refresh failed ({type(exc).__name__}); it is retried next round"
            )
            data["schedule"] = schedule

        try:
            self.update_head(record, change)
        except Exception:
            log.warning("could not record a refresh failure", exc_info=True)

    # ------------------------------------------------------------ building blocks

    def avoid(self, data: dict[str, Any], keep: list[str]) -> set[str]:
        """What a new version should not bring back: the newest versions' tracks (current included), less ``keep``."""
        history = [track_ids(data), *(data.get("previous_track_ids") or [])]
        return avoid_set(history, keep=keep, depth=self.api.settings.freshness_depth)

    def load(self, raw_id: str) -> PlaylistRecord:
        from aidj_service.api import _UUID_RE

        playlist_id = raw_id.lower()
        record = self.api.store.get(playlist_id) if _UUID_RE.match(playlist_id) else None
        if record is None:
            raise NotFound(
                "no playlist with this id: check the link, or create one with POST /playlist",
                code="playlist_not_found",
            )
        return record

    def version_data(
        self, record: PlaylistRecord, version: int, *, status: int = 404
    ) -> dict[str, Any]:
        """The data of ``version`` (the record itself for the current one)."""
        current = version_of(record.data)
        data = (
            record.data
            if version == current
            else (
                self.api.store.get_version(record.playlist_id, version)
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

    def commit(
        self,
        record: PlaylistRecord | None,
        compute: Callable[[PlaylistRecord], Draft],
        cause: str,
        *,
        also: Callable[[dict[str, Any]], None] | None = None,
        now: datetime | None = None,
    ) -> PlaylistRecord:
        """Store the next version ``compute`` makes of the newest record, retrying lost races."""
        assert record is not None
        playlist_id = record.playlist_id
        newer: PlaylistRecord | None = None  # what the store held when our write lost
        for attempt in range(MAX_SAVE_ATTEMPTS):
            if attempt:
                time.sleep(random.uniform(0, min(0.2, 0.005 * 2 ** min(attempt, 6))))
                record = newer or self.load(playlist_id)
            try:
                draft = compute(record)
            except RevisionError as exc:
                raise HTTPError(
                    exc.message, code=exc.code, status=_ERROR_STATUS.get(exc.code, 422)
                ) from None
            data = self._next_data(record, draft, cause, now or self.clock())
            if also is not None:
                also(data)
            new = PlaylistRecord(record.playlist_id, record.user_id, record.created_at, data)
            try:
                self.api.store.save(
                    new, expected_rev=record_rev(record), archive=snapshot(record.data)
                )
                return new
            except StaleWrite as exc:
                newer = exc.current
        raise _busy()

    def update_head(
        self, record: PlaylistRecord, change: Callable[[dict[str, Any]], None]
    ) -> PlaylistRecord:
        """Change playlist-wide fields (the schedule) without making a version, with the same CAS."""
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
                self.api.store.save(new, expected_rev=record_rev(record))
                return new
            except StaleWrite as exc:
                newer = exc.current
        raise _busy()

    def _next_data(
        self, record: PlaylistRecord, draft: Draft, cause: str, now: datetime
    ) -> dict[str, Any]:
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

    def _parse(self, request: Request, model: type[RequestModel]) -> RequestModel:
        from aidj_service.api import _json_body

        try:
            return model.model_validate(_json_body(request))
        except ValidationError as exc:
            raise UnprocessableEntity(validation_message(exc, model)) from None

    def _authorize(
        self, request: Request, record: PlaylistRecord, req: BaseModel | None
    ) -> SpotifyCopy | None:
        """Owner only, once deployed; a local server is one person's machine and trusts its caller.

        Returns the caller's Spotify client when a token came along (to update the Spotify copy).
        """
        from aidj_service.api import _bearer

        token = getattr(req, "spotify_access_token", None) or _bearer(request)
        spotify = self.api._spotify(token, request) if token else None
        if self.api.settings.trusts_body_user:
            return spotify
        user = self.api._identify(spotify, None)
        request.context["user"] = user_hash(user)
        if user == record.user_id:
            return spotify
        if user == "anonymous":
            raise Unauthorized(
                "changing a playlist needs its owner's Spotify sign-in: send Authorization: Bearer <token>",
                code="authentication_required",
            )
        raise Forbidden(
            "only the owner can change this playlist (you can still read and share it): "
            "build your own with POST /playlist",
            code="not_owner",
        )

    def _rate_limit(self, request: Request, record: PlaylistRecord) -> None:
        owner = (
            record.user_id if record.user_id != "anonymous" else f"anonymous@{request.source_ip}"
        )
        wait = self.api.limiter.acquire(owner)
        if wait > 0:
            raise TooManyRequests(
                f"too many changes in a minute (limit {self.api.limiter.per_minute}): try again in "
                f"{retry_after_header(wait)} seconds",
                headers={"retry-after": retry_after_header(wait)},
            )


def _busy() -> Conflict:
    return Conflict(
        "this playlist is being changed by many requests at once: retry in a moment",
        code="playlist_busy",
        headers={"retry-after": "1"},
    )


def _body(record: PlaylistRecord) -> PlaylistResponse:
    from aidj_service.responses import playlist_response

    return playlist_response(record)


METRIC_NAMESPACE = "AIDJ"


def _emf(metric: str, value: int, now: datetime) -> dict[str, Any]:
    """A CloudWatch embedded-metric-format line: logged as is, it becomes a metric point."""
    import os

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
