"""Who may change a living playlist: its owner once deployed; on a local server, its one person."""

from __future__ import annotations

from pydantic import BaseModel

from aidj_service.edge.http import Forbidden, Request, Unauthorized
from aidj_service.logs import user_hash
from aidj_service.operations.context import Context
from aidj_service.operations.living.follow import SpotifyCopy
from aidj_service.stores.history import PlaylistRecord


def authorize(
    ctx: Context, request: Request, record: PlaylistRecord, req: BaseModel | None
) -> SpotifyCopy | None:
    """Owner only, once deployed; a local server is one person's machine and trusts its caller.

    Returns the caller's Spotify client when a token came along (to update the Spotify copy).
    """
    token = getattr(req, "spotify_access_token", None) or ctx.identity.spotify_token(request)
    spotify = ctx.identity.spotify(token, request) if token else None
    if ctx.settings.trusts_body_user:
        return spotify
    user = ctx.identity.user(spotify, None, request)
    request.context["user"] = user_hash(user)
    if user == record.user_id:
        return spotify
    if user == "anonymous":
        how = "sign-in" if ctx.settings.signs_in else "Spotify sign-in"
        raise Unauthorized(
            f"changing a playlist needs its owner's {how}: send Authorization: Bearer <token>",
            code="authentication_required",
        )
    raise Forbidden(
        "only the owner can change this playlist (you can still read and share it): "
        "build your own with POST /playlist",
        code="not_owner",
    )
