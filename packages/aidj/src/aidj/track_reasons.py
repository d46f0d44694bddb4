"""Why each track of a playlist is there (its ``reason``): its role in the set's shape, and what
of the request it answers ("opens low, deep-house, bright, upbeat (valence 0.81), clean").

What depends only on the request (which targets are worth naming, the tempo, clean and length
notes, the popularity ask, the roles of a set this long) is decided once per playlist; a
track adds only what it answers.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from itertools import islice

from aidj.intent import EnergyArc, Intent

_ROLES = {
    EnergyArc.BUILD_UP: ("opens low", "builds", "the top of the climb"),
    EnergyArc.WIND_DOWN: ("opens high", "winds down", "the last, calmest track"),
    EnergyArc.PEAK: ("opens low", "climbs", "the peak", "comes down", "closes calm"),
}
_TELLING = 0.12  # how far from the middle a target must be to be worth naming
_CLOSE = 0.15  # how near its target a track must be for the target to be its reason
_FEATURE_WORDS = {
    "energy": ("calm", "high-energy"),
    "valence": ("dark, moody", "bright, upbeat"),
    "danceability": ("loose rhythm", "danceable"),
    "acousticness": ("electronic", "acoustic"),
    "instrumentalness": ("vocal", "instrumental"),
    "speechiness": ("sung, little talk", "spoken word"),
}
_SHOWN_PARTS = 5  # a reason names at most this many things


@functools.lru_cache(maxsize=64)  # a few arcs times a few set lengths; read-only tuples
def roles(arc: EnergyArc, total: int) -> tuple[str, ...]:
    """What each position of a ``total``-track set does in its shape ("" for nothing)."""
    return tuple(_role(arc, position, total) for position in range(total))


def _role(arc: EnergyArc, position: int, total: int) -> str:
    if arc == EnergyArc.FLAT or total < 3:
        return (
            "opens the set" if position == 0 else "closes the set" if position == total - 1 else ""
        )
    words = _ROLES[arc]
    if arc == EnergyArc.PEAK:
        peak = (total - 1) / 2
        if position == 0:
            return words[0]
        if position == total - 1:
            return words[4]
        if abs(position - peak) <= 0.5:
            return words[2]
        return words[1] if position < peak else words[3]
    if position == 0:
        return words[0]
    return words[2] if position == total - 1 else words[1]


class Reasons:
    """The reasons of one request's tracks; :meth:`of` gives them for a playlist's rows."""

    def __init__(self, intent: Intent, targets: dict[str, float]) -> None:
        self.arc = intent.arc
        self.asked_genres = frozenset(intent.genres)  # membership only: order comes from rows
        self.seed_artists = intent.seed_artists
        self.era = intent.year_min is not None or intent.year_max is not None
        # A middling target says nothing to a listener, nor does speechiness unless speech
        # was asked. The most telling first (furthest from the middle, then by name): a track
        # names the first it answers
        telling = [
            (name, target)
            for name, target in targets.items()
            if abs(target - 0.5) >= _TELLING and (name != "speechiness" or target >= 0.3)
        ]
        telling.sort(key=lambda kv: (abs(kv[1] - 0.5), kv[0]), reverse=True)
        self.telling = [(name, target, _words(name, target)) for name, target in telling]
        self.tempo = (
            intent.tempo is not None or intent.tempo_min is not None or intent.tempo_max is not None
        )
        self.clean = not intent.explicit
        self.length = intent.max_track_seconds is not None
        wanted = intent.popularity
        self.hits = wanted is not None and wanted >= 60
        self.lesser = wanted is not None and wanted < 40

    def of(
        self,
        features: dict[str, list[float]],
        year: list[int],
        duration_ms: list[int],
        popularity: list[int],
        genres: Sequence[list[str]],
        artists: Sequence[list[str]],
    ) -> list[str]:
        """Every track's reason, in play order, from its columns as Python values (``features``
        holds at least tempo and the targets)."""
        total = len(genres)
        # one column per thing a reason may name, "" where a track does not answer it; a
        # track's reason is its first few answers in this order
        said: list[Sequence[str]] = [roles(self.arc, total)]
        if self.asked_genres:
            asked = self.asked_genres
            said.append(["/".join([g for g in labels if g in asked][:2]) for labels in genres])
        if self.seed_artists:
            seeds = self.seed_artists
            named = (any(a in seeds for a in credits) for credits in artists)
            said.append(["an artist you named" if hit else "" for hit in named])
        if self.era:
            said.append([f"from {y}" for y in year])
        if self.telling:
            said.append(self._told(features, total))
        if self.tempo:
            said.append([f"{t:.0f} BPM" for t in features["tempo"]])
        if self.clean:
            said.append(["clean"] * total)
        if self.length:
            said.append([f"{s // 60000}:{s // 1000 % 60:02d} long" for s in duration_ms])
        if self.hits:
            said.append([f"a hit (popularity {p})" if p >= 60 else "" for p in popularity])
        elif self.lesser:
            said.append(["a lesser-known pick" if p < 40 else "" for p in popularity])
        if len(said) > _SHOWN_PARTS:
            return [
                ", ".join(islice(filter(None, parts), _SHOWN_PARTS)) or "close overall match"
                for parts in zip(*said, strict=True)
            ]
        # as many columns as a reason may name: every answer is shown, no cut to make
        return [
            ", ".join(filter(None, parts)) or "close overall match"
            for parts in zip(*said, strict=True)
        ]

    def _told(self, features: dict[str, list[float]], total: int) -> list[str]:
        """The most telling feature each track answers, in words: "bright, upbeat (valence
        0.81)"; "" for a track near none of the telling targets."""
        told, left = [""] * total, range(total)
        for name, target, words in self.telling:
            values, missed = features[name], []
            for position in left:
                value = values[position]
                if abs(value - target) <= _CLOSE:
                    told[position] = f"{words} ({name} {value:.2f})"
                else:
                    missed.append(position)
            left = missed
        return told


def _words(name: str, target: float) -> str:
    low, high = _FEATURE_WORDS[name]
    return high if target >= 0.5 else low
