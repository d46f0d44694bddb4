"""Who may change a living playlist, and the rate bucket every change draws on.

Deployed: a signed-in playlist's owner only; a playlist made without a sign-in only by whoever
holds its edit key (:mod:`.edit_keys`), everyone else may read it. On a local server (one
person's machine) the caller is trusted.
"""

from __future__ import annotations

from pydantic import BaseModel

from aidj_service.edge.http import Forbidden, Request, Unauthorized
from aidj_service.edge.ratelimit import bucket_key, enforce
from aidj_service.identity import ANONYMOUS
from aidj_service.logs import user_hash
from aidj_service.operations.context import Context
from aidj_service.operations.living import edit_keys
from aidj_service.operations.living.follow import SpotifyCopy
from aidj_service.stores.history import PlaylistRecord


def authorize(
    ctx: Context, request: Request, record: PlaylistRecord, req: BaseModel | None
) -> SpotifyCopy | None:
    """Let the caller change ``record`` (or answer 401/403/429), taking one token from their bucket.

    Returns the caller's Spotify client when a token came along (to update the Spotify copy).
    """
    token = getattr(req, "spotify_access_token", None) or ctx.identity.spotify_token(request)
    spotify = ctx.identity.spotify(token, request) if token else None
    if ctx.settings.trusts_body_user:
        caller = getattr(req, "user_id", None) or record.user_id
    elif record.user_id == ANONYMOUS:
        check_edit_key(request, record)
        caller = ANONYMOUS
    else:
        caller = ctx.identity.user(spotify, None, request)
        request.context["user"] = user_hash(caller)
        if caller == ANONYMOUS:
            how = "sign-in" if ctx.settings.signs_in else "Spotify sign-in"
            raise Unauthorized(
                f"changing a playlist needs its owner's {how}: send Authorization: Bearer <token>",
                code="authentication_required",
            )
        if caller != record.user_id:
            raise Forbidden(
                "only the owner can change this playlist (you can still read and share it): "
                "build your own with POST /playlist",
                code="not_owner",
            )
    meter(ctx, request, caller)
    return spotify


def check_edit_key(request: Request, record: PlaylistRecord) -> None:
    """A playlist made without a sign-in opens only to the key it was made with."""
    key = request.header(edit_keys.HEADER)
    if key is None:
        raise Unauthorized(
            "this playlist was made without a sign-in: only its maker may change it, by sending "
            "the edit_key its creation answered in an Edit-Key header (you can still read and "
            "share it, or build your own with POST /playlist)",
            code="edit_key_required",
        )
    if not edit_keys.matches(key, record.data.get(edit_keys.DIGEST_FIELD)):
        raise Forbidden(
            "the Edit-Key does not open this playlist: send the edit_key its creation answered "
            "(it cannot be shown again), or build your own with POST /playlist",
            code="edit_key_invalid",
        )


def caller_of(ctx: Context, request: Request, req: BaseModel | None) -> str:
    """Who calls a route that acts on someone's playlist without owning it (play, deliver).

    Locally the trusted user; deployed, the signed-in user (sign-in on) or Spotify's account for a
    bearer token, else anonymous.
    """
    if ctx.settings.trusts_body_user:
        return getattr(req, "user_id", None) or "local"
    token = getattr(req, "spotify_access_token", None) or ctx.identity.spotify_token(request)
    spotify = ctx.identity.spotify(token, request) if token else None
    return ctx.identity.user(spotify, None, request)


def owns(ctx: Context, request: Request, record: PlaylistRecord, caller: str) -> bool:
    """Whether ``caller`` (:func:`caller_of`), calling a route any reader may call (deliver),
    owns ``record``.

    The rules of :func:`authorize`: a local server's caller owns everything; deployed, the
    signed-in owner does, and so does whoever sends a playlist made without a sign-in its
    Edit-Key (a wrong key is refused, as when editing). Everyone else is a reader.
    """
    if ctx.settings.trusts_body_user:
        return True
    if record.user_id == ANONYMOUS:
        if request.header(edit_keys.HEADER) is None:
            return False
        check_edit_key(request, record)
        return True
    return caller == record.user_id


def meter(ctx: Context, request: Request, caller: str) -> None:
    """Every change draws on the caller's bucket (anonymous callers: one per address)."""
    enforce(ctx.limiter, bucket_key(caller, request.source_ip), "changes")
