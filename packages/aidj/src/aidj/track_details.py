"""The chosen rows as the playlist shows them: each track's fields, why it is there (``reason``,
see :mod:`aidj.track_reasons`) and how it follows the one before (``transition``).

Every column a playlist shows is read for all its rows at once and turned into Python values
once (``tolist`` gives the same floats and ints as reading row by row; ``strings_at`` the same
strings): a track's ~20 numpy scalars and four string slices, and a hundred round() calls a
playlist, were a third of a genre prompt's build.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from aidj.catalog import Catalog, credited, strings_at
from aidj.intent import Intent
from aidj.playlist import PlaylistTrack
from aidj.sequencing import camelot, harmonic, neighbour_jumps
from aidj.track_reasons import Reasons

# The numbers a row shows, in this order, rounded to these digits as Python's round() does.
_SHOWN_DIGITS = {"tempo": 1, "energy": 3, "danceability": 3, "valence": 3, "score": 4}
# Always read: the track rows and the transitions show them.
_SHOWN_FEATURES = tuple(name for name in _SHOWN_DIGITS if name != "score")
_COUNTS = ("key", "mode", "duration_ms", "popularity", "year")
_SHOWN_SCALE = 10.0 ** np.array(list(_SHOWN_DIGITS.values()), dtype=np.float64)[:, None]


def describe_tracks(
    catalog: Catalog,
    intent: Intent,
    rows: Sequence[int],
    scores: np.ndarray,
    codes: list[str] | None = None,
) -> list[PlaylistTrack]:
    """The playlist's tracks, ``rows`` in play order, each with its score from ``scores``;
    ``codes``: their Camelot codes when the caller has them (ordering read them already)."""
    if not rows:
        return []
    idx = np.asarray(rows, dtype=np.int64)
    targets = intent.targets()
    # the shown features gathered once: their float64 rows are rounded, and give the same
    # Python floats the float32 columns' own tolist gives
    values = np.array(
        [*(catalog.features[name][idx] for name in _SHOWN_FEATURES), scores[idx]],
        dtype=np.float64,
    )
    features = dict(zip(_SHOWN_FEATURES, values.tolist(), strict=False))
    for name in targets:
        if name not in features:
            features[name] = catalog.features[name][idx].tolist()
    key, mode, duration_ms, popularity, year = (
        getattr(catalog, name)[idx].tolist() for name in _COUNTS
    )
    explicit = catalog.explicit[idx].astype(bool).tolist()
    shown = _rounded(values)
    tempo, energy, danceability, valence, score = shown.tolist()
    if codes is None:
        codes = list(map(camelot, key, mode))
    ids, names, albums = (
        strings_at(column, idx) for column in (catalog.ids, catalog.names, catalog.albums)
    )
    artists = [credited(s) for s in strings_at(catalog.artist_strings, idx)]
    genres = _genres_of_rows(catalog, idx)
    reasons = Reasons(intent, targets).of(features, year, duration_ms, popularity, genres, artists)
    # rounded as the track rows show them, so "79 → 83" never contradicts a row's "82"
    transitions = _transitions(codes, shown[0], values[1])
    # one column per field in declaration order: binding 19 keywords a track, then the frozen
    # __init__'s setattr calls, were half of building the tracks
    return PlaylistTrack.from_columns(
        ids,
        names,
        artists,
        albums,
        duration_ms,
        explicit,
        popularity,
        genres,
        tempo,
        key,
        mode,
        codes,
        energy,
        danceability,
        valence,
        score,
        reasons,
        [y or None for y in year],
        transitions,
    )


def _rounded(values: np.ndarray) -> np.ndarray:
    """``round(v, digits)`` of every value, row by row the digits of ``_SHOWN_DIGITS``, exactly
    as Python's round gives it, in a few numpy calls instead of a hundred round() calls.

    round() returns the double nearest the decimal ``k / 10**d``, ``k`` being ``v * 10**d``
    rounded half to even; ``rint(v * 10**d) / 10**d`` is that same double (an exact integer over
    an exact power of ten, correctly rounded) whenever the product's own rounding error cannot
    move it across a half. Only a value within 1e-6 of a half, or too large for that margin,
    can be moved: those few go through round() itself.
    """
    scaled = values * _SHOWN_SCALE
    whole = np.rint(scaled)
    out = whole / _SHOWN_SCALE
    with np.errstate(invalid="ignore"):  # inf - inf: an infinite value is left to round()
        unsure = (np.abs(np.abs(scaled - whole) - 0.5) < 1e-6) | (np.abs(scaled) >= 2.0**31)
    if unsure.any():
        digits = list(_SHOWN_DIGITS.values())
        for r, c in zip(*np.nonzero(unsure), strict=True):
            out[r, c] = round(float(values[r, c]), digits[r])
    return out


def _genres_of_rows(catalog: Catalog, idx: np.ndarray) -> list[list[str]]:
    """Each row's genres, ascending: its genre bits read as one Python int, lowest set bit
    first (a track has a few genres; unpacking ~140 bits a row in numpy cost more)."""
    genres = catalog.genres
    bits = catalog.genre_bits[idx]
    width, data = bits.shape[1], bits.tobytes()
    if width == 0:
        return [[] for _ in range(len(idx))]
    vocabulary = (1 << len(genres)) - 1  # the bits past the last genre pad a byte
    listed = []
    for start in range(0, len(data), width):
        packed, names = int.from_bytes(data[start : start + width], "little") & vocabulary, []
        while packed:
            low = packed & -packed
            names.append(genres[low.bit_length() - 1])
            packed ^= low
        listed.append(names)
    return listed


def _transitions(codes: list[str], tempo: np.ndarray, energy: np.ndarray) -> list[str]:
    """How each track follows the one before, as a DJ reads it: keys, tempos, energy ("" for the
    first). ``tempo`` as the rows show it; Python's float arithmetic, done by numpy per pair."""
    # sequencing.tempo_jump: counting half- and double-time as a match
    jump, apart = neighbour_jumps(tempo)
    halved = [" (half/double time)" if h else "" for h in (jump < apart - 1).tolist()]
    bpm = [f"{t:.0f}" for t in tempo.tolist()]
    # f"{d:+.2f}" is f"{round(d, 2):+.2f}", and "±0.00" exactly when round(d, 2) == 0
    steps = [f"{d:+.2f}" for d in (energy[1:] - energy[:-1]).tolist()]
    return [""] + [
        f"{_keys_text(ka, kb)}, {ta} → {tb} BPM{h}, "
        + ("energy steady" if step[1:] == "0.00" else f"energy {step}")
        for ka, kb, ta, tb, h, step in zip(
            codes[:-1], codes[1:], bpm[:-1], bpm[1:], halved, steps, strict=True
        )
    ]


@functools.cache  # bounded: both are Camelot codes or "", 25 x 25 pairs at most
def _keys_text(key_a: str, key_b: str) -> str:
    """A transition's keys: "8A → 9A", marked when they clash."""
    change = "" if harmonic(key_a, key_b) else " (key change)"
    return f"{key_a or '?'} → {key_b or '?'}{change}"
