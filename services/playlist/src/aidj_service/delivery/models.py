"""The delivery request and answer bodies (pydantic): one request shape per platform.

``POST /playlists/{id}/deliver`` takes :class:`DeliverRequest`, a union told apart by its
``platform`` field, so the OpenAPI document shows each platform's own body (``oneOf`` with a
discriminator) and a request naming one platform with another's fields fails validation.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictInt,
    StrictStr,
    field_validator,
)

from aidj.matching import Wanted

# RFC 6750 b64token, as the API's Spotify token rule: anything else could not travel in a header.
_TOKEN = re.compile(r"^[A-Za-z0-9\-._~+/]+=*$")


def _token(value: str, what: str) -> str:
    if not _TOKEN.match(value.strip()):
        raise ValueError(f"is not {what} (letters, digits and -._~+/ only): sign in again")
    return value.strip()


class _Delivery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: StrictInt | None = Field(
        default=None, ge=1, description="Which version to deliver (default: the current one)"
    )


class SpotifyDelivery(_Delivery):
    platform: Literal["spotify"]
    spotify_access_token: StrictStr | None = Field(
        default=None,
        max_length=4096,
        description="The listener's Spotify token (default: the Authorization: Bearer header)",
    )

    @field_validator("spotify_access_token")
    @classmethod
    def _check(cls, value: str | None) -> str | None:
        return None if value is None else _token(value, "a Spotify access token")


class AppleMusicDelivery(_Delivery):
    platform: Literal["apple_music"]
    music_user_token: StrictStr = Field(
        max_length=4096,
        description="The listener's Music User Token from MusicKit JS (music.authorize())",
    )

    @field_validator("music_user_token")
    @classmethod
    def _check(cls, value: str) -> str:
        return _token(value, "a Music User Token")


class YouTubeMusicDelivery(_Delivery):
    platform: Literal["youtube_music"]
    google_access_token: StrictStr = Field(
        max_length=4096,
        description="The listener's Google OAuth access token, scope https://www.googleapis.com/auth/youtube",
    )

    @field_validator("google_access_token")
    @classmethod
    def _check(cls, value: str) -> str:
        return _token(value, "a Google access token")


class SubsonicDelivery(_Delivery):
    platform: Literal["subsonic"]
    subsonic_url: StrictStr | None = Field(
        default=None,
        max_length=2048,
        description="The server (only where the service allows a request to name one; default: the configured server)",
    )
    subsonic_user: StrictStr | None = Field(
        default=None, max_length=256, description="An account on the server (default: configured)"
    )
    subsonic_password: StrictStr | None = Field(
        default=None,
        max_length=1024,
        description="Its password: sent as md5(password + salt) with a fresh salt, never itself",
    )


class DeliverRequest(
    RootModel[
        Annotated[
            SpotifyDelivery | AppleMusicDelivery | YouTubeMusicDelivery | SubsonicDelivery,
            Field(discriminator="platform"),
        ]
    ]
):
    """``POST /playlists/{id}/deliver``: where to, and the listener's sign-in there."""

    def credentials(self) -> dict[str, str]:
        """The sign-in fields as the platform registry reads them (unset ones left out)."""
        fields = self.root.model_dump(exclude={"platform", "version"}, exclude_none=True)
        return {name: str(value) for name, value in fields.items()}


class MatchInfo(BaseModel):
    track_id: str = Field(description="Our (Spotify) track id")
    target_id: str = Field(description="The platform's id for the same recording")
    confidence: float = Field(ge=0, le=1, description="How sure the match is (0.8 at least)")


class UnmatchedInfo(BaseModel):
    track_id: str
    name: str
    artists: list[str]
    reason: Literal[
        "not_found",
        "other_artist",
        "title_differs",
        "other_version",
        "duration_differs",
        "low_confidence",
    ] = Field(description="Why no candidate was taken: a stable code for programs")
    why: str = Field(
        description="The same as a sentence in the playlist's language, naming the closest "
        "candidate (English when the prompt's language has no sentences)"
    )


class DeliveryResponse(BaseModel):
    platform: str
    url: str | None = Field(description="Where to open the playlist (null: nothing was found)")
    target_id: str | None = Field(description="The playlist's id on the platform")
    matched: int = Field(description="Tracks added")
    matches: list[MatchInfo]
    unmatched: list[UnmatchedInfo] = Field(description="Tracks left out, each with why")
    notices: list[str] = Field(
        description="Plain sentences in the playlist's language: how many were left out"
    )
    usage: dict[str, int] = Field(
        description='What the delivery cost on metered APIs: YouTube {"quota_units": N}'
    )


def wanted_tracks(tracks: list[dict[str, Any]]) -> tuple[Wanted, ...]:
    """A stored playlist's tracks (``PlaylistTrack.to_dict`` shape) as delivery searches for them."""
    return tuple(
        Wanted(
            track_id=str(t["id"]),
            name=str(t.get("name") or ""),
            artists=tuple(str(a) for a in t.get("artists") or ()),
            duration_ms=int(t["duration_ms"]) if t.get("duration_ms") else None,
            album=str(t.get("album") or ""),
        )
        for t in tracks
    )
