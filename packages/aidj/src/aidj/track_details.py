"""The chosen rows as the playlist shows them: each track's fields, why it is there (``reason``)
and how it follows the one before (``transition``).

Every column a playlist shows is read for all its rows in one numpy call and turned into Python
values once (``tolist`` gives the same floats and ints as reading row by row): reading ~20
numpy scalars per track, twice for the transitions, was a tenth of a build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aidj.catalog import Catalog
from aidj.intent import EnergyArc, Intent
from aidj.playlist import PlaylistTrack
from aidj.sequencing import camelot, harmonic, tempo_jump

# Always read: the track rows and the transitions show them.
_SHOWN_FEATURES = ("tempo", "energy", "danceability", "valence")

_ROLES = {
    EnergyArc.BUILD_UP: ("opens low", "builds", "the top of the climb"),
    EnergyArc.WIND_DOWN: ("opens high", "winds down", "the last, calmest track"),
    EnergyArc.PEAK: ("opens low", "climbs", "the peak", "comes down", "closes calm"),
}
_TELLING = 0.12  # how far from the middle a target must be to be worth naming
_FEATURE_WORDS = {
    "energy": ("calm", "high-energy"),
    "valence": ("dark, moody", "bright, upbeat"),
    "danceability": ("loose rhythm", "danceable"),
    "acousticness": ("electronic", "acoustic"),
    "instrumentalness": ("vocal", "instrumental"),
    "speechiness": ("sung, little talk", "spoken word"),
}


@dataclass(frozen=True, slots=True)
class _Columns:
    """The playlist's rows' columns as Python values, in play order."""

    features: dict[str, list[float]]
    tempo_shown: list[float]  # rounded as the rows show it (transitions read the same)
    key: list[int]
    mode: list[int]
    camelot: list[str]
    duration_ms: list[int]
    explicit: list[bool]
    popularity: list[int]
    year: list[int]

    @classmethod
    def of(cls, catalog: Catalog, idx: np.ndarray, names: Sequence[str]) -> _Columns:
        key, mode = catalog.key[idx].tolist(), catalog.mode[idx].tolist()
        features = {name: catalog.features[name][idx].tolist() for name in names}
        return cls(
            features=features,
            tempo_shown=[round(t, 1) for t in features["tempo"]],
            key=key,
            mode=mode,
            camelot=[camelot(k, m) for k, m in zip(key, mode, strict=True)],
            duration_ms=catalog.duration_ms[idx].tolist(),
            explicit=catalog.explicit[idx].tolist(),
            popularity=catalog.popularity[idx].tolist(),
            year=catalog.year[idx].tolist(),
        )


def describe_tracks(
    catalog: Catalog, intent: Intent, rows: Sequence[int], scores: np.ndarray
) -> list[PlaylistTrack]:
    """The playlist's tracks, ``rows`` in play order, each with its score from ``scores``."""
    if not rows:
        return []
    idx = np.asarray(rows, dtype=np.int64)
    targets = intent.targets()
    names = list(dict.fromkeys((*_SHOWN_FEATURES, *targets)))
    columns = _Columns.of(catalog, idx, names)
    genres = _genres_of_rows(catalog, idx)
    row_scores = scores[idx].tolist()
    f = columns.features
    tracks = []
    for position, i in enumerate(rows):
        artists = catalog.artists_of(i)
        tracks.append(
            PlaylistTrack(
                id=catalog.ids[i],
                name=catalog.names[i],
                artists=artists,
                album=catalog.albums[i],
                duration_ms=columns.duration_ms[position],
                explicit=bool(columns.explicit[position]),
                popularity=columns.popularity[position],
                genres=genres[position],
                tempo=columns.tempo_shown[position],
                key=columns.key[position],
                mode=columns.mode[position],
                camelot=columns.camelot[position],
                energy=round(f["energy"][position], 3),
                danceability=round(f["danceability"][position], 3),
                valence=round(f["valence"][position], 3),
                score=round(row_scores[position], 4),
                reason=_reason(
                    intent, targets, columns, position, len(rows), genres[position], artists
                ),
                year=columns.year[position] or None,
                transition="" if position == 0 else _transition(columns, position - 1, position),
            )
        )
    return tracks


def _genres_of_rows(catalog: Catalog, idx: np.ndarray) -> list[list[str]]:
    """Each row's genres, unpacked and listed in one call for the whole playlist (a nonzero per
    row was a tenth of the descriptions)."""
    n_genres = len(catalog.genres)
    bits = np.unpackbits(catalog.genre_bits[idx], axis=1, bitorder="little")[:, :n_genres]
    row, genre = np.divmod(np.flatnonzero(bits), n_genres)  # row by row, genres ascending
    names = [catalog.genres[g] for g in genre.tolist()]
    ends = np.cumsum(np.bincount(row, minlength=len(idx))).tolist()
    return [names[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def _transition(columns: _Columns, a: int, b: int) -> str:
    """How the track at position ``b`` follows ``a``, as a DJ reads it: keys, tempos, energy."""
    f = columns.features
    key_a, key_b = columns.camelot[a], columns.camelot[b]
    keys = f"{key_a or '?'} → {key_b or '?'}" + ("" if harmonic(key_a, key_b) else " (key change)")
    # rounded as the track rows show them, so "79 → 83" never contradicts a row's "82"
    ta, tb = columns.tempo_shown[a], columns.tempo_shown[b]
    tempos = f"{ta:.0f} → {tb:.0f} BPM"
    if tempo_jump(ta, tb) < abs(ta - tb) - 1:
        tempos += " (half/double time)"
    step = round(f["energy"][b] - f["energy"][a], 2)
    return f"{keys}, {tempos}, " + ("energy steady" if step == 0 else f"energy {step:+.2f}")


def _role(intent: Intent, position: int, total: int) -> str:
    """What this position does in the set's shape."""
    if intent.arc == EnergyArc.FLAT or total < 3:
        return (
            "opens the set" if position == 0 else "closes the set" if position == total - 1 else ""
        )
    roles = _ROLES[intent.arc]
    if intent.arc == EnergyArc.PEAK:
        peak = (total - 1) / 2
        if position == 0:
            return roles[0]
        if position == total - 1:
            return roles[4]
        if abs(position - peak) <= 0.5:
            return roles[2]
        return roles[1] if position < peak else roles[3]
    if position == 0:
        return roles[0]
    return roles[2] if position == total - 1 else roles[1]


def _reason(
    intent: Intent,
    targets: dict[str, float],
    columns: _Columns,
    position: int,
    total: int,
    genres: list[str],
    artists: list[str],
) -> str:
    """What this track does here: its role in the set, and what of the request it answers."""
    f = columns.features
    parts: list[str] = []
    role = _role(intent, position, total)
    if role:
        parts.append(role)
    matched = [g for g in genres if g in intent.genres]
    if matched:
        parts.append("/".join(matched[:2]))
    if intent.seed_artists and any(a in intent.seed_artists for a in artists):
        parts.append("an artist you named")
    if intent.year_min is not None or intent.year_max is not None:
        parts.append(f"from {columns.year[position]}")
    # the most telling feature this track answers, in words: "bright, upbeat (valence 0.81)".
    # A middling target says nothing to a listener, nor does speechiness unless speech was asked
    telling = {
        name: target
        for name, target in targets.items()
        if abs(target - 0.5) >= _TELLING
        and (name != "speechiness" or target >= 0.3)
        and abs(f[name][position] - target) <= 0.15
    }
    if telling:
        name, target = max(telling.items(), key=lambda kv: (abs(kv[1] - 0.5), kv[0]))
        low, high = _FEATURE_WORDS[name]
        parts.append(f"{high if target >= 0.5 else low} ({name} {f[name][position]:.2f})")
    if intent.tempo is not None or intent.tempo_min is not None or intent.tempo_max is not None:
        parts.append(f"{f['tempo'][position]:.0f} BPM")
    if not intent.explicit:
        parts.append("clean")
    if intent.max_track_seconds is not None:
        seconds = columns.duration_ms[position] // 1000
        parts.append(f"{seconds // 60}:{seconds % 60:02d} long")
    popularity = columns.popularity[position]
    if intent.popularity is not None and intent.popularity >= 60 and popularity >= 60:
        parts.append(f"a hit (popularity {popularity})")
    elif intent.popularity is not None and intent.popularity < 40 and popularity < 40:
        parts.append("a lesser-known pick")
    return ", ".join(parts[:5]) or "close overall match"
