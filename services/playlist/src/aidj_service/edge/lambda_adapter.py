"""AWS Lambda behind an API Gateway HTTP API (payload format 2.0) <-> the one :class:`Api`.

The Api (catalog, interpreters, history store) is built on the first invocation of a container
and reused by every later one. A request must be answered by the service's request deadline
(``AIDJ_REQUEST_TIMEOUT_S``, which the stack sets under API Gateway's cut-off) or by the
invocation's remaining time less a margin, whichever comes first, counted from its arrival: so
Spotify calls give up while API Gateway still waits for the answer, and before Lambda kills
the function.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl, unquote

from aidj_service.edge.http import BadRequest, HTTPError, Request, Response
from aidj_service.edge.middleware import secure
from aidj_service.edge.refresher import LivingApi
from aidj_service.edge.static import is_text

if TYPE_CHECKING:
    from aidj_service.config import Settings
    from aidj_service.edge.api import Api

log = logging.getLogger(__name__)

# Time kept back from the remaining invocation time to answer (and log) before Lambda's timeout.
SAFETY_MARGIN_S = 0.5


def to_request(event: dict[str, Any], context: Any = None) -> Request:
    """An API Gateway v2 event as a :class:`Request`; :class:`BadRequest` for anything else."""
    if not isinstance(event, dict) or event.get("version") != "2.0":
        raise BadRequest(
            "not an API Gateway HTTP API (payload format 2.0) event", code="invalid_event"
        )
    ctx = event.get("requestContext") or {}
    http = ctx.get("http") if isinstance(ctx, dict) else None
    if not isinstance(http, dict):
        raise BadRequest("event lacks requestContext.http", code="invalid_event")
    method = str(http.get("method") or "").upper()
    raw_path = event.get("rawPath") or http.get("path") or ""
    if not method or not raw_path or not isinstance(raw_path, str):
        raise BadRequest("event lacks requestContext.http.method or rawPath", code="invalid_event")
    raw_headers = event.get("headers") or {}
    if not isinstance(raw_headers, dict):
        raise BadRequest("event headers must be an object of strings", code="invalid_event")
    headers = {str(k).lower(): str(v) for k, v in raw_headers.items()}
    cookies = event.get("cookies") or []
    if not isinstance(cookies, list) or not all(isinstance(c, str) for c in cookies):
        raise BadRequest("event cookies must be a list of strings", code="invalid_event")
    if cookies and "cookie" not in headers:
        headers["cookie"] = "; ".join(cookies)
    raw_query = event.get("rawQueryString") or ""
    if not isinstance(raw_query, str):
        raise BadRequest("event rawQueryString must be a string", code="invalid_event")
    query: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        query.setdefault(name, value)  # the first value wins, as in the local server
    body = event.get("body") or ""
    if not isinstance(body, str):
        # API Gateway always sends a string; a hand-made or test event may not
        raise BadRequest(
            "event body must be a string (JSON text, or base64 with isBase64Encoded); got "
            f"{type(body).__name__}",
            code="invalid_event",
        )
    if event.get("isBase64Encoded"):
        try:
            raw = base64.b64decode(body, validate=False)
        except (ValueError, TypeError):
            raise BadRequest("body is not valid base64", code="invalid_event") from None
    else:
        raw = body.encode("utf-8")
    deadline = None
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    left_ms = remaining() if callable(remaining) else None
    if isinstance(left_ms, int | float):
        deadline = time.monotonic() + max(0.0, left_ms / 1000.0 - SAFETY_MARGIN_S)
    return Request(
        method=method,
        path=unquote(raw_path),
        query=query,
        headers=headers,
        body=raw,
        source_ip=str(http.get("sourceIp") or ""),
        request_id=str(
            ctx.get("requestId") or getattr(context, "aws_request_id", None) or uuid.uuid4().hex
        ),
        deadline=deadline,
        claims=authorizer_claims(ctx),
    )


def authorizer_claims(ctx: dict[str, Any]) -> dict[str, Any] | None:
    """The claims of a token API Gateway's JWT authorizer has checked; None where none ran.

    Only API Gateway writes ``requestContext.authorizer``: a caller cannot put it in an event.
    """
    authorizer = ctx.get("authorizer")
    jwt = authorizer.get("jwt") if isinstance(authorizer, dict) else None
    claims = jwt.get("claims") if isinstance(jwt, dict) else None
    return dict(claims) if isinstance(claims, dict) and claims else None


def to_result(response: Response) -> dict[str, Any]:
    """A :class:`Response` as the v2 integration result; binary bodies travel base64-encoded."""
    ctype = response.headers.get("content-type", "")
    if not response.body or is_text(ctype):
        body, encoded = response.body.decode("utf-8"), False
    else:
        body, encoded = base64.b64encode(response.body).decode("ascii"), True
    return {
        "statusCode": response.status,
        "headers": dict(response.headers),
        "body": body,
        "isBase64Encoded": encoded,
    }


REFRESH_EVENT = {
    "aidj": "refresh"
}  # what the EventBridge Scheduler schedule sends (infrastructure declares it)


def is_refresh_event(event: Any) -> bool:
    return (
        isinstance(event, dict)
        and event.get("aidj") == REFRESH_EVENT["aidj"]
        and "requestContext" not in event
    )


class LambdaApi(LivingApi, Protocol):
    """What the handler needs of the service (:class:`aidj_service.edge.api.Api`)."""

    @property
    def settings(self) -> Settings: ...

    def handle(self, request: Request) -> Response: ...


def make_handler(
    api_factory: Callable[[], LambdaApi],
) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """A Lambda handler around the Api ``api_factory`` builds (once, on first use)."""
    holder: dict[str, LambdaApi] = {}
    lock = threading.Lock()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        arrived = time.monotonic()
        if is_refresh_event(event):
            # the EventBridge schedule: no HTTP request, no one to answer; a start-up failure raises
            # so Lambda counts an error (and the next round tries again)
            with lock:
                if "api" not in holder:
                    holder["api"] = api_factory()
            return holder["api"].living.refresh_due()
        try:
            request = to_request(event, context)
        except HTTPError as exc:
            return to_result(
                secure(
                    exc.to_response(getattr(context, "aws_request_id", None) or uuid.uuid4().hex)
                )
            )
        if "api" not in holder:
            with lock:
                if "api" not in holder:
                    try:
                        holder["api"] = api_factory()
                    except Exception:
                        log.exception(
                            "the service could not start", extra={"request_id": request.request_id}
                        )
                        error = HTTPError(
                            f"the service could not start: retry later, and quote request id {request.request_id}",
                            code="service_unavailable",
                            status=503,
                            headers={"retry-after": "30"},
                        )
                        return to_result(secure(error.to_response(request.request_id)))
        api = holder["api"]
        # a cold start's Api build counts: the caller has been waiting since arrival
        budget = arrived + api.settings.request_timeout_s
        request.deadline = budget if request.deadline is None else min(request.deadline, budget)
        return to_result(api.handle(request))

    return handler


def _default_api() -> Api:
    started = time.perf_counter()
    from aidj_service.config import Settings
    from aidj_service.edge.api import Api
    from aidj_service.edge.catalog_fetch import catalog_from_env
    from aidj_service.logs import configure_logging

    configure_logging(sys.stdout)
    imported = time.perf_counter()
    settings = Settings.from_env()
    preload_embedding_model()  # while the catalog artifact may still be downloading
    artifact = catalog_from_env()  # the stack's catalog artifact, fetched into /tmp once
    if artifact is not None:
        settings = replace(settings, catalog=artifact)
    if settings.local_mode is None:  # a function is never a trusted local server
        settings = replace(settings, local_mode=False)
    fetched = time.perf_counter()
    api = Api(settings)
    built = time.perf_counter()
    api.warm()
    log.info(  # a cold start's steps, for CloudWatch and benchmarks/lambda_package.py
        "service started in %.2f s: imports %.2f s, catalog %.2f s, api %.2f s, warm %.2f s",
        time.perf_counter() - started,
        imported - started,
        fetched - imported,
        built - fetched,
        time.perf_counter() - built,
    )
    return api


def preload_embedding_model() -> None:
    """Load the interpreter's embedding model now (a fault is the interpreter's to report, on
    its first use: it then answers with rules only)."""
    from aidj.embedding import shared_matcher

    with contextlib.suppress(Exception):  # LocalInterpreter asks again, and says what failed
        shared_matcher()


lambda_handler = make_handler(_default_api)
