"""The API's request and response bodies (pydantic): validation at the edge and the OpenAPI schemas."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator

from aidj.intent import Intent

MAX_PROMPT_CHARS = 1000
# RFC 6750 b64token: what an OAuth bearer token may contain. Anything else cannot be a Spotify
# token and could not even travel in an HTTP header.
TOKEN_RE = re.compile(r"^[A-Za-z0-9\-._~+/]+=*$")
TOKEN_RULE = "is not a Spotify access token (letters, digits and -._~+/ only): reconnect Spotify"
USER_ID_RULE = "use 1-128 printable characters without '#'"


def valid_user_id(value: str) -> bool:
    # '#' is reserved: history keys use it to separate parts (idem#<user>, <time>#<id>)
    return 0 < len(value) <= 128 and "#" not in value and value.isprintable()


class PlaylistRequest(BaseModel):
    """``POST /playlist``. Unknown fields are rejected so typos ("promt") fail loudly."""

    model_config = ConfigDict(extra="forbid")

    # The length rule lives in the validator (after stripping, with a friendlier message); the
    # schema states it for clients.
    prompt: StrictStr = Field(
        description="What to hear, in one sentence (1-1000 characters)",
        json_schema_extra={"minLength": 1, "maxLength": MAX_PROMPT_CHARS},
    )
    user_id: StrictStr | None = Field(
        default=None, max_length=128, description="Whose history this goes to; honoured only by a local server"
    )
    spotify_access_token: StrictStr | None = Field(
        default=None, max_length=4096, description="A Spotify user token: the playlist is created on Spotify"
    )
    limit: StrictInt | None = Field(default=None, ge=1, le=100, description="Number of tracks (overrides the prompt)")
    interpreter: Literal["local", "bedrock"] | None = Field(
        default=None, description="Which interpreter turns the prompt into parameters"
    )
    base_parameters: dict[str, Any] | None = Field(
        default=None,
        description="The previous response's `parameters`: the prompt then refines them (\"more upbeat\", \"no rap\")",
    )

    @field_validator("prompt")
    @classmethod
    def _prompt(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("is empty: describe the music you want, e.g. 'energetic music for working out'")
        if len(value) > MAX_PROMPT_CHARS:
            raise ValueError(f"has {len(value)} characters: keep it to {MAX_PROMPT_CHARS} or fewer")
        return value

    @field_validator("spotify_access_token")
    @classmethod
    def _token(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise ValueError("is empty: connect Spotify again, or leave the field out to skip Spotify")
        if not TOKEN_RE.match(value):
            raise ValueError(TOKEN_RULE)
        return value

    @field_validator("user_id")
    @classmethod
    def _user_id(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not valid_user_id(value.strip()):
            raise ValueError(USER_ID_RULE)
        return value.strip()


class Track(BaseModel):
    """One track as the engine chose it (``PlaylistTrack.to_dict()``)."""

    id: str
    uri: str
    name: str
    artists: list[str]
    album: str
    duration_ms: int
    explicit: bool
    popularity: int
    genres: list[str]
    tempo: float
    key: int
    mode: int
    camelot: str
    energy: float
    danceability: float
    valence: float
    score: float
    reason: str = Field(default="", description="What this track does here: its role in the set and what of the request it answers")
    year: int | None = Field(default=None, description="Release year, when the catalog knows it")
    transition: str = Field(default="", description="How it follows the previous track: keys, tempos, energy step")


class InterpreterInfo(BaseModel):
    name: Literal["local", "bedrock"] = Field(description="The interpreter that produced the parameters")
    requested: Literal["local", "bedrock"]
    fallback_reason: str | None = Field(default=None, description="Why Bedrock was not used, when it fell back")
    cached: bool = False


class SpotifyInfo(BaseModel):
    playlist_id: str
    url: str
    added: int = Field(description="Tracks that reached the Spotify playlist")
    total: int


class PlaylistResponse(BaseModel):
    """A built playlist: ``POST /playlist`` and ``GET /playlists/{id}`` answer with this."""

    playlist_id: str = Field(description="Random UUID; the URL /playlists/{playlist_id} is the share link")
    created_at: str = Field(description="ISO 8601 UTC")
    message: str
    name: str
    prompt: str
    playlist_url: str | None = Field(description="The Spotify playlist, or null when it was not sent to Spotify")
    status: Literal["complete", "partial"] = Field(
        description="partial: Spotify accepted only some tracks (see spotify.added)"
    )
    tracks_count: int
    parameters: Intent
    tracks: list[Track]
    stats: dict[str, Any]
    notices: list[str] = Field(
        default_factory=list,
        description="Plain sentences, in the prompt's language where it is read, saying what could not be "
        "honoured and what was done instead; empty when everything was honoured",
    )
    interpreter: InterpreterInfo
    spotify: SpotifyInfo | None = None
    exports: dict[str, str] = Field(description="Download links: m3u8, xspf, json")


class PlaylistSummary(BaseModel):
    playlist_id: str
    created_at: str
    name: str
    prompt: str
    playlist_url: str | None
    status: Literal["complete", "partial"]
    tracks_count: int
    interpreter: str


class PlaylistPage(BaseModel):
    items: list[PlaylistSummary] = Field(description="Newest first")
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class Health(BaseModel):
    status: Literal["ok"]
    catalog_tracks: int
    history: Literal["sqlite", "dynamodb"]
    interpreter: Literal["local", "bedrock"]
    local_mode: bool


class ClientConfig(BaseModel):
    spotify_client_id: str | None
    spotify_scopes: str


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. validation_error")
    message: str = Field(description="What went wrong and what to do next")
    request_id: str
    details: dict[str, Any] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def validation_message(exc: Any) -> str:
    """One readable sentence from a pydantic ``ValidationError``: field names and what they need."""
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        msg = err.get("msg", "invalid")
        if err.get("type") == "extra_forbidden":
            msg = "unknown field (allowed: prompt, user_id, spotify_access_token, limit, interpreter, base_parameters)"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        parts.append(f"{where}: {msg}")
    return "; ".join(parts)
