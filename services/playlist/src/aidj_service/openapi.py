"""The OpenAPI 3.1 document served at ``/openapi.json``; schemas come from the pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from aidj_service.models import (
    ClientConfig,
    ErrorBody,
    ExtendRequest,
    Health,
    PlaylistPage,
    PlaylistRequest,
    PlaylistResponse,
    PlayRequest,
    PlayResult,
    RevertRequest,
    ScheduleRequest,
    VersionRequest,
)

REF = "#/components/schemas/{model}"


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorBody")}}},
    }


def _json(description: str, model: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}},
    }
    if headers:
        out["headers"] = headers
    return out


RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "string"}}
}
REQUEST_ID = {
    "X-Request-Id": {
        "description": "Quote it when reporting a problem",
        "schema": {"type": "string"},
    }
}


def _local_server_errors(document: dict[str, Any]) -> None:
    """Answers any route can give on a local server, added where a route does not say more."""
    for item in document["paths"].values():
        for operation in item.values():
            responses = operation["responses"]
            responses.setdefault(
                "403", _error("Local mode: a host name this server does not answer for")
            )
            responses.setdefault("414", _error("URL path over 2,048 characters"))
            responses.setdefault(
                "503",
                {
                    **_error("Not answered before the request deadline (local server)"),
                    "headers": RETRY_AFTER,
                },
            )


def openapi_document() -> dict[str, Any]:
    models = [
        (PlaylistRequest, "validation"),
        (PlaylistResponse, "serialization"),
        (PlaylistPage, "serialization"),
        (Health, "serialization"),
        (ClientConfig, "serialization"),
        (ErrorBody, "serialization"),
        (VersionRequest, "validation"),
        (RevertRequest, "validation"),
        (ExtendRequest, "validation"),
        (ScheduleRequest, "validation"),
        (PlayRequest, "validation"),
        (PlayResult, "serialization"),
    ]
    refs, defs = models_json_schema(models, ref_template=REF)
    schemas = defs.get("$defs", {})
    name = {model: refs[(model, mode)]["$ref"].rsplit("/", 1)[-1] for model, mode in models}
    bearer = [{"spotifyToken": []}, {}]
    common_errors = {"500": _error("Unexpected failure (logged with the request id)")}
    playlist_id = {
        "name": "playlist_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    owner_errors = {
        "401": _error(
            "Deployed: no Spotify sign-in (or Spotify rejected it); only the owner may change a playlist"
        ),
        "403": _error("Deployed: the caller does not own this playlist"),
        "404": _error("No such playlist"),
        "503": {**_error("History store or Spotify unavailable"), "headers": RETRY_AFTER},
        **common_errors,
    }

    def change(
        operation_id: str, summary: str, request_model: type, errors: dict[str, Any]
    ) -> dict[str, Any]:
        """An operation that makes the next version (or changes the schedule) and answers the playlist."""
        return {
            "operationId": operation_id,
            "summary": summary,
            "security": bearer,
            "parameters": [playlist_id],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": REF.format(model=name[request_model])}}
                },
            },
            "responses": {
                "200": _json(
                    "The playlist, now at its new version; added/removed/moved list the change",
                    name[PlaylistResponse],
                ),
                "400": _error("Body is not JSON"),
                **errors,
                **owner_errors,
            },
        }

    rate_limited = {"429": {**_error("Too many changes for this user"), "headers": RETRY_AFTER}}
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "AI DJ",
            "version": "1.0.0",
            "description": "One sentence in, a DJ-quality playlist out. Errors are always "
            '`{"error": {"code", "message", "request_id"}}`.',
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/playlist": {
                "post": {
                    "operationId": "createPlaylist",
                    "summary": "Build a playlist from a prompt (and create it on Spotify when a token is given)",
                    "security": bearer,
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "description": "Retrying with the same key returns the first result",
                            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": REF.format(model=name[PlaylistRequest])}
                            }
                        },
                    },
                    "responses": {
                        "200": _json("The playlist", name[PlaylistResponse], REQUEST_ID),
                        "400": _error("Body is not JSON, or a bad Idempotency-Key"),
                        "401": _error("Spotify rejected the token"),
                        "403": _error(
                            "Spotify refused (e.g. the user is not registered for the app); or, in local mode, "
                            "a foreign Host or Origin"
                        ),
                        "409": _error("The same Idempotency-Key is still being processed"),
                        "413": _error("Body over the size limit"),
                        "415": _error("Local mode: the body's Content-Type is not JSON"),
                        "422": _error(
                            "Body is JSON but invalid (missing/empty/too long prompt, wrong types, limit)"
                        ),
                        "429": {
                            **_error("Too many requests for this user"),
                            "headers": RETRY_AFTER,
                        },
                        "502": _error("Spotify failed part-way; details say what was added"),
                        "503": {
                            **_error("Spotify or the history store is unavailable"),
                            "headers": RETRY_AFTER,
                        },
                        **common_errors,
                    },
                }
            },
            "/playlists": {
                "get": {
                    "operationId": "listPlaylists",
                    "summary": "The caller's playlists, newest first",
                    "security": bearer,
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": 100,
                                "default": 20,
                            },
                        },
                        {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "user_id",
                            "in": "query",
                            "description": "Whose history to read; honoured only by a local server",
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": _json("One page of history", name[PlaylistPage]),
                        "400": _error("Unknown cursor"),
                        "401": _error("No or rejected Spotify token (deployed mode)"),
                        "422": _error("limit out of 1..100"),
                        "503": {
                            **_error("History store (or Spotify, for the sign-in) unavailable"),
                            "headers": RETRY_AFTER,
                        },
                        **common_errors,
                    },
                }
            },
            "/playlists/{playlist_id}": {
                "get": {
                    "operationId": "getPlaylist",
                    "summary": "A stored playlist (the id is a capability: anyone with the link may read it)",
                    "parameters": [
                        playlist_id,
                        {
                            "name": "version",
                            "in": "query",
                            "required": False,
                            "description": "An older version (default: the current one); `versions` lists them",
                            "schema": {"type": "integer", "minimum": 1},
                        },
                    ],
                    "responses": {
                        "200": _json("The playlist", name[PlaylistResponse]),
                        "404": _error("No such playlist, or no such version"),
                        "422": _error("version is not a number"),
                        "503": {**_error("History store unavailable"), "headers": RETRY_AFTER},
                        **common_errors,
                    },
                }
            },
            "/playlists/{playlist_id}/versions": {
                "post": change(
                    "createVersion",
                    "The next version: edits (remove, swap, lock, unlock, more_like, move) and/or a refining prompt",
                    VersionRequest,
                    {
                        "409": _error(
                            "An edit conflicts with the playlist (a locked track, no replacement left) "
                            "or it is too busy"
                        ),
                        "422": _error(
                            "Unknown op, a track id not in the playlist, a bad position, or no change asked"
                        ),
                        **rate_limited,
                    },
                )
            },
            "/playlists/{playlist_id}/revert": {
                "post": change(
                    "revertPlaylist",
                    "Bring an older version back, as a new version",
                    RevertRequest,
                    {"409": _error("Too busy: retry"), "422": _error("No such version")},
                )
            },
            "/playlists/{playlist_id}/extend": {
                "post": change(
                    "extendPlaylist",
                    "Add tracks (or minutes) that continue the arc and the flow, repeating nothing",
                    ExtendRequest,
                    {
                        "409": _error("Nothing more fits without repeating, or too busy"),
                        "422": _error("Give exactly one of count (1-100) or minutes"),
                        **rate_limited,
                    },
                )
            },
            "/playlists/{playlist_id}/schedule": {
                "put": change(
                    "schedulePlaylist",
                    "Make a fresh version every day or week (locked tracks stay)",
                    ScheduleRequest,
                    {"409": _error("Too busy: retry"), "422": _error("every must be day or week")},
                ),
                "delete": {
                    "operationId": "unschedulePlaylist",
                    "summary": "Stop refreshing (and forget the stored Spotify sign-in)",
                    "security": bearer,
                    "parameters": [playlist_id],
                    "responses": {
                        "200": _json("The playlist, without a schedule", name[PlaylistResponse]),
                        "409": _error("Too busy: retry"),
                        **owner_errors,
                    },
                },
            },
            "/playlists/{playlist_id}/play": {
                "post": {
                    "operationId": "playPlaylist",
                    "summary": "Play now: add the tracks to the caller's Spotify queue (a device must be active)",
                    "security": [{"spotifyToken": []}],
                    "parameters": [playlist_id],
                    "requestBody": {
                        "required": False,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": REF.format(model=name[PlayRequest])}
                            }
                        },
                    },
                    "responses": {
                        "200": _json("How many tracks were queued", name[PlayResult]),
                        "400": _error("Body is not JSON"),
                        "401": _error("No Spotify token, or Spotify rejected it"),
                        "403": _error("Spotify refused (e.g. the playback scope was not granted)"),
                        "404": _error("No such playlist or version"),
                        "409": _error(
                            "No Spotify device is active: open Spotify and play anything, then retry"
                        ),
                        "422": _error("Invalid body"),
                        "503": {**_error("Spotify unavailable"), "headers": RETRY_AFTER},
                        **common_errors,
                    },
                }
            },
            "/me/spotify-tokens": {
                "delete": {
                    "operationId": "forgetSpotifyTokens",
                    "summary": "Sign-out: delete every Spotify sign-in stored for the caller's scheduled playlists",
                    "security": bearer,
                    "parameters": [
                        {
                            "name": "user_id",
                            "in": "query",
                            "description": "Whose sign-ins; honoured only by a local server",
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "How many were deleted",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["deleted"],
                                        "properties": {
                                            "deleted": {"type": "integer", "minimum": 0}
                                        },
                                    }
                                }
                            },
                        },
                        "401": _error("Deployed: no Spotify sign-in"),
                        "503": {
                            **_error("History store or Spotify unavailable"),
                            "headers": RETRY_AFTER,
                        },
                        **common_errors,
                    },
                }
            },
            "/playlists/{playlist_id}.{format}": {
                "get": {
                    "operationId": "exportPlaylist",
                    "summary": "Download a stored playlist as M3U8, XSPF or JSON",
                    "parameters": [
                        playlist_id,
                        {
                            "name": "format",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": ["m3u8", "xspf", "json"]},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The playlist file",
                            "content": {
                                "audio/x-mpegurl": {"schema": {"type": "string"}},
                                "application/xspf+xml": {"schema": {"type": "string"}},
                                "application/json": {"schema": {"type": "object"}},
                            },
                        },
                        "404": _error("No such playlist"),
                        "503": {**_error("History store unavailable"), "headers": RETRY_AFTER},
                        **common_errors,
                    },
                }
            },
            "/health": {
                "get": {
                    "operationId": "health",
                    "summary": "Liveness and what this instance runs on; with deep=1 the history store too",
                    "parameters": [
                        {
                            "name": "deep",
                            "in": "query",
                            "required": False,
                            "description": "1: also check that the history store answers (for probes and alarms)",
                            "schema": {"type": "string", "enum": ["0", "1", "true", "false"]},
                        }
                    ],
                    "responses": {
                        "200": _json("Healthy", name[Health]),
                        "503": {
                            **_error("deep=1 and the history store is not answering"),
                            "headers": RETRY_AFTER,
                        },
                        **common_errors,
                    },
                }
            },
            "/config": {
                "get": {
                    "operationId": "clientConfig",
                    "summary": "What the web page needs for Spotify sign-in (PKCE)",
                    "responses": {
                        "200": _json("Public client settings", name[ClientConfig]),
                        **common_errors,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/": {
                "get": {
                    "operationId": "webPage",
                    "summary": "The web page",
                    "responses": {
                        "200": {
                            "description": "HTML",
                            "content": {"text/html": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
            "/static/{path}": {
                "get": {
                    "operationId": "staticFile",
                    "summary": "The web page's scripts, styles and images",
                    "parameters": [
                        {
                            "name": "path",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The file",
                            "content": {"*/*": {"schema": {"type": "string"}}},
                        },
                        "404": _error("No such file"),
                    },
                }
            },
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "spotifyToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A Spotify user access token (scopes playlist-modify-private playlist-modify-public; user-modify-playback-state to queue)",
                }
            },
        },
    }
    _local_server_errors(document)
    return document
