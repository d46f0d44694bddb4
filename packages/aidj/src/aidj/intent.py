"""The typed musical intent every interpreter produces and every ranker consumes.

Values arriving from anywhere (a keyword parser, an LLM, a JSON body) are clamped into
range rather than rejected: a prompt that asks for "energy 11/10" still deserves a playlist.
Unknown keys are ignored for the same reason.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MIN_TRACKS = 1
MAX_TRACKS = 100
DEFAULT_TRACKS = 20
MAX_MINUTES = 360.0
MIN_TEMPO = 40.0
MAX_TEMPO = 220.0
UNIT_FEATURES = (
    "energy",
    "danceability",
    "valence",
    "acousticness",
    "instrumentalness",
    "speechiness",
)


class EnergyArc(str, Enum):  # noqa: UP042  (StrEnum would change str(arc) in stored JSON and logs)
    """How energy should move across the playlist."""

    FLAT = "flat"
    BUILD_UP = "build_up"
    WIND_DOWN = "wind_down"
    PEAK = "peak"  # rise to the middle, then come down


def _clamp(value: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, value))


def _finite(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _clean_names(values: Any, limit: int = 20) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    seen: set[str] = set()
    for value in values if isinstance(values, (list, tuple, set)) else []:
        if not isinstance(value, str):
            continue
        name = " ".join(value.split())[:100]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out[:limit]


class Intent(BaseModel):
    """Musical parameters for one playlist. Every field has a sane default."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    playlist_name: str = Field(default="AI DJ Mix", max_length=100)
    genres: list[str] = Field(default_factory=list, description="catalog genre slugs wanted")
    genre_groups: list[list[str]] = Field(
        default_factory=list,
        description="the genres grouped by the words that named them; two or more unrelated groups "
        "('k-pop and metal') are a mix, and each gets its share of the playlist",
    )
    exclude_genres: list[str] = Field(default_factory=list)
    mood: str | None = Field(default=None, description="short mood label, e.g. 'calm'")

    energy: float | None = None
    danceability: float | None = None
    valence: float | None = None
    acousticness: float | None = None
    instrumentalness: float | None = None
    speechiness: float | None = None

    tempo: float | None = Field(default=None, description="target BPM")
    tempo_min: float | None = None
    tempo_max: float | None = None

    popularity: int | None = Field(default=None, description="target popularity 0-100")
    min_popularity: int | None = Field(default=None, description="hard floor 0-100")

    mode: Literal["major", "minor"] | None = None
    explicit: bool = Field(default=True, description="whether explicit tracks are allowed")
    exclude_artists: list[str] = Field(default_factory=list)
    seed_artists: list[str] = Field(default_factory=list)

    arc: EnergyArc = EnergyArc.FLAT
    arc_by: Literal["energy", "tempo"] = Field(
        default="energy", description="what the arc moves: energy or tempo"
    )
    limit: int | None = Field(default=None, description="number of tracks")
    duration_minutes: float | None = Field(default=None, description="total length")
    max_track_seconds: int | None = Field(default=None, description="longest a single track may be")

    year_min: int | None = Field(default=None, description="earliest release year wanted (an era)")
    year_max: int | None = Field(default=None, description="latest release year wanted")

    language: str | None = Field(
        default=None, description="ISO 639-1 code of the prompt's language"
    )
    unmet: list[str] = Field(
        default_factory=list,
        description="what the prompt asked that the catalog or interpreter cannot honour, as codes "
        "(see aidj.notices); each becomes a plain sentence in the answer's notices",
    )

    @field_validator(*UNIT_FEATURES, mode="before")
    @classmethod
    def _unit(cls, value: Any) -> float | None:
        number = _finite(value)
        return None if number is None else round(_clamp(number, 0.0, 1.0), 3)

    @field_validator("tempo", "tempo_min", "tempo_max", mode="before")
    @classmethod
    def _bpm(cls, value: Any) -> float | None:
        number = _finite(value)
        return (
            None
            if number is None or number <= 0
            else round(_clamp(number, MIN_TEMPO, MAX_TEMPO), 1)
        )

    @field_validator("popularity", "min_popularity", mode="before")
    @classmethod
    def _percent(cls, value: Any) -> int | None:
        number = _finite(value)
        return None if number is None else int(_clamp(round(number), 0, 100))

    @field_validator("limit", mode="before")
    @classmethod
    def _limit(cls, value: Any) -> int | None:
        number = _finite(value)
        return None if number is None else int(_clamp(round(number), MIN_TRACKS, MAX_TRACKS))

    @field_validator("duration_minutes", mode="before")
    @classmethod
    def _minutes(cls, value: Any) -> float | None:
        number = _finite(value)
        return None if number is None or number <= 0 else round(_clamp(number, 3.0, MAX_MINUTES), 1)

    @field_validator("max_track_seconds", mode="before")
    @classmethod
    def _track_cap(cls, value: Any) -> int | None:
        number = _finite(value)
        return None if number is None or number <= 0 else int(_clamp(round(number), 60, 3600))

    @field_validator("year_min", "year_max", mode="before")
    @classmethod
    def _year(cls, value: Any) -> int | None:
        number = _finite(value)
        return None if number is None else int(_clamp(round(number), 1900, 2100))

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> str | None:
        if isinstance(value, str) and 2 <= len(value.strip()) <= 3 and value.strip().isalpha():
            return value.strip().lower()
        return None

    @field_validator("unmet", mode="before")
    @classmethod
    def _unmet(cls, value: Any) -> list[str]:
        return _clean_names(value, limit=10)

    @field_validator("genre_groups", mode="before")
    @classmethod
    def _groups(cls, value: Any) -> list[list[str]]:
        if not isinstance(value, (list, tuple)):
            return []
        groups = [[g.lower() for g in _clean_names(group, limit=12)] for group in value[:6]]
        return [g for g in groups if g]

    @field_validator("genres", "exclude_genres", mode="before")
    @classmethod
    def _genres(cls, value: Any) -> list[str]:
        return [g.lower() for g in _clean_names(value, limit=12)]

    @field_validator("exclude_artists", "seed_artists", mode="before")
    @classmethod
    def _artists(cls, value: Any) -> list[str]:
        return _clean_names(value)

    @field_validator("playlist_name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            return "AI DJ Mix"
        cleaned = "".join(ch for ch in value if ch.isprintable())
        return " ".join(cleaned.split())[:100] or "AI DJ Mix"

    @field_validator("mood", mode="before")
    @classmethod
    def _mood(cls, value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        return " ".join(value.split())[:40].lower()

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> str | None:
        if isinstance(value, str) and value.strip().lower() in ("major", "minor"):
            return value.strip().lower()
        return None

    @field_validator("explicit", mode="before")
    @classmethod
    def _explicit(cls, value: Any) -> bool:
        return value if isinstance(value, bool) else True

    @field_validator("arc", mode="before")
    @classmethod
    def _arc(cls, value: Any) -> EnergyArc:
        try:
            return EnergyArc(value)
        except ValueError:
            return EnergyArc.FLAT

    @field_validator("arc_by", mode="before")
    @classmethod
    def _arc_by(cls, value: Any) -> str:
        return value if value in ("energy", "tempo") else "energy"

    @model_validator(mode="after")
    def _ordered_ranges(self) -> Intent:
        for lo_name, hi_name in (("tempo_min", "tempo_max"), ("year_min", "year_max")):
            lo, hi = getattr(self, lo_name), getattr(self, hi_name)
            if lo is not None and hi is not None and lo > hi:
                object.__setattr__(self, lo_name, hi)
                object.__setattr__(self, hi_name, lo)
        return self

    @property
    def track_count(self) -> int:
        """How many tracks to aim for when no duration is asked."""
        return self.limit if self.limit is not None else DEFAULT_TRACKS

    def targets(self) -> dict[str, float]:
        """The 0..1 audio-feature targets that were actually set."""
        return {name: value for name in UNIT_FEATURES if (value := getattr(self, name)) is not None}
