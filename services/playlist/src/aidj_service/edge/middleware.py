"""The steps every request passes before and after its operation, one small function each.

A step is ``step(request, next) -> Response``: it may answer itself (a preflight, a refusal),
or call ``next`` and adjust the answer. :func:`compose` chains them, outermost first;
:class:`aidj_service.edge.api.Api` lists the chain in one place. The order matters:

access log -> usage metrics -> security headers -> CORS headers -> errors as JSON -> path limit
-> local-mode guard -> preflight -> router -> body limit -> the operation.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from aidj_service.config import LOOPBACK_HOSTS, Settings
from aidj_service.edge.http import (
    BadRequest,
    Forbidden,
    HTTPError,
    NotFound,
    PayloadTooLarge,
    Request,
    Response,
    ServiceUnavailable,
)
from aidj_service.edge.router import Handler, Router
from aidj_service.logs import log_request
from aidj_service.stores.history import HistoryUnavailable

log = logging.getLogger(__name__)

Step = Callable[[Request, Handler], Response]

ALLOWED_REQUEST_HEADERS = "content-type, authorization, idempotency-key, edit-key, x-spotify-token"
EXPOSED_HEADERS = "retry-after, x-request-id, idempotent-replayed"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_PATH_CHARS = (
    2048  # no route is longer; a longer path is refused before routing (and never echoed)
)


def compose(handler: Handler, *steps: Step) -> Handler:
    """``handler`` wrapped in ``steps``, the first one outermost."""
    for step in reversed(steps):
        handler = _bind(step, handler)
    return handler


def _bind(step: Step, inner: Handler) -> Handler:
    return lambda request: step(request, inner)


# ---------------------------------------------------------------- around everything


def access_log(request: Request, next: Handler) -> Response:
    """One JSON log line per request; every answer carries its request id; HEAD answers no body."""
    started = time.perf_counter()
    fields: dict[str, Any] = {"request_id": request.request_id, "method": request.method}
    request.context = fields
    response = next(request)
    response.headers["x-request-id"] = request.request_id
    if request.method == "HEAD":
        response.body = b""
    fields["route"] = request.route or "unmatched"
    fields["status"] = response.status
    fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 2)
    log_request(fields)
    return response


# JSON (and every other non-page answer) may run nothing, load nothing and be framed by no one.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


def secure(response: Response) -> Response:
    """The headers every answer carries, unless it set its own (the page and its files do).

    ``nosniff`` always; ``Cache-Control: no-store`` by default, because most answers are
    personal (a history, a playlist, an error naming the caller's request) and a shared cache
    must not keep them; a restrictive policy for anything that is not the page.
    """
    headers = response.headers
    headers["x-content-type-options"] = "nosniff"
    headers.setdefault("cache-control", "no-store")
    headers.setdefault("content-security-policy", API_CONTENT_SECURITY_POLICY)
    return response


def security_headers(request: Request, next: Handler) -> Response:
    return secure(next(request))


def errors_as_json(request: Request, next: Handler) -> Response:
    """Every failure leaves as ``{"error": {"code", "message", "request_id"}}``; never a traceback."""
    fields = request.context
    try:
        response = next(request)
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
    return response


def path_limit(request: Request, next: Handler) -> Response:
    if len(request.path) > MAX_PATH_CHARS:
        raise HTTPError(
            f"the URL path is {len(request.path):,} characters; the longest this API accepts is {MAX_PATH_CHARS:,}",
            code="uri_too_long",
            status=414,
        )
    return next(request)


# ---------------------------------------------------------------- CORS


class Cors:
    """Which origins may read answers, the headers that say so, and preflight answers."""

    def __init__(self, settings: Settings, router: Router) -> None:
        self.settings = settings
        self.router = router

    def allowed(self, origin: str | None, request: Request) -> str | None:
        allowed = self.settings.effective_cors_origins
        if "*" in allowed:
            return "*"
        if origin and origin in allowed:
            return origin
        if origin and same_origin(origin, request.header("host")):
            return origin  # the page's own origin (browsers send Origin on same-origin POSTs too)
        return None

    def headers(self, request: Request, next: Handler) -> Response:
        response = next(request)
        allow = self.allowed(request.header("origin"), request)
        if allow is None:
            return response
        response.headers["access-control-allow-origin"] = allow
        response.headers["access-control-expose-headers"] = EXPOSED_HEADERS
        if allow != "*":
            response.headers["vary"] = "Origin"
        return response

    def preflight(self, request: Request, next: Handler) -> Response:
        if request.method != "OPTIONS":
            return next(request)
        methods = self.router.allowed_methods(request.path)
        request.route = "OPTIONS *"
        if not methods:
            raise NotFound(
                f"no route for {request.path}: see /openapi.json for the API",
                code="route_not_found",
            )
        headers = {"allow": ", ".join([*methods, "OPTIONS"])}
        if self.allowed(request.header("origin"), request) is not None:
            headers.update(
                {
                    "access-control-allow-methods": ", ".join([*methods, "OPTIONS"]),
                    "access-control-allow-headers": ALLOWED_REQUEST_HEADERS,
                    "access-control-max-age": "600",
                }
            )
        return Response(204, b"", headers)


# ---------------------------------------------------------------- local mode


def local_guard(settings: Settings) -> Step:
    """A local server trusts the body's user_id, so only its own page and tools may talk to it.

    Three checks a web page elsewhere cannot get round: the Host must be present and a
    loopback name or a configured one (a DNS-rebinding page sends its own host name); a
    state-changing request must come from this server's own origin or a configured one
    (browsers always send Origin on a cross-origin POST); and a POST must say its body is
    JSON (a cross-site form or a text/plain fetch needs no preflight, a JSON one does; a
    missing Content-Type is refused like a wrong one, as nothing is assumed).
    """

    def guard(request: Request, next: Handler) -> Response:
        if not settings.local_mode:
            return next(request)
        host = host_name(request.header("host"))
        if host is None:
            raise BadRequest(
                "the request has no Host header: send Host: 127.0.0.1:<port> (every HTTP/1.1 "
                "client does)",
                code="host_missing",
            )
        if host not in LOOPBACK_HOSTS and host not in settings.allowed_hosts:
            raise Forbidden(
                f"this local server does not answer for the host {host!r}: open it as http://127.0.0.1 "
                "or list the name in AIDJ_ALLOWED_HOSTS",
                code="host_not_allowed",
            )
        origin = request.header("origin")
        if (
            request.method in STATE_CHANGING
            and origin is not None
            and not (origin in settings.cors_origins or same_origin(origin, request.header("host")))
        ):
            raise Forbidden(
                f"requests from {origin} may not change this local server's data: use its own page, "
                "or list the origin in AIDJ_CORS_ORIGINS",
                code="origin_not_allowed",
            )
        ctype = (request.header("content-type") or "").split(";")[0].strip().lower()
        if request.method == "POST" and not ctype:
            raise HTTPError(
                "the POST has no Content-Type: send the body as JSON with Content-Type: application/json",
                code="unsupported_media_type",
                status=415,
            )
        if request.method == "POST" and not (
            ctype == "application/json" or ctype.endswith("+json")
        ):
            raise HTTPError(
                f"Content-Type {ctype} is not accepted: send the body as JSON with Content-Type: application/json",
                code="unsupported_media_type",
                status=415,
            )
        return next(request)

    return guard


def host_name(host: str | None) -> str | None:
    """``Host: 127.0.0.1:8000`` -> ``127.0.0.1``; ``[::1]:8000`` -> ``::1``; lower-case."""
    if not host:
        return None
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def same_origin(origin: str, host: str | None) -> bool:
    """Whether ``Origin: http://127.0.0.1:8000`` names the server the request reached (its Host)."""
    scheme, sep, rest = origin.strip().lower().partition("://")
    return bool(sep and host and scheme in ("http", "https") and rest == host.strip().lower())


# ---------------------------------------------------------------- routing and the body


def routed(router: Router, *steps: Step) -> Handler:
    """The handler of the route ``request`` matches, behind ``steps`` (which know the route)."""

    wrapped: dict[str, Handler] = {}  # each route's handler behind the steps, composed once

    def dispatch(request: Request) -> Response:
        route, params = router.resolve(request)
        request.path_params = params
        request.route = route.key
        handler = wrapped.get(route.key)
        if handler is None:
            handler = wrapped[route.key] = compose(route.handler, *steps)
        return handler(request)

    return dispatch


def body_limit(settings: Settings) -> Step:
    """Bodies over ``max_body_bytes`` are refused (after routing: an unknown path is a 404 first)."""

    def limit(request: Request, next: Handler) -> Response:
        if request.body_too_large or len(request.body) > settings.max_body_bytes:
            raise PayloadTooLarge(
                f"request body is over {settings.max_body_bytes} bytes: send a shorter prompt"
            )
        return next(request)

    return limit
