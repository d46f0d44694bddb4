"""The API's request and response bodies (pydantic): validation at the edge and the OpenAPI schemas."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from aidj.intent import Intent
from aidj_service.clients.bedrock_models import CHOICE_PATTERN
from aidj_service.stores.backends import HistoryName, InterpreterName

# "bedrock:<name>": one of the Bedrock models the deployment offers (AIDJ_BEDROCK_MODELS).
ModelChoice = Annotated[StrictStr, Field(pattern=CHOICE_PATTERN)]

MAX_PROMPT_CHARS = 1000
# RFC 6750 b64token: what an OAuth bearer token may contain. Anything else cannot be a Spotify
# token and could not even travel in an HTTP header.
TOKEN_RE = re.compile(r"^[A-Za-z0-9\-._~+/]+=*$")
TOKEN_RULE = "is not a Spotify access token (letters, digits and -._~+/ only): reconnect Spotify"
USER_ID_RULE = "use 1-128 printable characters without '#'"


# Line and paragraph breaks become spaces; every other control character (C0, DEL, C1) and the
# bidirectional overrides that make a stored prompt display other than it reads are dropped.
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def plain_text(value: str) -> str:
    """``value`` without control characters: what a prompt is stored, logged and read as."""
    return _CONTROLS.sub("", _BREAKS.sub(" ", value))


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
        default=None,
        max_length=128,
        description="Whose history this goes to; honoured only by a local server",
    )
    spotify_access_token: StrictStr | None = Field(
        default=None,
        max_length=4096,
        description="A Spotify user token: the playlist is created on Spotify",
    )
    limit: StrictInt | None = Field(
        default=None, ge=1, le=100, description="Number of tracks (overrides the prompt)"
    )
    interpreter: InterpreterName | ModelChoice | None = Field(
        default=None,
        description='Which interpreter turns the prompt into parameters; "bedrock:<name>" picks '
        "one of the Bedrock models this deployment offers",
    )
    base_parameters: dict[str, Any] | None = Field(
        default=None,
        description='The previous response\'s `parameters`: the prompt then refines them ("more upbeat", "no rap")',
    )
    fresh: bool = Field(default=False, description="Avoid the tracks of your recent playlists")
    taste: bool | None = Field(
        default=None,
        description="Lean the playlist to your taste profile (GET /me/taste); default: on when you have one",
    )
    discover: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="With taste: 0 the artists you play, 1 artists new to you near them (0.3)",
    )

    @field_validator("prompt")
    @classmethod
    def _prompt(cls, value: str) -> str:
        value = plain_text(value).strip()
        if not value:
            raise ValueError(
                "is empty: describe the music you want, e.g. 'energetic music for working out'"
            )
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
            raise ValueError(
                "is empty: connect Spotify again, or leave the field out to skip Spotify"
            )
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
    """One track as the engine chose it (``PlaylistTrack.to_dict()``, in its order)."""

    # The core's dataclass is the one definition of a track; this mirrors it for answers and
    # the schema, and tests/service/test_models_match_core.py keeps the two equal.

    id: str
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
    reason: str = Field(
        default="",
        description="What this track does here: its role in the set and what of the request it answers",
    )
    year: int | None = Field(default=None, description="Release year, when the catalog knows it")
    transition: str = Field(
        default="", description="How it follows the previous track: keys, tempos, energy step"
    )
    uri: str


class InterpreterInfo(BaseModel):
    name: InterpreterName = Field(description="The interpreter that produced the parameters")
    requested: InterpreterName | ModelChoice
    model: str | None = Field(
        default=None, description="The Bedrock model that read the prompt, when one did"
    )
    fallback_reason: str | None = Field(
        default=None, description="Why Bedrock was not used, when it fell back"
    )
    cached: bool = False


class SpotifyInfo(BaseModel):
    playlist_id: str
    url: str
    added: int = Field(description="Tracks that reached the Spotify playlist")
    total: int
    version: int | None = Field(
        default=None,
        description="The playlist version the Spotify copy shows, once it followed a change",
    )


class VersionInfo(BaseModel):
    version: int = Field(description="1 for the playlist as first built, +1 per change")
    created_at: str = Field(description="ISO 8601 UTC")
    cause: str = Field(
        description="What made this version: created, edits, refine, extend, revert, refresh"
    )


class MovedTrack(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    track_id: str
    from_: int = Field(alias="from", description="0-based position in the previous version")
    to: int = Field(description="0-based position in this version")


class ScheduleInfo(BaseModel):
    every: Literal["day", "week"]
    status: Literal["active", "revoked", "failing"] = Field(
        description="revoked: Spotify no longer accepts the sign-in, so the schedule ended; sign in and schedule again"
    )
    next_due: str | None = Field(description="When the next fresh version is made (ISO 8601 UTC)")
    last_refresh_at: str | None = None
    failures: int = Field(
        default=0, description="Refreshes that failed in a row (each retried next round)"
    )
    message: str | None = None
    spotify_follows: bool = Field(
        default=False,
        description="A Spotify sign-in is stored (encrypted) so refreshes update the Spotify playlist",
    )


class PlaylistResponse(BaseModel):
    """A built playlist: ``POST /playlist`` and ``GET /playlists/{id}`` answer with this."""

    playlist_id: str = Field(
        description="Random UUID; the URL /playlists/{playlist_id} is the share link"
    )
    created_at: str = Field(description="ISO 8601 UTC")
    message: str
    name: str
    prompt: str
    playlist_url: str | None = Field(
        description="The Spotify playlist, or null when it was not sent to Spotify"
    )
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
    version: int = Field(
        default=1, description="The version shown (the current one unless ?version= asked)"
    )
    current_version: int = Field(default=1, description="The playlist's newest version")
    versions: list[VersionInfo] = Field(
        default_factory=list, description="Every version, oldest first"
    )
    cause: str = Field(default="created", description="What made the version shown")
    updated_at: str | None = Field(default=None, description="When the version shown was made")
    locked: list[str] = Field(
        default_factory=list, description="Track ids that survive refines and refreshes"
    )
    added: list[str] = Field(
        default_factory=list, description="Track ids this version added to the previous one"
    )
    removed: list[str] = Field(default_factory=list, description="Track ids this version dropped")
    moved: list[MovedTrack] = Field(
        default_factory=list, description="Kept tracks whose order changed"
    )
    schedule: ScheduleInfo | None = Field(
        default=None, description="The refresh schedule, when one is set"
    )
    edit_key: str | None = Field(
        default=None,
        description="Only in the answer that created a playlist without a sign-in, and only once: "
        "send it in the Edit-Key header to change the playlist; nobody else can. Keep it: the "
        "service stores only its digest and cannot show it again",
    )


class PlaylistSummary(BaseModel):
    playlist_id: str
    created_at: str
    name: str
    prompt: str
    playlist_url: str | None
    status: Literal["complete", "partial"]
    tracks_count: int
    interpreter: str
    version: int = 1
    updated_at: str | None = None


class PlaylistPage(BaseModel):
    items: list[PlaylistSummary] = Field(description="Newest first")
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page"
    )


class EditOp(BaseModel):
    """One change to the tracks; applied in order, before a prompt's refine."""

    model_config = ConfigDict(extra="forbid")

    op: Literal["remove", "swap", "lock", "unlock", "more_like", "move"] = Field(
        description="remove; swap (best replacement in place); lock/unlock (locked tracks survive refines and "
        "refreshes); more_like (add similar tracks after it); move (to position `to`)"
    )
    track_id: StrictStr = Field(
        min_length=1, max_length=64, description="A track of the current version"
    )
    to: StrictInt | None = Field(
        default=None, ge=0, description="move: the 0-based position to move the track to"
    )
    count: StrictInt | None = Field(
        default=None, ge=1, le=20, description="more_like: how many tracks to add (3)"
    )

    @model_validator(mode="after")
    def _move_needs_to(self) -> EditOp:
        if self.op == "move" and self.to is None:
            raise ValueError("a move needs 'to', the 0-based position the track goes to")
        return self


class _Caller(BaseModel):
    """Who asks: the owner check reads these (a bearer token works too)."""

    model_config = ConfigDict(extra="forbid")

    user_id: StrictStr | None = Field(
        default=None, max_length=128, description="Honoured only by a local server"
    )
    spotify_access_token: StrictStr | None = Field(
        default=None,
        max_length=4096,
        description="A Spotify user token: proves ownership, updates the Spotify copy",
    )

    @field_validator("spotify_access_token")
    @classmethod
    def _token(cls, value: str | None) -> str | None:
        if value is not None and not TOKEN_RE.match(value.strip()):
            raise ValueError(TOKEN_RULE)
        return value.strip() if value else None


class VersionRequest(_Caller):
    """``POST /playlists/{id}/versions``: edits, a refining prompt, or both (edits first)."""

    prompt: StrictStr | None = Field(
        default=None,
        description='Refine the playlist ("more upbeat"): tracks that still fit stay',
        json_schema_extra={"minLength": 1, "maxLength": MAX_PROMPT_CHARS},
    )
    edits: list[EditOp] = Field(default_factory=list, max_length=50)
    interpreter: InterpreterName | ModelChoice | None = None
    name: StrictStr | None = Field(
        default=None,
        description="Rename the playlist (alone: no new version, the tracks stay as they are)",
        json_schema_extra={"minLength": 1, "maxLength": 100},
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # a line break between two words leaves a space, never the two words joined
        cleaned = " ".join("".join(ch for ch in plain_text(value) if ch.isprintable()).split())[
            :100
        ]
        if not cleaned:
            raise ValueError('name: is empty; send the new name, e.g. "Sunday run"')
        return cleaned

    @field_validator("prompt")
    @classmethod
    def _prompt(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return PlaylistRequest._prompt(value)

    @model_validator(mode="after")
    def _something(self) -> VersionRequest:
        if self.prompt is None and not self.edits and self.name is None:
            raise ValueError(
                'send a "prompt", "edits" or a "name": e.g. {"edits": [{"op": "swap", "track_id": "..."}]}'
            )
        return self


class RevertRequest(_Caller):
    version: StrictInt = Field(
        ge=1, description="The version whose tracks come back (as a new version)"
    )


class ExtendRequest(_Caller):
    count: StrictInt | None = Field(default=None, ge=1, le=100, description="Tracks to add")
    minutes: StrictInt | float | None = Field(
        default=None, gt=0, le=360, description="Or: minutes to add"
    )

    @model_validator(mode="after")
    def _one(self) -> ExtendRequest:
        if (self.count is None) == (self.minutes is None):
            raise ValueError('give exactly one of "count" (tracks) or "minutes"')
        return self


class ScheduleRequest(_Caller):
    every: Literal["day", "week"] = Field(
        description="How often a fresh version is made from the prompt"
    )
    spotify_refresh_token: StrictStr | None = Field(
        default=None,
        max_length=4096,
        description="From the PKCE sign-in: lets refreshes update the Spotify playlist while you are away "
        "(stored encrypted, deleted when the schedule is)",
    )


class PlayRequest(_Caller):
    version: StrictInt | None = Field(
        default=None, ge=1, description="Which version to queue (the current one)"
    )


class LinkSpotifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: StrictStr = Field(
        min_length=1,
        max_length=4096,
        description="From the page's Spotify PKCE sign-in; stored sealed, deleted on sign-out",
    )


class SpotifyLinked(BaseModel):
    linked: bool
    spotify_user: str = Field(description="The Spotify account now linked to your sign-in")


class PlayResult(BaseModel):
    queued: int = Field(description="Tracks added to the Spotify queue")
    total: int
    message: str


class TokensDeleted(BaseModel):
    deleted: int = Field(ge=0, description="Spotify sign-ins deleted")


class TasteRef(BaseModel):
    """One artist or one genre (a catalog genre slug), for steering."""

    model_config = ConfigDict(extra="forbid")

    artist: StrictStr | None = Field(default=None, min_length=1, max_length=200)
    genre: StrictStr | None = Field(default=None, min_length=1, max_length=60)

    @model_validator(mode="after")
    def _one(self) -> TasteRef:
        if (self.artist is None) == (self.genre is None):
            raise ValueError(
                'give exactly one of "artist" or "genre", e.g. {"artist": "Portishead"}'
            )
        return self


class TastePatch(_Caller):
    """``PATCH /me/taste``: steer your taste ("more Portishead", "never country"), or switch it off."""

    more: list[TasteRef] = Field(default_factory=list, max_length=50)
    less: list[TasteRef] = Field(default_factory=list, max_length=50)
    never: list[TasteRef] = Field(default_factory=list, max_length=50)
    use: bool | None = Field(default=None, description="false: playlists ignore your taste")


class TasteArtist(BaseModel):
    name: str
    weight: float = Field(description="-1 (against) .. 1 (most favoured)")
    source: str = Field(
        description="Where it comes from: spotify_top_short|medium|long, spotify_recent, "
        "spotify_saved, kept, locked, removed, swapped, excluded, more, less"
    )


class TasteGenre(BaseModel):
    name: str = Field(description="A catalog genre slug")
    weight: float = Field(description="-1 .. 1, relative to your strongest genre")


class TasteNever(BaseModel):
    artists: list[str]
    genres: list[str]


class TasteView(BaseModel):
    """``GET /me/taste``: what AI DJ believes about you."""

    summary: str = Field(description="One or two sentences, in your language")
    artists: list[TasteArtist]
    genres: list[TasteGenre]
    never: TasteNever
    use: bool = Field(description="Whether playlists lean to it")
    updated_at: str | None = Field(description="Last change (ISO 8601 UTC); null: no profile")


class Health(BaseModel):
    status: Literal["ok"]
    catalog_tracks: int
    history: HistoryName
    interpreter: InterpreterName
    local_mode: bool
    checks: dict[str, str | float] | None = Field(
        default=None,
        description="With ?deep=1: history 'ok' and history_ms, the store's answer time",
    )


class SignInConfig(BaseModel):
    """Where the page signs users in (Cognito's hosted UI, Authorization Code + PKCE)."""

    domain: str | None = Field(
        description="The hosted UI, https://<prefix>.auth.<region>.amazoncognito.com"
    )
    client_id: str = Field(description="The page's public app client (no secret: PKCE)")
    anonymous: bool = Field(description="Whether playlists can be created without signing in")


class ClientConfig(BaseModel):
    spotify_client_id: str | None
    spotify_scopes: str
    sign_in: SignInConfig | None = Field(
        default=None, description="Present when the deployment signs users in"
    )
    model_choices: list[str] = Field(
        default_factory=list, description='What "interpreter" may name besides the backends'
    )
    platforms: list[str] = Field(
        default_factory=list,
        description="Where playlists can be delivered (POST /playlists/{id}/deliver): the page's Save to …",
    )
    google_client_id: str | None = Field(
        default=None,
        description="Google OAuth client for YouTube Music sign-in on the page (Authorization "
        "Code + PKCE; the code is exchanged at POST /auth/google/token)",
    )
    apple_music_developer_token: str | None = Field(
        default=None, description="Apple Music developer token for MusicKit JS on the page"
    )
    musickit_url: str | None = Field(
        default=None, description="Where the page loads MusicKit JS from (with Apple Music set up)"
    )


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. validation_error")
    message: str = Field(description="What went wrong and what to do next")
    request_id: str
    details: dict[str, Any] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def validation_message(exc: ValidationError, model: type[BaseModel] | None = None) -> str:
    """One readable sentence from a pydantic ``ValidationError``: field names and what they need."""
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        msg = err.get("msg", "invalid")
        if err.get("type") == "extra_forbidden":
            allowed = ", ".join((model or PlaylistRequest).model_fields)
            msg = f"unknown field (allowed: {allowed})"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        parts.append(f"{where}: {msg}")
    return "; ".join(parts)
