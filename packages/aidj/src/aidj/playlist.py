"""The result of building a playlist: chosen tracks in DJ order plus quality stats."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from itertools import chain, repeat
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
    def from_columns(cls, *columns: Sequence[Any]) -> list[PlaylistTrack]:
        """One track per position, ``columns`` holding every field in declaration order: what
        ``map(PlaylistTrack, *columns)`` gives. The frozen ``__init__`` makes 19 Python-level
        ``object.__setattr__`` calls a track (a fifth of describing a playlist); here each
        field is filled for every track by its slot's own setter, all in one C-level loop (a
        loop per field cost a sixth more)."""
        if len(columns) != len(_SLOT_SETTERS):
            raise ValueError(f"one column per field: {len(_SLOT_SETTERS)}, got {len(columns)}")
        count = len(columns[0]) if columns else 0
        if any(len(column) != count for column in columns):
            raise ValueError("every column needs one value per track")
        tracks: list[PlaylistTrack] = list(map(object.__new__, repeat(cls, count)))
        # each field's setter over the tracks and that field's column, the maps run back to
        # back by one deque that keeps nothing
        fills = map(map, _SLOT_SETTERS, repeat(tracks), columns)
        deque(chain.from_iterable(fills), maxlen=0)
        return tracks

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlaylistTrack:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


_TRACK_FIELDS = tuple(f.name for f in fields(PlaylistTrack))
# the slots' member descriptors set a frozen instance's fields as its __init__ does
_SLOT_SETTERS = tuple(PlaylistTrack.__dict__[name].__set__ for name in _TRACK_FIELDS)


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
