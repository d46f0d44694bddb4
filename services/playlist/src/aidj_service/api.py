"""The AI DJ HTTP API: one object, one ``handle(Request) -> Response``, used by both adapters.

Built once per process (the catalog, the interpreters and the history store are loaded at
start-up, never per request). Every failure leaves as ``{"error": {"code", "message",
"request_id"}}``; an unexpected exception is logged with its traceback and answered with a
plain 500 ``internal_error``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import requests
from pydantic import ValidationError

from aidj.intent import Intent
from aidj.interpreter import Interpretation, Interpreter
from aidj.playlist import Playlist
from aidj_service import static
from aidj_service.config import LOOPBACK_HOSTS, SPOTIFY_SCOPES, Settings
from aidj_service.http import (
    BadGateway,
    BadRequest,
    Conflict,
    Forbidden,
    Handler,
    HTTPError,
    NotFound,
    PayloadTooLarge,
    Request,
    Response,
    Router,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    UnprocessableEntity,
)
from aidj_service.living import Living, first_version
from aidj_service.logs import log_request, timed, user_hash
from aidj_service.models import (
    TOKEN_RE,
    TOKEN_RULE,
    USER_ID_RULE,
    ClientConfig,
    Health,
    PlaylistRequest,
    valid_user_id,
    validation_message,
)
from aidj_service.ratelimit import RateLimiter, retry_after_header
from aidj_service.responses import EXPORT_FORMATS, playlist_page, playlist_response
from aidj_service.routes import ROUTED
from aidj_service.stores.backends import HISTORY_STORES, INTERPRETERS, PromptReader
from aidj_service.stores.history import (
    HistoryStore,
    HistoryUnavailable,
    IdempotencyRecord,
    InvalidCursor,
    PlaylistRecord,
    utc_now_iso,
)

if TYPE_CHECKING:
    from aidj.catalog import Catalog
    from aidj_service.clients.spotify import SpotifyClient

log = logging.getLogger(__name__)

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_IDEMPOTENCY_KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")
ALLOWED_REQUEST_HEADERS = "content-type, authorization, idempotency-key"
EXPOSED_HEADERS = "retry-after, x-request-id, idempotent-replayed"
IDEMPOTENCY_WAIT_S = 5.0
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_PATH_CHARS = (
    2048  # no route is longer; a longer path is refused before routing (and never echoed)
)
# a playlist id no playlist has: what /health?deep=1 looks up in a store without its own check
HEALTH_PROBE_ID = "00000000-0000-4000-8000-000000000000"


class Engine(Protocol):
    """What the API needs of ``aidj.dj.DJ``: the catalog, the local interpreter, the builder."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def interpreter(self) -> Interpreter: ...

    def build(self, intent: Intent, exclude_ids: Iterable[str] = ()) -> Playlist: ...


class Stoppable(Protocol):
    """A background worker the API owns (``aidj serve``'s refresher)."""

    def stop(self) -> None: ...


class Api:
    def __init__(
        self,
        settings: Settings,
        *,
        dj: Engine | None = None,
        store: HistoryStore | None = None,
        interpreters: dict[str, PromptReader] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        if dj is None:
            from aidj.dj import DJ

            dj = DJ.load(settings.catalog, cache_dir=settings.cache_dir)
        self.dj: Engine = dj
        self.store = store if store is not None else HISTORY_STORES[settings.history].open(settings)
        self.limiter = RateLimiter(settings.effective_rate_limit)
        # built on first use, once per process (a test may hand some in ready-made)
        self._interpreters: dict[str, PromptReader] = dict(interpreters or {})
        self._interpreters_lock = threading.Lock()
        self._sessions = threading.local()
        self._openapi: bytes | None = None
        self.living = Living(self, clock)
        # aidj serve's opt-in background refresher (aidj_service.refresher)
        self.refresher: Stoppable | None = None
        self.router = Router()
        for endpoint in ROUTED:  # declared once, in aidj_service.routes
            self.router.add(endpoint.method, endpoint.path, self.handler(endpoint.handler))

    def handler(self, name: str) -> Handler:
        """The bound method a route declaration names: ``"health"``, ``"living.revert"``."""
        owner: object = self
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        return getattr(owner, attr)

    def warm(self) -> None:
        """Load lazily built models now, so the first request is as fast as the rest."""
        warm = getattr(self.dj, "warm", None)
        if callable(warm):
            warm()

    def close(self) -> None:
        if self.refresher is not None:
            self.refresher.stop()
        self.store.close()

    # ------------------------------------------------------------ the one entry point

    def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        fields: dict[str, Any] = {"request_id": request.request_id, "method": request.method}
        request.context = fields
        try:
            response = self._dispatch(request)
            fields.setdefault("outcome", "ok" if response.status < 400 else "error")
        except HTTPError as exc:
            response = exc.to_response(request.request_id)
            fields["outcome"] = exc.code
        except HistoryUnavailable as exc:
            # the history database is down or overloaded: a retry later can work, so 503, not 500
            log.warning(
                "history store failed: %s",
                exc.reason,
                extra={"request_id": request.request_id},
                exc_info=True,
            )
            response = ServiceUnavailable(
                "playlist history is unavailable right now: try again in a few seconds",
                code="history_unavailable",
                headers={"retry-after": "5"},
            ).to_response(request.request_id)
            fields["outcome"] = "history_unavailable"
        except Exception:
            log.exception("unhandled error", extra={"request_id": request.request_id})
            response = HTTPError(
                f"internal error: retry later, and quote request id {request.request_id} if it persists"
            ).to_response(request.request_id)
            fields["outcome"] = "internal_error"
        self._cors(request, response)
        response.headers["x-request-id"] = request.request_id
        if request.method == "HEAD":
            response.body = b""
        fields["route"] = request.route or "unmatched"
        fields["status"] = response.status
        fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 2)
        log_request(fields)
        return response

    def _dispatch(self, request: Request) -> Response:
        if len(request.path) > MAX_PATH_CHARS:
            raise HTTPError(
                f"the URL path is {len(request.path):,} characters; the longest this API accepts is {MAX_PATH_CHARS:,}",
                code="uri_too_long",
                status=414,
            )
        if self.settings.local_mode:
            self._guard_local(request)
        if request.method == "OPTIONS":
            return self._preflight(request)
        route, params = self.router.resolve(request)
        request.path_params = params
        request.route = route.key
        if request.body_too_large or len(request.body) > self.settings.max_body_bytes:
            raise PayloadTooLarge(
                f"request body is over {self.settings.max_body_bytes} bytes: send a shorter prompt"
            )
        return route.handler(request)

    # ------------------------------------------------------------ local mode

    def _guard_local(self, request: Request) -> None:
        """A local server trusts the body's user_id, so only its own page and tools may talk to it.

        Three checks a web page elsewhere cannot get round: the Host must be a loopback name or
        a configured one (a DNS-rebinding page sends its own host name); a state-changing
        request must come from this server's own origin or a configured one (browsers always
        send Origin on a cross-origin POST); and a POST body must be JSON (a cross-site form or
        a text/plain fetch needs no preflight, a JSON one does).
        """
        host = _host_name(request.header("host"))
        if (
            host is not None
            and host not in LOOPBACK_HOSTS
            and host not in self.settings.allowed_hosts
        ):
            raise Forbidden(
                f"this local server does not answer for the host {host!r}: open it as http://127.0.0.1 "
                "or list the name in AIDJ_ALLOWED_HOSTS",
                code="host_not_allowed",
            )
        origin = request.header("origin")
        if (
            request.method in STATE_CHANGING
            and origin is not None
            and not self._own_or_allowed(request, origin)
        ):
            raise Forbidden(
                f"requests from {origin} may not change this local server's data: use its own page, "
                "or list the origin in AIDJ_CORS_ORIGINS",
                code="origin_not_allowed",
            )
        ctype = (request.header("content-type") or "").split(";")[0].strip().lower()
        if (
            request.method == "POST"
            and ctype
            and not (ctype == "application/json" or ctype.endswith("+json"))
        ):
            raise HTTPError(
                f"Content-Type {ctype} is not accepted: send the body as JSON with Content-Type: application/json",
                code="unsupported_media_type",
                status=415,
            )

    def _own_or_allowed(self, request: Request, origin: str) -> bool:
        return origin in self.settings.cors_origins or _same_origin(origin, request.header("host"))

    # ------------------------------------------------------------ CORS

    def _origin_allowed(self, origin: str | None, request: Request | None = None) -> str | None:
        allowed = self.settings.effective_cors_origins
        if "*" in allowed:
            return "*"
        if origin and origin in allowed:
            return origin
        if origin and request is not None and _same_origin(origin, request.header("host")):
            return origin  # the page's own origin (browsers send Origin on same-origin POSTs too)
        return None

    def _cors(self, request: Request, response: Response) -> None:
        allow = self._origin_allowed(request.header("origin"), request)
        if allow is None:
            return
        response.headers["access-control-allow-origin"] = allow
        response.headers["access-control-expose-headers"] = EXPOSED_HEADERS
        if allow != "*":
            response.headers["vary"] = "Origin"

    def _preflight(self, request: Request) -> Response:
        methods = self.router.allowed_methods(request.path)
        request.route = "OPTIONS *"
        if not methods:
            raise NotFound(
                f"no route for {request.path}: see /openapi.json for the API",
                code="route_not_found",
            )
        headers = {"allow": ", ".join([*methods, "OPTIONS"])}
        if self._origin_allowed(request.header("origin"), request) is not None:
            headers.update(
                {
                    "access-control-allow-methods": ", ".join([*methods, "OPTIONS"]),
                    "access-control-allow-headers": ALLOWED_REQUEST_HEADERS,
                    "access-control-max-age": "600",
                }
            )
        return Response(204, b"", headers)

    # ------------------------------------------------------------ POST /playlist

    def create_playlist(self, request: Request) -> Response:
        timings: dict[str, float] = {}
        request.context["timings_ms"] = timings
        body = _json_body(request)
        try:
            req = PlaylistRequest.model_validate(body)
        except ValidationError as exc:
            raise UnprocessableEntity(validation_message(exc)) from None
        base: Intent | None = None
        if req.base_parameters is not None:
            try:
                base = Intent.from_dict(req.base_parameters)
            except ValidationError as exc:
                raise UnprocessableEntity(f"base_parameters: {validation_message(exc)}") from None
        token = req.spotify_access_token or _bearer(request)
        spotify = self._spotify(token, request) if token else None
        with timed(timings, "identify"):
            user = self._identify(spotify, req.user_id)
        request.context["user"] = user_hash(user)

        # anonymous callers share one user id; their buckets and idempotency keys are per address
        owner = user if user != "anonymous" else f"anonymous@{request.source_ip}"
        wait = self.limiter.acquire(owner)
        if wait > 0:
            raise TooManyRequests(
                f"too many playlists in a minute (limit {self.limiter.per_minute}): try again in "
                f"{retry_after_header(wait)} seconds",
                headers={"retry-after": retry_after_header(wait)},
            )

        key = request.header("idempotency-key")
        if key is None:
            return self._build(request, req, base, user, spotify, timings)
        if not _IDEMPOTENCY_KEY_RE.match(key):
            raise BadRequest(
                "Idempotency-Key must be 1-255 visible ASCII characters (a UUID is a good choice)",
                code="invalid_idempotency_key",
            )
        fingerprint = hashlib.sha256(
            json.dumps(
                req.model_dump(exclude={"spotify_access_token"}), sort_keys=True, default=str
            ).encode()
        ).hexdigest()
        with timed(timings, "idempotency"):
            replay = self._claim(request, owner, key, fingerprint)
        if replay is not None:
            return replay
        try:
            response = self._build(request, req, base, user, spotify, timings)
        except HTTPError as exc:
            partial_id = exc.details.get("playlist_id") if exc.status == 502 else None
            if partial_id or exc.details.get("create_uncertain"):
                # a Spotify playlist exists (or may): a retry with this key must not make a second one
                error = {"code": exc.code, "message": exc.message, "details": exc.details}
                self.store.finish(
                    owner,
                    key,
                    playlist_id=partial_id,
                    response_status=exc.status,
                    response_error=error,
                )
            else:
                self.store.release(owner, key)
            raise
        except BaseException:
            self.store.release(owner, key)
            raise
        self.store.finish(
            owner,
            key,
            playlist_id=response.json_body()["playlist_id"],
            response_status=response.status,
        )
        return response

    def _claim(self, request: Request, user: str, key: str, fingerprint: str) -> Response | None:
        """None when this request owns ``key`` now; else the first request's answer."""
        limit = IDEMPOTENCY_WAIT_S
        remaining = request.remaining_s()
        if remaining is not None:
            limit = max(0.0, min(limit, remaining - 1.0))
        give_up = time.monotonic() + limit
        delay = 0.02
        while True:
            existing = self.store.claim(user, key, fingerprint, self.settings.idempotency_ttl_s)
            if existing is None:
                return None
            if existing.fingerprint != fingerprint:
                raise UnprocessableEntity(
                    "this Idempotency-Key was already used with a different request: use a new key for a new playlist",
                    code="idempotency_key_reused",
                )
            if existing.state == "done":
                request.context["outcome"] = "replayed"
                return self._replay(request, existing)
            if time.monotonic() >= give_up:
                raise Conflict(
                    "a request with this Idempotency-Key is still being processed: retry in a moment",
                    code="idempotency_in_progress",
                    headers={"retry-after": "1"},
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.25)

    def _replay(self, request: Request, existing: IdempotencyRecord) -> Response:
        headers = {"idempotent-replayed": "true"}
        if existing.response_status == 200 and existing.playlist_id:
            record = self.store.get(existing.playlist_id)
            if record is not None:
                return Response.of(playlist_response(record), 200, headers)
        error = existing.response_error or {}
        raise HTTPError(
            error.get("message")
            or "the first request with this Idempotency-Key failed: use a new key to try again",
            code=error.get("code") or "idempotent_replay",
            status=existing.response_status or 409,
            headers=headers,
            details=error.get("details"),
        )

    def _build(
        self,
        request: Request,
        req: PlaylistRequest,
        base: Intent | None,
        user: str,
        spotify: SpotifyClient | None,
        timings: dict[str, float],
    ) -> Response:
        requested = req.interpreter or self.settings.interpreter
        with timed(timings, "interpret"):
            interpretation = self._interpret(requested, req.prompt, base)
        request.context["interpreter"] = interpretation.interpreter
        if interpretation.fallback_reason:
            request.context["fallback_reason"] = interpretation.fallback_reason
        intent = interpretation.intent
        if req.limit is not None:
            # an explicit count wins over a length the prompt asked for
            intent = Intent.from_dict(
                {**intent.to_dict(), "limit": req.limit, "duration_minutes": None}
            )
        avoid: list[str] = []
        if req.fresh and self.settings.freshness_depth:
            with timed(timings, "fresh"):
                recent = self.store.recent(user, self.settings.freshness_depth)
            avoid = sorted(
                {
                    t["id"]
                    for r in recent
                    for t in r.data.get("tracks") or []
                    if isinstance(t, dict) and "id" in t
                }
            )
        with timed(timings, "build"):
            playlist: Playlist = self.dj.build(intent, avoid) if avoid else self.dj.build(intent)
        request.context["tracks_count"] = len(playlist.tracks)

        playlist_id = str(uuid.uuid4())
        data: dict[str, Any] = {
            **playlist.to_dict(),  # parameters, tracks, stats, notices: the core's one shape
            "name": playlist.name,
            "prompt": req.prompt,
            "playlist_url": None,
            "status": "complete",
            "tracks_count": len(playlist.tracks),
            "interpreter": {
                "name": interpretation.interpreter,
                "requested": requested,
                "fallback_reason": interpretation.fallback_reason,
                "cached": bool(interpretation.cached),
            },
            "spotify": None,
        }
        created_at = utc_now_iso()
        data.update(first_version(created_at))
        data["message"] = (
            f"Built '{playlist.name}': {len(playlist.tracks)} tracks. Connect Spotify to save it there, "
            "or download it as M3U8 or XSPF."
        )
        record = PlaylistRecord(playlist_id, user, created_at, data)
        if spotify is not None:
            self._send_to_spotify(spotify, record, playlist, timings)
        with timed(timings, "store"):
            self.store.put(record)
        return Response.of(playlist_response(record))

    def _send_to_spotify(
        self,
        spotify: SpotifyClient,
        record: PlaylistRecord,
        playlist: Playlist,
        timings: dict[str, float],
    ) -> None:
        from aidj_service.clients.spotify import (
            SpotifyError,
            SpotifyPartialWriteError,
            SpotifyUnavailableError,
        )

        uris = [t.uri for t in playlist.tracks]
        data = record.data
        try:
            with timed(timings, "spotify"):
                try:
                    created = spotify.create_playlist(
                        playlist.name,
                        description=f"AI DJ: {record.data['prompt']}"[:300],
                        public=False,
                    )
                except SpotifyUnavailableError as exc:
                    if (
                        exc.status
                    ):  # Spotify answered 5xx: nothing was created, a retry may create it
                        raise
                    # no answer at all (timeout, dropped connection): the create may have landed
                    raise ServiceUnavailable(
                        f"Spotify did not confirm the new playlist ({exc.message}); it may have been created "
                        "anyway: check Spotify before you try again",
                        code="spotify_unavailable",
                        headers={"retry-after": "30"},
                        details={"create_uncertain": True},
                    ) from None
                added = spotify.add_items(created.id, uris, url=created.url)
        except SpotifyPartialWriteError as exc:
            data.update(
                playlist_url=exc.url,
                status="partial",
                spotify={
                    "playlist_id": exc.playlist_id,
                    "url": exc.url,
                    "added": exc.added,
                    "total": exc.total,
                },
                message=(
                    f"Created '{playlist.name}' on Spotify but only {exc.added} of {exc.total} tracks were added; "
                    f"open {exc.url} to check it, or delete it and try again"
                ),
            )
            with timed(timings, "store"):
                self.store.put(record)
            raise BadGateway(
                data["message"],
                code="spotify_partial_write",
                details={
                    "playlist_id": record.playlist_id,
                    "playlist_url": exc.url,
                    "added": exc.added,
                    "total": exc.total,
                },
            ) from None
        except SpotifyError as exc:
            raise spotify_http_error(exc) from None
        data.update(
            playlist_url=created.url,
            spotify={
                "playlist_id": created.id,
                "url": created.url,
                "added": added,
                "total": len(uris),
            },
            message=f"Created '{playlist.name}' on Spotify with {added} tracks.",
        )

    # ------------------------------------------------------------ identity and interpreters

    def _spotify(self, token: str, request: Request) -> SpotifyClient:
        from aidj_service.clients.spotify import SpotifyClient, SpotifyError

        session = getattr(self._sessions, "session", None)
        if session is None:
            session = self._sessions.session = requests.Session()
        deadline = request.deadline
        if deadline is None:
            deadline = time.monotonic() + self.settings.request_timeout_s
        try:
            return SpotifyClient(
                token, base_url=self.settings.spotify_api_url, deadline=deadline, session=session
            )
        except SpotifyError as exc:  # e.g. a token the client refuses outright
            raise spotify_http_error(exc) from None

    def _spotify_for_job(self, token: str) -> SpotifyClient:
        """A Spotify client for work with no request behind it (a scheduled refresh)."""
        from aidj_service.clients.spotify import SpotifyClient

        deadline = time.monotonic() + self.settings.request_timeout_s
        return SpotifyClient(token, base_url=self.settings.spotify_api_url, deadline=deadline)

    def _identify(self, spotify: SpotifyClient | None, body_user: str | None) -> str:
        if spotify is not None:
            from aidj_service.clients.spotify import SpotifyError

            try:
                return spotify.current_user().id
            except SpotifyError as exc:
                raise spotify_http_error(exc) from None
        if self.settings.trusts_body_user:
            return body_user.strip() if body_user and body_user.strip() else "local"
        return "anonymous"

    def _interpret(self, name: str, prompt: str, base: Intent | None) -> Interpretation:
        return self.interpreter(name).interpret_detailed(prompt, base)

    def interpreter(self, name: str) -> PromptReader:
        """The interpreter registered as ``name`` (request models admit only registered names)."""
        built = self._interpreters.get(name)
        if built is None:
            with self._interpreters_lock:
                built = self._interpreters.get(name)
                if built is None:
                    # the embedded interpreter is every backend's fallback
                    built = INTERPRETERS[name].open(self.settings, self.dj.interpreter)
                    self._interpreters[name] = built
        return built

    # ------------------------------------------------------------ reading history

    def get_playlist(self, request: Request) -> Response:
        raw = request.path_params["id"]
        playlist_id, fmt = raw, None
        stem, dot, ext = raw.rpartition(".")
        if dot and ext.lower() in EXPORT_FORMATS:
            playlist_id, fmt = stem, ext.lower()
        record = (
            self.store.get(playlist_id.lower()) if _UUID_RE.match(playlist_id.lower()) else None
        )
        if record is None:
            raise NotFound(
                "no playlist with this id: check the link, or create one with POST /playlist",
                code="playlist_not_found",
            )
        shown = None
        raw_version = request.query.get("version")
        if raw_version is not None:
            if not raw_version.isdigit() or not 1 <= int(raw_version) <= 1_000_000:
                raise UnprocessableEntity(
                    f"version={raw_version!r}: use a version number from the playlist's versions"
                )
            shown = self.living.version_data(record, int(raw_version))
        if fmt is None:
            return Response.of(playlist_response(record, shown))
        from aidj.exporters import export

        content, content_type = export(Playlist.from_dict(shown or record.data), fmt)
        filename = _filename(record.data.get("name") or "playlist")
        return Response(
            200,
            content,
            {
                "content-type": content_type,
                "content-disposition": f'attachment; filename="{filename}.{fmt}"',
            },
        )

    def list_playlists(self, request: Request) -> Response:
        limit_raw = request.query.get("limit", "20")
        try:
            limit = int(limit_raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            raise UnprocessableEntity(f"limit={limit_raw!r}: use a whole number from 1 to 100")
        token = _bearer(request)
        if token:
            user = self._identify(self._spotify(token, request), None)
        elif self.settings.trusts_body_user:
            user = (request.query.get("user_id") or "").strip() or "local"
            if not valid_user_id(user):
                raise UnprocessableEntity(f"user_id: {USER_ID_RULE}")
        else:
            raise Unauthorized(
                "listing playlists needs your Spotify sign-in: send Authorization: Bearer <Spotify access token>",
                code="authentication_required",
            )
        request.context["user"] = user_hash(user)
        try:
            records, cursor = self.store.list(user, limit, request.query.get("cursor") or None)
        except InvalidCursor as exc:
            raise BadRequest(str(exc), code="invalid_cursor") from None
        return Response.of(playlist_page(records, cursor))

    # ------------------------------------------------------------ small routes

    def health(self, request: Request) -> Response:
        body = Health.model_validate(
            {
                "status": "ok",
                "catalog_tracks": len(self.dj.catalog),
                "history": self.store.name,
                "interpreter": self.settings.interpreter,
                "local_mode": bool(self.settings.local_mode),
            }
        )
        if request.query.get("deep", "") not in ("", "0", "false"):
            # for probes and alarms: the store answers (and, for SQLite, a write could start now)
            started = time.perf_counter()
            try:
                check = getattr(self.store, "health_check", None)
                check() if callable(check) else self.store.get(HEALTH_PROBE_ID)
            except HistoryUnavailable as exc:
                raise ServiceUnavailable(
                    f"playlist history ({self.store.name}) is not answering ({exc.reason}): "
                    "new playlists cannot be saved; try again in a few seconds",
                    code="history_unavailable",
                    headers={"retry-after": "5"},
                    details={"checks": {"history": "unavailable"}},
                ) from None
            body.checks = {
                "history": "ok",
                "history_ms": round((time.perf_counter() - started) * 1000, 1),
            }
        return Response.of(body)

    def client_config(self, request: Request) -> Response:
        return Response.of(
            ClientConfig(
                spotify_client_id=self.settings.spotify_client_id, spotify_scopes=SPOTIFY_SCOPES
            )
        )

    def openapi(self, request: Request) -> Response:
        if self._openapi is None:
            from aidj_service.openapi import openapi_document

            self._openapi = json.dumps(openapi_document(), ensure_ascii=False).encode()
        return Response(200, self._openapi, {"content-type": "application/json; charset=utf-8"})

    def index(self, request: Request) -> Response:
        return static.serve_file("index.html")

    def static_file(self, request: Request) -> Response:
        return static.serve_file(request.path_params["path"])


# ---------------------------------------------------------------- helpers


def spotify_http_error(exc: Exception) -> HTTPError:
    """A Spotify client exception as the answer our caller should see."""
    from aidj_service.clients.spotify import (
        SpotifyAuthError,
        SpotifyForbiddenError,
        SpotifyRateLimitedError,
        SpotifyUnavailableError,
    )

    message = getattr(exc, "message", str(exc))
    if isinstance(exc, SpotifyAuthError):
        return Unauthorized(
            "Spotify token expired or invalid: reconnect Spotify", code="spotify_auth"
        )
    if isinstance(exc, SpotifyForbiddenError):
        return Forbidden(message, code="spotify_forbidden")
    if isinstance(exc, SpotifyRateLimitedError):
        wait = retry_after_header(exc.retry_after)
        return ServiceUnavailable(
            message, code="spotify_rate_limited", headers={"retry-after": wait}
        )
    if isinstance(exc, SpotifyUnavailableError):
        return ServiceUnavailable(
            f"Spotify is not answering ({message}): try again in a minute",
            code="spotify_unavailable",
            headers={"retry-after": "30"},
        )
    return BadGateway(
        f"Spotify answered unexpectedly ({message}): try again later", code="spotify_error"
    )


def _json_body(request: Request) -> Any:
    if not request.body.strip():
        raise BadRequest(
            'request body is empty: send JSON like {"prompt": "energetic music for working out"}',
            code="invalid_json",
        )
    try:
        body = json.loads(request.body)
    except RecursionError:
        raise BadRequest(
            "request body nests too deeply: send a flat JSON object", code="invalid_json"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(
            f'request body is not valid JSON ({exc}): send {{"prompt": "..."}} with Content-Type: application/json',
            code="invalid_json",
        ) from None
    if not isinstance(body, dict):
        raise UnprocessableEntity('request body must be a JSON object like {"prompt": "..."}')
    try:
        # JSON may spell lone surrogates ("\ud800"), which no UTF-8 store or header can hold
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(
            "request body holds invalid Unicode (a lone surrogate escape such as \\ud800): send valid UTF-8 text",
            code="invalid_json",
        ) from None
    except (ValueError, RecursionError):
        pass  # NaN and the like: the models decide
    return body


def _host_name(host: str | None) -> str | None:
    """``Host: 127.0.0.1:8000`` -> ``127.0.0.1``; ``[::1]:8000`` -> ``::1``; lower-case."""
    if not host:
        return None
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same_origin(origin: str, host: str | None) -> bool:
    """Whether ``Origin: http://127.0.0.1:8000`` names the server the request reached (its Host)."""
    scheme, sep, rest = origin.strip().lower().partition("://")
    return bool(sep and host and scheme in ("http", "https") and rest == host.strip().lower())


def _bearer(request: Request) -> str | None:
    value = request.header("authorization")
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(
            "Authorization must be 'Bearer <Spotify access token>'", code="invalid_authorization"
        )
    if not TOKEN_RE.match(token):
        raise Unauthorized(f"the bearer token {TOKEN_RULE}", code="invalid_authorization")
    return token


def _filename(name: str) -> str:
    cleaned = re.sub(r"[^\w\- ]+", "", name, flags=re.UNICODE).strip()
    return re.sub(r"\s+", "-", cleaned)[:80].encode("ascii", "ignore").decode() or "playlist"
