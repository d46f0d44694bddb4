"""The typed musical intent every interpreter produces and every ranker consumes.

Values arriving from anywhere (a keyword parser, an LLM, a JSON body) are clamped into
range rather than rejected: a prompt that asks for "energy 11/10" still deserves a playlist.
Unknown keys are ignored for the same reason.

A plain frozen dataclass, not a pydantic model: the core stays free of validation frameworks
(the CLI starts without importing one), and the service's pydantic models take it as a field
type at the HTTP edge. Every field is coerced by ``__post_init__``, so ``Intent(...)``,
``Intent.from_dict(...)`` and ``intent.replace(...)`` all give an intent that is in range.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

MIN_TRACKS = 1
MAX_TRACKS = 100
DEFAULT_TRACKS = 20
MAX_MINUTES = 360.0
MIN_TEMPO = 40.0
MAX_TEMPO = 220.0
# seasonal themes a prompt can ask for and the catalog can recognise (aidj.seasons)
SEASONS = ("christmas",)
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


def _unit(value: Any) -> float | None:
    if type(value) is float and 0.0 < value < 1.0:
        return round(value, 3)  # an interpreter's value (most): what clamping it leaves as is
    number = _finite(value)
    return None if number is None else round(_clamp(number, 0.0, 1.0), 3)


def _bpm(value: Any) -> float | None:
    number = _finite(value)
    return None if number is None or number <= 0 else round(_clamp(number, MIN_TEMPO, MAX_TEMPO), 1)


def _percent(value: Any) -> int | None:
    number = _finite(value)
    return None if number is None else int(_clamp(round(number), 0, 100))


def _limit(value: Any) -> int | None:
    number = _finite(value)
    return None if number is None else int(_clamp(round(number), MIN_TRACKS, MAX_TRACKS))


def _minutes(value: Any) -> float | None:
    number = _finite(value)
    return None if number is None or number <= 0 else round(_clamp(number, 3.0, MAX_MINUTES), 1)


def _track_cap(value: Any) -> int | None:
    number = _finite(value)
    return None if number is None or number <= 0 else int(_clamp(round(number), 60, 3600))


def _year(value: Any) -> int | None:
    number = _finite(value)
    return None if number is None else int(_clamp(round(number), 1900, 2100))


def _language(value: Any) -> str | None:
    if isinstance(value, str) and 2 <= len(value.strip()) <= 3 and value.strip().isalpha():
        return value.strip().lower()
    return None


def _unmet(value: Any) -> list[str]:
    return _clean_names(value, limit=10)


BOUNDED_FEATURES = ("energy", "valence", "danceability", "acousticness")


def _bounds(value: Any) -> dict[str, list[float | None]]:
    """{feature: [lo, hi]}: unit features clamped to 0..1, tempo to BPM; lo <= hi; empty dropped."""
    if not isinstance(value, Mapping):
        return {}
    out: dict[str, list[float | None]] = {}
    for name in (*BOUNDED_FEATURES, "tempo"):
        pair = value.get(name)
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            continue
        coerce = _bpm if name == "tempo" else _unit
        lo, hi = coerce(pair[0]), coerce(pair[1])
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        if lo is not None or hi is not None:
            out[name] = [lo, hi]
    return out


def _groups(value: Any) -> list[list[str]]:
    if not isinstance(value, (list, tuple)):
        return []
    groups = [[g.lower() for g in _clean_names(group, limit=12)] for group in value[:6]]
    return [g for g in groups if g]


def _genres(value: Any) -> list[str]:
    return [g.lower() for g in _clean_names(value, limit=12)]


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        return "AI DJ Mix"
    # breaks become spaces first (a name is one line), then what cannot be printed goes
    joined = " ".join(value.split())
    # (most names are printable throughout: one test in C instead of one per character)
    cleaned = joined if joined.isprintable() else "".join(ch for ch in joined if ch.isprintable())
    return " ".join(cleaned.split())[:100] or "AI DJ Mix"


def _mood(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value.split())[:40].lower()


def _mode(value: Any) -> str | None:
    if isinstance(value, str) and value.strip().lower() in ("major", "minor"):
        return value.strip().lower()
    return None


def _explicit(value: Any) -> bool:
    return value if isinstance(value, bool) else True


def _arc(value: Any) -> EnergyArc:
    try:
        return EnergyArc(value)
    except ValueError:
        return EnergyArc.FLAT


def _arc_by(value: Any) -> str:
    return value if value in ("energy", "tempo") else "energy"


def _familiarity(value: Any) -> float | None:
    return _unit(value)


def _covers(value: Any) -> bool:
    return value if isinstance(value, bool) else False


def _seasons(value: Any) -> list[str]:
    # only seasons the catalog can tell: an unknown one ("summer") would change nothing but
    # still turn a genre-free set away from its coherent region
    return [s.lower() for s in _clean_names(value, limit=4) if s.lower() in SEASONS]


def _param(
    coerce: Callable[[Any], Any], description: str = "", *, default: Any = None, factory: Any = None
) -> Any:
    """A field with its coercion and its description (read by the service's JSON schemas)."""
    metadata: dict[str, Any] = {"coerce": coerce}
    if description:  # pydantic reads it into the service's JSON schemas
        metadata["description"] = description
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, slots=True)
class Intent:
    """Musical parameters for one playlist. Every field has a sane default."""

    playlist_name: str = _param(_name, "playlist name, at most 100 characters", default="AI DJ Mix")
    genres: list[str] = _param(_genres, "catalog genre slugs wanted", factory=list)
    genre_groups: list[list[str]] = _param(
        _groups,
        "the genres grouped by the words that named them; two or more unrelated groups "
        "('k-pop and metal') are a mix, and each gets its share of the playlist",
        factory=list,
    )
    exclude_genres: list[str] = _param(_genres, factory=list)
    mood: str | None = _param(_mood, "short mood label, e.g. 'calm'")

    energy: float | None = _param(_unit)
    danceability: float | None = _param(_unit)
    valence: float | None = _param(_unit)
    acousticness: float | None = _param(_unit)
    instrumentalness: float | None = _param(_unit)
    speechiness: float | None = _param(_unit)

    tempo: float | None = _param(_bpm, "target BPM")
    tempo_min: float | None = _param(_bpm)
    tempo_max: float | None = _param(_bpm)

    popularity: int | None = _param(_percent, "target popularity 0-100")
    min_popularity: int | None = _param(_percent, "hard floor 0-100")

    mode: Literal["major", "minor"] | None = _param(_mode)
    explicit: bool = _param(_explicit, "whether explicit tracks are allowed", default=True)
    exclude_artists: list[str] = _param(_clean_names, factory=list)
    seed_artists: list[str] = _param(_clean_names, factory=list)

    arc: EnergyArc = _param(_arc, default=EnergyArc.FLAT)
    arc_by: Literal["energy", "tempo"] = _param(
        _arc_by, "what the arc moves: energy or tempo", default="energy"
    )
    limit: int | None = _param(_limit, "number of tracks")
    duration_minutes: float | None = _param(_minutes, "total length")
    max_track_seconds: int | None = _param(_track_cap, "longest a single track may be")

    year_min: int | None = _param(_year, "earliest release year wanted (an era)")
    year_max: int | None = _param(_year, "latest release year wanted")

    language: str | None = _param(_language, "ISO 639-1 code of the prompt's language")
    unmet: list[str] = _param(
        _unmet,
        "what the prompt asked that the catalog or interpreter cannot honour, as codes "
        "(see aidj.notices); each becomes a plain sentence in the answer's notices",
        factory=list,
    )
    # parse (issue 23): hedges bound a feature without inverting the mood
    bounds: dict[str, list[float | None]] = _param(
        _bounds,
        "feature -> [lo, hi] limits from hedges, either may be null: 'not too loud' -> "
        '{"energy": [null, 0.7]}, \'not gloomy\' -> {"valence": [0.3, null]}; features: '
        + ", ".join(BOUNDED_FEATURES)
        + " (0..1) and tempo (BPM). Soft but strong: tracks outside are pushed far down, and "
        "the mood's own targets are kept inside them, never inverted",
        factory=dict,
    )
    # occasions (issue 23): how known the songs should be, covers, seasonal songs
    familiarity: float | None = _param(
        _familiarity,
        "how well known the songs should be: 0 = deep cuts, 1 = songs everyone knows "
        "(office parties, sing-alongs, karaoke, weddings, a drive with the grandparents); "
        "null when the prompt does not say",
    )
    covers: bool = _param(
        _covers,
        "whether several renditions of one song may appear (only when covers or versions are "
        "asked for: 'covers of', 'versiones de'); false = each song once across all artists",
        default=False,
    )
    seasons: list[str] = _param(
        _seasons,
        "seasonal themes the prompt asks for, e.g. ['christmas']; when empty, seasonal songs "
        "(Christmas songs) are left out",
        factory=list,
    )

    # genre map (issue 23): a place or language that must hold together with the style
    scenes: list[str] = _param(
        _genres,
        "places, languages or scenes that must hold TOGETHER with the genres (an intersection): "
        "'Swedish metal' is genres ['metal', ...] with scenes ['swedish'], 'German rap' is "
        "genres ['hip-hop'] with scenes ['german']; nationality words as in the catalog's "
        "regional labels ('swedish', 'german', 'turkish', 'spanish', 'french', 'brazil', "
        "'indian', ...) or ISO 639-1 codes. Leave empty when no place is named: a style then "
        "plays its international core",
        factory=list,
    )

    def __post_init__(self) -> None:
        for name, coerce, default, _ in _COERCIONS:
            value = getattr(self, name)
            # a field left at its immutable default is already what coercing it gives
            # (coercion is idempotent): most of an intent's ~35 fields are, on every prompt
            if value is not default:
                object.__setattr__(self, name, coerce(value))
        self._order_ranges()

    def _order_ranges(self) -> None:
        """A range given the wrong way round ("from 2000 to 1990") is read the right way."""
        for lo_name, hi_name in (("tempo_min", "tempo_max"), ("year_min", "year_max")):
            lo, hi = getattr(self, lo_name), getattr(self, hi_name)
            if lo is not None and hi is not None and lo > hi:
                object.__setattr__(self, lo_name, hi)
                object.__setattr__(self, hi_name, lo)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Intent:
        """An intent from JSON-like data (an LLM's tool input, a stored record, a request body);
        unknown keys are ignored and every value is coerced into range."""
        if not isinstance(data, Mapping):
            return cls()
        # The intent ``cls(**known keys)`` gives, each field set once: through ``__init__`` every
        # field was set, then set again coerced. A field absent takes its default (a fresh
        # empty list or dict from a factory is already what coercing one gives).
        intent = object.__new__(cls)
        get, set_field = data.get, object.__setattr__  # looked up once, not once a field
        for name, coerce, default, factory in _COERCIONS:
            value = get(name, default)  # a factory field's default is _UNSET: never given
            if value is not default:
                value = coerce(value)
            elif factory is not None:
                value = factory()
            set_field(intent, name, value)
        intent._order_ranges()
        return intent

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values, fields in declaration order (the wire's ``parameters``)."""
        out: dict[str, Any] = {}
        for name in FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, Enum):
                value = value.value
            elif isinstance(value, list):
                value = [list(v) if isinstance(v, list) else v for v in value]
            elif isinstance(value, dict):
                value = {k: list(v) for k, v in value.items()}
            out[name] = value
        return out

    def to_json(self) -> str:
        """Compact JSON of :meth:`to_dict` (what an LLM is shown as the current parameters)."""
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)

    def replace(self, **changes: Any) -> Intent:
        """A copy with ``changes`` applied and coerced like any other input."""
        unknown = sorted(set(changes) - set(FIELD_NAMES))
        if unknown:
            raise TypeError(f"Intent has no field(s) {unknown}")
        return dataclasses.replace(self, **changes)

    @property
    def track_count(self) -> int:
        """How many tracks to aim for when no duration is asked."""
        return self.limit if self.limit is not None else DEFAULT_TRACKS

    def targets(self) -> dict[str, float]:
        """The 0..1 audio-feature targets that were actually set."""
        return {name: value for name in UNIT_FEATURES if (value := getattr(self, name)) is not None}


_FIELDS = dataclasses.fields(Intent)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in _FIELDS)
_UNSET = object()  # a default no value can be: fields with a factory are always coerced
# per field: its name, coercion, immutable default (or _UNSET) and default factory (or None)
_COERCIONS: tuple[tuple[str, Callable[[Any], Any], Any, Callable[[], Any] | None], ...] = tuple(
    (
        f.name,
        f.metadata["coerce"],
        f.default if f.default is not dataclasses.MISSING else _UNSET,
        f.default_factory if f.default_factory is not dataclasses.MISSING else None,
    )
    for f in _FIELDS
)
