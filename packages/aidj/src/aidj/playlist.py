"""The result of building a playlist: chosen tracks in DJ order plus quality stats."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from aidj.intent import Intent


@dataclass(frozen=True, slots=True)
class PlaylistTrack:
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
    reason: str = ""
    year: int | None = None  # release year, when the catalog knows it
    transition: str = (
        ""  # how it follows the previous track: "8A → 9A, 124 → 126 BPM, energy +0.05"
    )

    @property
    def uri(self) -> str:
        return f"spotify:track:{self.id}"

    def to_dict(self) -> dict[str, Any]:
        """The one track shape: the API's answers, the CLI's JSON and the JSON export.

        Fields in declaration order, then ``uri``. Built by hand rather than with
        ``dataclasses.asdict``, whose deep copy was a tenth of a request's CPU.
        """
        data = {name: getattr(self, name) for name in _TRACK_FIELDS}
        data["artists"] = list(self.artists)
        data["genres"] = list(self.genres)
        data["uri"] = self.uri
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlaylistTrack:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


_TRACK_FIELDS = tuple(f.name for f in fields(PlaylistTrack))


@dataclass(slots=True)
class Playlist:
    intent: Intent
    tracks: list[PlaylistTrack]
    stats: dict[str, Any] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # plain sentences: what could not be honoured

    @property
    def name(self) -> str:
        return self.intent.playlist_name

    @property
    def duration_ms(self) -> int:
        return sum(t.duration_ms for t in self.tracks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameters": self.intent.to_dict(),
            "tracks": [t.to_dict() for t in self.tracks],
            "stats": self.stats,
            "notices": list(self.notices),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Playlist:
        """Rebuild a stored playlist (the shape :meth:`to_dict` writes)."""
        return cls(
            intent=Intent.from_dict(data.get("parameters") or {}),
            tracks=[PlaylistTrack.from_dict(t) for t in data.get("tracks") or []],
            stats=dict(data.get("stats") or {}),
            notices=[str(n) for n in data.get("notices") or []],
        )
