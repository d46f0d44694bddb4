"""Signals: one thing a listener did or said, the only input a taste profile is built from.

Spotify's answers (top artists and tracks, recently played, saved tracks) arrive as the JSON
the Web API sends; AI DJ's own events (kept, locked, removed, swapped, excluded) and explicit
steering (more, less, never) are made here too, so every caller speaks one vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aidj.taste.profile import Source

# Spotify's time ranges (GET /me/top/{type}?time_range=...) and the source each one is.
TIME_RANGES: dict[str, Source] = {
    "short_term": Source.TOP_SHORT,
    "medium_term": Source.TOP_MEDIUM,
    "long_term": Source.TOP_LONG,
}


@dataclass(frozen=True, slots=True)
class Signal:
    """One piece of evidence. ``rank``: position in a ranked list (0 first: counts most)."""

    source: Source
    artists: tuple[str, ...] = ()
    genre: str | None = None
    track_id: str | None = None
    rank: int = 0


def _names(artists: Any) -> tuple[str, ...]:
    if not isinstance(artists, list):
        return ()
    return tuple(
        a["name"].strip()
        for a in artists
        if isinstance(a, Mapping) and isinstance(a.get("name"), str) and a["name"].strip()
    )


def _track_signal(track: Any, source: Source, rank: int) -> Signal | None:
    if not isinstance(track, Mapping):
        return None
    artists = _names(track.get("artists"))
    track_id = track.get("id") if isinstance(track.get("id"), str) else None
    if not artists and track_id is None:
        return None
    return Signal(source, artists, track_id=track_id, rank=rank)


def from_top_artists(items: Iterable[Any], time_range: str) -> list[Signal]:
    """``GET /me/top/artists`` items (artist objects, best first)."""
    source = TIME_RANGES[time_range]
    out = []
    for rank, item in enumerate(items):
        if isinstance(item, Mapping) and isinstance(item.get("name"), str) and item["name"].strip():
            out.append(Signal(source, (item["name"].strip(),), rank=rank))
    return out


def from_top_tracks(items: Iterable[Any], time_range: str) -> list[Signal]:
    """``GET /me/top/tracks`` items (track objects, best first)."""
    source = TIME_RANGES[time_range]
    return [s for rank, t in enumerate(items) if (s := _track_signal(t, source, rank))]


def from_recently_played(items: Iterable[Any]) -> list[Signal]:
    """``GET /me/player/recently-played`` items (``{"track": ..., "played_at": ...}``)."""
    return [
        s
        for item in items
        if isinstance(item, Mapping) and (s := _track_signal(item.get("track"), Source.RECENT, 0))
    ]


def from_saved_tracks(items: Iterable[Any]) -> list[Signal]:
    """``GET /me/tracks`` items (``{"added_at": ..., "track": ...}``)."""
    return [
        s
        for item in items
        if isinstance(item, Mapping) and (s := _track_signal(item.get("track"), Source.SAVED, 0))
    ]


def from_edit(source: Source, track_id: str, artists: Iterable[str]) -> Signal:
    """A track kept, locked, removed or swapped out in AI DJ."""
    if source not in (Source.KEPT, Source.LOCKED, Source.REMOVED, Source.SWAPPED):
        raise ValueError(f"{source.value} is not an edit; use kept, locked, removed or swapped")
    return Signal(source, tuple(artists), track_id=track_id)


def excluded(artists: Iterable[str]) -> list[Signal]:
    """Artists a prompt ruled out ("no Drake"): each a mild against; twice, a strong one."""
    return [Signal(Source.EXCLUDED, (name,)) for name in artists]


def steering(
    *,
    more: Iterable[Mapping[str, str]] = (),
    less: Iterable[Mapping[str, str]] = (),
    never: Iterable[Mapping[str, str]] = (),
) -> list[Signal]:
    """Explicit steering, as the API and the CLI take it: ``[{"artist": ...} | {"genre": ...}]``."""
    out: list[Signal] = []
    for source, items in ((Source.MORE, more), (Source.LESS, less), (Source.NEVER, never)):
        for item in items:
            artist, genre = item.get("artist"), item.get("genre")
            if artist:
                out.append(Signal(source, (artist.strip(),)))
            elif genre:
                out.append(Signal(source, genre=genre.strip().lower()))
    return out
