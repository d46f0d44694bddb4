"""A listener's taste as plain data: who and what they play, each with a weight and its sources.

A profile is folded from signals (see ``signals.py``) and stored; it is never rebuilt per
request. Everything here is ordered explicitly (sorted names, fixed source order), so two
processes folding the same signals store the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any


class Source(str, Enum):  # noqa: UP042  (values are stored; str(source) must stay the value)
    """Where a signal came from; the value is what a stored profile and the API show."""

    TOP_SHORT = "spotify_top_short"  # Spotify top items, last ~4 weeks
    TOP_MEDIUM = "spotify_top_medium"  # ~6 months
    TOP_LONG = "spotify_top_long"  # ~1 year
    RECENT = "spotify_recent"  # recently played
    SAVED = "spotify_saved"  # saved tracks (the library)
    KEPT = "kept"  # a track kept through an AI DJ edit
    LOCKED = "locked"  # a track locked in a living playlist
    REMOVED = "removed"  # a track removed in an edit
    SWAPPED = "swapped"  # a track swapped out
    EXCLUDED = "excluded"  # an artist ruled out in a prompt ("no Drake")
    MORE = "more"  # explicit steering from the page or the CLI
    LESS = "less"
    NEVER = "never"


# How much one signal moves an artist. Spotify's rankings say most; an explicit "more" says
# more than any of them, and what a person removes weighs against.
SIGNAL_WEIGHT: dict[Source, float] = {
    Source.TOP_SHORT: 1.0,
    Source.TOP_MEDIUM: 0.8,
    Source.TOP_LONG: 0.6,
    Source.RECENT: 0.25,
    Source.SAVED: 0.4,
    Source.KEPT: 0.3,
    Source.LOCKED: 0.5,
    Source.REMOVED: -0.4,
    Source.SWAPPED: -0.3,
    Source.EXCLUDED: -0.5,
    Source.MORE: 2.0,
    Source.LESS: -1.5,
    Source.NEVER: 0.0,  # not a weight: a ban (see TasteProfile.never_*)
}
SPOTIFY_SOURCES = frozenset(
    {Source.TOP_SHORT, Source.TOP_MEDIUM, Source.TOP_LONG, Source.RECENT, Source.SAVED}
)
# Sources saying "played lately": "things I haven't heard lately" steers away from them.
LATELY = frozenset({Source.TOP_SHORT, Source.RECENT})
# An artist excluded this many times is a strong against, whatever else says.
STRONG_AGAINST_EXCLUSIONS = 2
STRONG_AGAINST = -1.0
# A score this large reads as weight 1 (the most favoured); weights are score / SATURATION.
SATURATION = 3.0
_ORDER = {source: n for n, source in enumerate(Source)}


def weight_of(score: float) -> float:
    """A raw score as the -1..1 weight shown to people and used by the engine."""
    return round(max(-1.0, min(1.0, score / SATURATION)), 3)


@dataclass(frozen=True, slots=True)
class Entry:
    """One artist or genre: its display name, accumulated score and where that came from."""

    name: str
    score: float
    sources: tuple[str, ...] = ()  # Source values, in Source order
    exclusions: int = 0  # times ruled out in prompts

    @property
    def weight(self) -> float:
        if self.exclusions >= STRONG_AGAINST_EXCLUSIONS:
            return STRONG_AGAINST
        return weight_of(self.score)

    @property
    def source(self) -> str:
        """Where its weight comes from: explicit steering first, else the first source (in
        Source order) pulling the same way as the weight ("removed" for an artist now against)."""
        explicit = [s for s in self.sources if s in (Source.MORE.value, Source.LESS.value)]
        if explicit:
            return explicit[0]
        against = self.weight < 0
        same_way = [s for s in self.sources if (SIGNAL_WEIGHT[Source(s)] < 0) == against]
        return (same_way or list(self.sources) or [""])[0]

    def add(self, score: float, source: Source, exclusions: int = 0) -> Entry:
        sources = sorted({*self.sources, source.value}, key=lambda s: _ORDER[Source(s)])
        return Entry(
            self.name,
            round(self.score + score, 6),
            tuple(sources),
            self.exclusions + exclusions,
        )


@dataclass(frozen=True, slots=True)
class TasteProfile:
    """Everything AI DJ believes about one listener. Keys: ``catalog.artist_key`` of a name,
    genre slugs, decades (1990); ``centre``: weighted sums of audio features."""

    artists: dict[str, Entry] = field(default_factory=dict)
    genres: dict[str, Entry] = field(default_factory=dict)
    eras: dict[int, float] = field(default_factory=dict)
    centre: dict[str, float] = field(default_factory=dict)
    centre_weight: float = 0.0
    never_artists: tuple[str, ...] = ()  # display names, sorted
    never_genres: tuple[str, ...] = ()  # slugs, sorted
    use: bool = True
    signals: int = 0  # how many signals were folded in

    @property
    def empty(self) -> bool:
        return not (self.artists or self.genres or self.never_artists or self.never_genres)

    def ranked_artists(self, limit: int | None = None) -> list[Entry]:
        """Artists by weight, most favoured first (ties by name: stable across processes)."""
        ranked = sorted(self.artists.values(), key=lambda e: (-e.weight, e.name.casefold(), e.name))
        return ranked[:limit] if limit is not None else ranked

    def ranked_genres(self, limit: int | None = None) -> list[Entry]:
        ranked = sorted(self.genres.values(), key=lambda e: (-e.score, e.name))
        return ranked[:limit] if limit is not None else ranked

    def genre_weight(self, slug: str) -> float:
        """A genre's weight relative to the strongest one (explicit steering counts as is)."""
        entry = self.genres.get(slug)
        if entry is None:
            return 0.0
        top = max((e.score for e in self.genres.values() if e.score > 0), default=1.0)
        if Source.MORE.value in entry.sources or Source.LESS.value in entry.sources:
            return weight_of(entry.score)
        return round(max(-1.0, min(1.0, entry.score / top)), 3)

    def centre_features(self) -> dict[str, float]:
        """The audio-feature centre of what the listener plays (empty without any)."""
        if self.centre_weight <= 0:
            return {}
        return {k: round(v / self.centre_weight, 3) for k, v in sorted(self.centre.items())}

    def top_era(self) -> int | None:
        if not self.eras:
            return None
        return min(self.eras.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def with_use(self, use: bool) -> TasteProfile:
        return replace(self, use=use)

    # -- stored form -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON, every collection sorted: the stored form (SQLite row, DynamoDB item)."""
        return {
            "artists": [
                [key, e.name, e.score, list(e.sources), e.exclusions]
                for key, e in sorted(self.artists.items())
            ],
            "genres": [[key, e.score, list(e.sources)] for key, e in sorted(self.genres.items())],
            "eras": [[decade, round(w, 6)] for decade, w in sorted(self.eras.items())],
            "centre": {k: round(v, 6) for k, v in sorted(self.centre.items())},
            "centre_weight": round(self.centre_weight, 6),
            "never_artists": list(self.never_artists),
            "never_genres": list(self.never_genres),
            "use": self.use,
            "signals": self.signals,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> TasteProfile:
        """Read a stored profile; anything missing reads as empty."""
        if not data:
            return cls()
        return cls(
            artists={
                str(key): Entry(str(name), float(score), tuple(sources), int(excl))
                for key, name, score, sources, excl in data.get("artists", [])
            },
            genres={
                str(key): Entry(str(key), float(score), tuple(sources))
                for key, score, sources in data.get("genres", [])
            },
            eras={int(decade): float(w) for decade, w in data.get("eras", [])},
            centre={str(k): float(v) for k, v in dict(data.get("centre", {})).items()},
            centre_weight=float(data.get("centre_weight", 0.0)),
            never_artists=tuple(data.get("never_artists", ())),
            never_genres=tuple(data.get("never_genres", ())),
            use=bool(data.get("use", True)),
            signals=int(data.get("signals", 0)),
        )


def combine(imported: TasteProfile, own: TasteProfile) -> TasteProfile:
    """What a listener's imported profile (Spotify, rebuilt whole at each import) and their own
    (AI DJ events and steering, folded in as they happen) say together. Bans and the on/off
    switch are the listener's own; everything else adds up."""
    artists = _summed(imported.artists, own.artists)
    genres = _summed(imported.genres, own.genres)
    eras = dict(imported.eras)
    for decade, weight in own.eras.items():
        eras[decade] = round(eras.get(decade, 0.0) + weight, 6)
    centre = {
        name: round(imported.centre.get(name, 0.0) + own.centre.get(name, 0.0), 6)
        for name in sorted({*imported.centre, *own.centre})
    }
    return TasteProfile(
        artists=artists,
        genres=genres,
        eras=eras,
        centre=centre,
        centre_weight=round(imported.centre_weight + own.centre_weight, 6),
        never_artists=own.never_artists,
        never_genres=own.never_genres,
        use=own.use,
        signals=imported.signals + own.signals,
    )


def _summed(a: dict[str, Entry], b: dict[str, Entry]) -> dict[str, Entry]:
    out = dict(a)
    for key, entry in b.items():
        held = out.get(key)
        if held is None:
            out[key] = entry
            continue
        sources = sorted({*held.sources, *entry.sources}, key=lambda s: _ORDER[Source(s)])
        out[key] = Entry(
            held.name,
            round(held.score + entry.score, 6),
            tuple(sources),
            held.exclusions + entry.exclusions,
        )
    return out
