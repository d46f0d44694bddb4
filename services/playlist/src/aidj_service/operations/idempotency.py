"""Idempotency-Key: a retried POST /playlist gets the first request's answer, never a second playlist."""

from __future__ import annotations

import hashlib
import json
import re
import time

from aidj_service.config import Settings
from aidj_service.edge.http import (
    BadRequest,
    Conflict,
    HTTPError,
    Request,
    Response,
    UnprocessableEntity,
)
from aidj_service.models import PlaylistRequest
from aidj_service.responses import playlist_response
from aidj_service.stores.history import HistoryStore, IdempotencyRecord

KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")
WAIT_S = 5.0  # how long a retry waits for the first request with its key to finish


def check_key(key: str) -> None:
    if not KEY_RE.match(key):
        raise BadRequest(
            "Idempotency-Key must be 1-255 visible ASCII characters (a UUID is a good choice)",
            code="invalid_idempotency_key",
        )


def fingerprint(req: PlaylistRequest) -> str:
    """What makes two requests "the same" for one key (the token is not part of it)."""
    return hashlib.sha256(
        json.dumps(
            req.model_dump(exclude={"spotify_access_token"}), sort_keys=True, default=str
        ).encode()
    ).hexdigest()


def claim(
    store: HistoryStore, settings: Settings, request: Request, user: str, key: str, print_: str
) -> Response | None:
    """None when this request owns ``key`` now; else the first request's answer."""
    limit = WAIT_S
    remaining = request.remaining_s()
    if remaining is not None:
        limit = max(0.0, min(limit, remaining - 1.0))
    give_up = time.monotonic() + limit
    delay = 0.02
    while True:
        existing = store.claim(user, key, print_, settings.idempotency_ttl_s)
        if existing is None:
            return None
        if existing.fingerprint != print_:
            raise UnprocessableEntity(
                "this Idempotency-Key was already used with a different request: use a new key for a new playlist",
                code="idempotency_key_reused",
            )
        if existing.state == "done":
            request.context["outcome"] = "replayed"
            return replay(store, existing)
        if time.monotonic() >= give_up:
            raise Conflict(
                "a request with this Idempotency-Key is still being processed: retry in a moment",
                code="idempotency_in_progress",
                headers={"retry-after": "1"},
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def replay(store: HistoryStore, existing: IdempotencyRecord) -> Response:
    """The first request's answer again: its playlist, or the error it ended with."""
    headers = {"idempotent-replayed": "true"}
    if existing.response_status == 200 and existing.playlist_id:
        record = store.get(existing.playlist_id)
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


def settle(store: HistoryStore, owner: str, key: str, exc: HTTPError) -> None:
    """A request holding ``key`` failed: free the key, unless a Spotify playlist exists (or may)."""
    partial_id = exc.details.get("playlist_id") if exc.status == 502 else None
    if partial_id or exc.details.get("create_uncertain"):
        # a Spotify playlist exists (or may): a retry with this key must not make a second one
        error = {"code": exc.code, "message": exc.message, "details": exc.details}
        store.finish(
            owner,
            key,
            playlist_id=partial_id,
            response_status=exc.status,
            response_error=error,
        )
    else:
        store.release(owner, key)
