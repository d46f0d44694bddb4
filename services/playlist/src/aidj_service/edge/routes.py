"""Every route of the HTTP API, declared once.

The router (:class:`aidj_service.edge.api.Api`) binds each routed :class:`Endpoint` to its handler,
``/openapi.json`` (:mod:`aidj_service.edge.openapi`) documents each one from the same fields, and the
API Gateway routes (``aidj_infra.api.ROUTES``) are tested against :func:`gateway_route_keys`.
Adding a route is one entry here plus its handler (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from aidj.exporters import EXPORTERS
from aidj_service.delivery.google_signin import GoogleAccess, GoogleCodeExchange
from aidj_service.delivery.models import DeliverRequest, DeliveryResponse
from aidj_service.models import (
    ClientConfig,
    ExtendRequest,
    Health,
    LinkSpotifyRequest,
    PlaylistPage,
    PlaylistRequest,
    PlaylistResponse,
    PlayRequest,
    PlayResult,
    RevertRequest,
    ScheduleRequest,
    SpotifyLinked,
    TastePatch,
    TasteView,
    TokensDeleted,
    VersionRequest,
)

Auth = Literal["none", "optional", "required"]
GREEDY = re.compile(r"\{(\w+)\+\}")  # "{path+}": the rest of the path, slashes included


@dataclass(frozen=True, slots=True)
class Param:
    """A path, query or header parameter as the document states it."""

    name: str
    where: Literal["path", "query", "header"]
    schema: Mapping[str, Any]
    description: str | None = None
    required: bool = False
    # path parameters: the name in the router's template when the document names it otherwise
    template_name: str | None = None


@dataclass(frozen=True, slots=True)
class Ok:
    """The success answer: a JSON body of ``model``, or other media types (``content``)."""

    description: str
    model: type[BaseModel] | None = None
    content: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    status: int = 200  # 204: no body at all


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str  # the router's template: "/playlists/{id}", "/static/{path+}"
    handler: str  # the operation method that answers it ("versions.revert" is Api.versions.revert)
    operation_id: str
    summary: str
    ok: Ok
    errors: Mapping[int, str]  # status -> when it happens; every one is an ErrorBody
    auth: Auth = "none"  # a Spotify bearer token: none, optional or required
    body: type[BaseModel] | None = None
    body_required: bool = True
    params: tuple[Param, ...] = ()
    # a documented form of another route's path, answered by that route (an export by its extension)
    served_by: str | None = None
    # False: answered by `aidj serve` only; API Gateway has no route to it
    gateway: bool = True

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def document_path(self) -> str:
        """The OpenAPI path: ``{path+}`` -> ``{path}``, template names -> documented names."""
        path = GREEDY.sub(r"{\1}", self.path)
        for param in self.params:
            if param.where == "path" and param.template_name:
                path = path.replace(f"{{{param.template_name}}}", f"{{{param.name}}}")
        return path


PLAYLIST_ID = Param(
    "playlist_id", "path", {"type": "string", "format": "uuid"}, required=True, template_name="id"
)
USER_ID_QUERY = "honoured only by a local server"
EDIT_KEY = Param(
    "Edit-Key",
    "header",
    {"type": "string"},
    "Deployed, for a playlist made without a sign-in: the edit_key its creation answered",
)
UNEXPECTED = {500: "Unexpected failure (logged with the request id)"}
# Who may change a playlist, and what its store or Spotify can answer: every change route says so.
OWNER_ERRORS = {
    401: "Deployed: no Spotify sign-in (or Spotify rejected it), or no Edit-Key for a playlist made "
    "without a sign-in; only the owner may change a playlist",
    403: "Deployed: the caller does not own this playlist, or the Edit-Key is not its key",
    404: "No such playlist",
    429: "Too many changes for this user (every change draws on the caller's rate limit)",
    503: "History store or Spotify unavailable",
    **UNEXPECTED,
}
NEW_VERSION = Ok(
    "The playlist, now at its new version; added/removed/moved list the change", PlaylistResponse
)


def _change(
    method: str,
    suffix: str,
    handler: str,
    operation_id: str,
    summary: str,
    body: type[BaseModel],
    errors: Mapping[int, str],
) -> Endpoint:
    """A route that makes the next version (or changes the schedule) and answers the playlist."""
    return Endpoint(
        method,
        f"/playlists/{{id}}/{suffix}",
        handler,
        operation_id,
        summary,
        NEW_VERSION,
        {400: "Body is not JSON", **errors, **OWNER_ERRORS},
        auth="optional",
        body=body,
        params=(PLAYLIST_ID, EDIT_KEY),
    )


# Order matters to the router: the first template that matches a path wins.
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "POST",
        "/playlist",
        "playlists.create_playlist",
        "createPlaylist",
        "Build a playlist from a prompt (and create it on Spotify when a token is given)",
        Ok("The playlist", PlaylistResponse),
        {
            400: "Body is not JSON, or a bad Idempotency-Key",
            401: "Spotify rejected the token",
            403: "Spotify refused (e.g. the user is not registered for the app); or, in local mode, "
            "a foreign Host or Origin",
            409: "The same Idempotency-Key is still being processed",
            413: "Body over the size limit",
            415: "Local mode: the body's Content-Type is not JSON",
            422: "Body is JSON but invalid (missing/empty/too long prompt, wrong types, limit)",
            429: "Too many requests for this user",
            502: "Spotify failed part-way; details say what was added",
            503: "Spotify or the history store is unavailable",
            **UNEXPECTED,
        },
        auth="optional",
        body=PlaylistRequest,
        params=(
            Param(
                "Idempotency-Key",
                "header",
                {"type": "string", "minLength": 1, "maxLength": 255},
                "Retrying with the same key returns the first result",
            ),
        ),
    ),
    Endpoint(
        "GET",
        "/playlists",
        "history.list_playlists",
        "listPlaylists",
        "The caller's playlists, newest first",
        Ok("One page of history", PlaylistPage),
        {
            400: "Unknown cursor",
            401: "No or rejected Spotify token (deployed mode)",
            422: "limit out of 1..100",
            503: "History store (or Spotify, for the sign-in) unavailable",
            **UNEXPECTED,
        },
        auth="optional",
        params=(
            Param(
                "limit", "query", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
            ),
            Param("cursor", "query", {"type": "string"}),
            Param(
                "user_id", "query", {"type": "string"}, f"Whose history to read; {USER_ID_QUERY}"
            ),
        ),
    ),
    Endpoint(
        "GET",
        "/playlists/{id}.{format}",
        "history.get_playlist",
        "exportPlaylist",
        "Download a stored playlist as M3U8, XSPF or JSON",
        Ok(
            "The playlist file",
            content={
                "audio/x-mpegurl": {"schema": {"type": "string"}},
                "application/xspf+xml": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        ),
        {404: "No such playlist", 503: "History store unavailable", **UNEXPECTED},
        params=(
            PLAYLIST_ID,
            Param("format", "path", {"type": "string", "enum": list(EXPORTERS)}, required=True),
        ),
        served_by="/playlists/{id}",
    ),
    Endpoint(
        "GET",
        "/playlists/{id}",
        "history.get_playlist",
        "getPlaylist",
        "A stored playlist (the id is a capability: anyone with the link may read it)",
        Ok("The playlist", PlaylistResponse),
        {
            404: "No such playlist, or no such version",
            422: "version is not a number",
            503: "History store unavailable",
            **UNEXPECTED,
        },
        params=(
            PLAYLIST_ID,
            Param(
                "version",
                "query",
                {"type": "integer", "minimum": 1},
                "An older version (default: the current one); `versions` lists them",
            ),
        ),
    ),
    _change(
        "POST",
        "versions",
        "versions.create_version",
        "createVersion",
        "The next version: edits (remove, swap, lock, unlock, more_like, move) and/or a refining prompt",
        VersionRequest,
        {
            409: "An edit conflicts with the playlist (a locked track, no replacement left), it is too "
            "busy, or it has as many versions as one may have (version_limit_reached)",
            422: "Unknown op, a track id not in the playlist, a bad position, or no change asked",
        },
    ),
    _change(
        "POST",
        "revert",
        "versions.revert",
        "revertPlaylist",
        "Bring an older version back, as a new version",
        RevertRequest,
        {409: "Too busy, or the version cap is reached", 422: "No such version"},
    ),
    _change(
        "POST",
        "extend",
        "versions.extend",
        "extendPlaylist",
        "Add tracks (or minutes) that continue the arc and the flow, repeating nothing",
        ExtendRequest,
        {
            409: "Nothing more fits without repeating, too busy, or the version cap is reached",
            422: "Give exactly one of count (1-100) or minutes",
        },
    ),
    _change(
        "PUT",
        "schedule",
        "schedules.put_schedule",
        "schedulePlaylist",
        "Make a fresh version every day or week (locked tracks stay)",
        ScheduleRequest,
        {409: "Too busy: retry", 422: "every must be day or week"},
    ),
    Endpoint(
        "DELETE",
        "/playlists/{id}/schedule",
        "schedules.delete_schedule",
        "unschedulePlaylist",
        "Stop refreshing (and forget the stored Spotify sign-in)",
        Ok("The playlist, without a schedule", PlaylistResponse),
        {409: "Too busy: retry", **OWNER_ERRORS},
        auth="optional",
        params=(PLAYLIST_ID, EDIT_KEY),
    ),
    Endpoint(
        "POST",
        "/playlists/{id}/play",
        "playback.play",
        "playPlaylist",
        "Play now: add the tracks to the caller's Spotify queue (a device must be active)",
        Ok("How many tracks were queued", PlayResult),
        {
            400: "Body is not JSON",
            401: "No Spotify token, or Spotify rejected it",
            403: "Spotify refused (e.g. the playback scope was not granted)",
            404: "No such playlist or version",
            409: "No Spotify device is active: open Spotify and play anything, then retry",
            422: "Invalid body",
            429: "Too many changes for this user",
            503: "Spotify unavailable",
            **UNEXPECTED,
        },
        auth="required",
        body=PlayRequest,
        body_required=False,
        params=(PLAYLIST_ID,),
    ),
    Endpoint(
        "POST",
        "/playlists/{id}/deliver",
        "deliveries.deliver",
        "deliverPlaylist",
        "Save a playlist to Spotify, Apple Music, YouTube Music or a Subsonic server: tracks "
        "matched by title, artist and length, the rest listed with why (in the playlist's "
        "language); one playlist however often, or however many at once, the request is sent. "
        "The owner's delivery is remembered with the playlist; anyone else saves a copy to "
        "their own account",
        Ok("What was matched, what was left out and where the playlist is", DeliveryResponse),
        {
            400: "Body is not JSON, or the request's Subsonic server or sign-in cannot be used",
            401: "The platform did not accept the sign-in",
            403: "The platform refused (subscription, permissions), or the Edit-Key sent does "
            "not open this playlist",
            404: "No such playlist or version",
            409: "delivery_in_progress: the same delivery is running in another request "
            "(Retry-After); or too busy: retry",
            422: "Invalid body (unknown platform, a field of another platform, a malformed token), "
            "or this service is not set up for that platform",
            429: "Too many deliveries for this playlist's owner (a copy: for the caller), or the "
            "platform's daily quota is used up",
            502: "The platform failed part-way (details: url, added, total; deliver again to complete)",
            503: "The platform or the history store is unavailable",
            **UNEXPECTED,
        },
        auth="optional",
        body=DeliverRequest,
        params=(PLAYLIST_ID,),
    ),
    Endpoint(
        "POST",
        "/auth/google/token",
        "google.exchange",
        "exchangeGoogleCode",
        "The page's YouTube Music sign-in (Authorization Code + PKCE): its code exchanged for an "
        "access token with this service's Google client secret; nothing is stored",
        Ok("The listener's YouTube access token, for this tab only", GoogleAccess),
        {
            400: "Body is not JSON",
            422: "Invalid body (no code, a malformed PKCE verifier), redirect_uri is not this "
            "page's address (redirect_uri_not_allowed), Google refused the code "
            "(google_code_refused: sign in again), or this service is not set up for YouTube "
            "Music (platform_not_configured)",
            429: "Too many sign-ins from this address",
            502: "Google rejected this service's OAuth client (its settings are wrong)",
            503: "Google's sign-in service is unavailable",
            **UNEXPECTED,
        },
        body=GoogleCodeExchange,
    ),
    Endpoint(
        "PUT",
        "/me/spotify",
        "account.link",
        "linkSpotify",
        "With sign-in on: link your Spotify account (the music account) to your sign-in",
        Ok("The linked Spotify account", SpotifyLinked),
        {
            400: "Body is not JSON",
            401: "No sign-in, or it was refused",
            409: "This deployment has no sign-in: your Spotify account already is your identity",
            422: "Invalid body, Spotify refused the refresh token, or no token vault here",
            503: "History store, Spotify or the sign-in keys unavailable",
            **UNEXPECTED,
        },
        auth="required",
        body=LinkSpotifyRequest,
    ),
    Endpoint(
        "DELETE",
        "/me/spotify-tokens",
        "schedules.forget_tokens",
        "forgetSpotifyTokens",
        "Sign-out: delete every Spotify sign-in stored for the caller's scheduled playlists",
        Ok("How many were deleted", TokensDeleted),
        {
            401: "Deployed: no Spotify sign-in",
            429: "Too many changes for this user",
            503: "History store or Spotify unavailable",
            **UNEXPECTED,
        },
        auth="optional",
        params=(Param("user_id", "query", {"type": "string"}, f"Whose sign-ins; {USER_ID_QUERY}"),),
    ),
    Endpoint(
        "GET",
        "/me/taste",
        "taste.get_taste",
        "getTaste",
        "What AI DJ believes about your taste (imported from Spotify when a token allows it)",
        Ok("Your taste profile (empty when there is none)", TasteView),
        {
            401: "Deployed: no Spotify sign-in (or Spotify rejected it)",
            422: "user_id or language invalid",
            503: "History store or Spotify unavailable",
            **UNEXPECTED,
        },
        auth="optional",
        params=(
            Param("user_id", "query", {"type": "string"}, f"Whose taste; {USER_ID_QUERY}"),
            Param(
                "language",
                "query",
                {"type": "string", "minLength": 2, "maxLength": 2},
                "The summary's language (ISO 639-1; default: Accept-Language, else English)",
            ),
        ),
    ),
    Endpoint(
        "PATCH",
        "/me/taste",
        "taste.patch_taste",
        "steerTaste",
        'Steer your taste: more, less or never an artist or genre ("never country"), or switch it off',
        Ok("Your taste, steered", TasteView),
        {
            400: "Body is not JSON",
            401: "Deployed: no Spotify sign-in (or Spotify rejected it)",
            422: "Invalid body: an entry without exactly one of artist/genre, an unknown genre",
            503: "History store or Spotify unavailable",
            **UNEXPECTED,
        },
        auth="optional",
        body=TastePatch,
    ),
    Endpoint(
        "DELETE",
        "/me/taste",
        "taste.delete_taste",
        "forgetTaste",
        "Forget your taste: the profile and every signal behind it (your history stays)",
        Ok("Forgotten (also when there was nothing to forget)", status=204),
        {
            401: "Deployed: no Spotify sign-in (or Spotify rejected it)",
            422: "user_id invalid",
            503: "History store or Spotify unavailable",
            **UNEXPECTED,
        },
        auth="optional",
        params=(Param("user_id", "query", {"type": "string"}, f"Whose taste; {USER_ID_QUERY}"),),
    ),
    Endpoint(
        "GET",
        "/health",
        "status.health",
        "health",
        "Liveness and what this instance runs on; with deep=1 the history store too",
        Ok("Healthy", Health),
        {503: "deep=1 and the history store is not answering", **UNEXPECTED},
        params=(
            Param(
                "deep",
                "query",
                {"type": "string", "enum": ["0", "1", "true", "false"]},
                "1: also check that the history store answers (for probes and alarms)",
            ),
        ),
    ),
    Endpoint(
        "GET",
        "/metrics",
        "metrics.scrape",
        "metrics",
        "Usage counters in Prometheus text format (a local server started with AIDJ_METRICS=on; "
        "deployed, the same figures are CloudWatch metrics)",
        Ok(
            "Prometheus text exposition format 0.0.4",
            content={"text/plain": {"schema": {"type": "string"}}},
        ),
        {404: "Usage metrics are off (start the server with AIDJ_METRICS=on)", **UNEXPECTED},
        gateway=False,
    ),
    Endpoint(
        "GET",
        "/openapi.json",
        "pages.openapi",
        "openapi",
        "This document",
        Ok("OpenAPI 3.1", content={"application/json": {"schema": {"type": "object"}}}),
        {},
    ),
    Endpoint(
        "GET",
        "/config",
        "status.client_config",
        "clientConfig",
        "What the web page needs for Spotify sign-in (PKCE) and Save to … (delivery platforms)",
        Ok("Public client settings", ClientConfig),
        UNEXPECTED,
    ),
    Endpoint(
        "GET",
        "/",
        "pages.index",
        "webPage",
        "The web page",
        Ok("HTML", content={"text/html": {"schema": {"type": "string"}}}),
        {},
    ),
    Endpoint(
        "GET",
        "/static/{path+}",
        "pages.static_file",
        "staticFile",
        "The web page's scripts, styles and images",
        Ok("The file", content={"*/*": {"schema": {"type": "string"}}}),
        {404: "No such file"},
        params=(Param("path", "path", {"type": "string"}, required=True),),
    ),
)

ROUTED: tuple[Endpoint, ...] = tuple(e for e in ENDPOINTS if e.served_by is None)


def gateway_route_keys() -> set[str]:
    """The API Gateway route keys that reach every routed endpoint (greedy ``{x+}`` is ``{proxy+}``)."""
    return {f"{e.method} {GREEDY.sub('{proxy+}', e.path)}" for e in ROUTED if e.gateway}
