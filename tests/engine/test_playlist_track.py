"""Tracks filled a field at a time (``PlaylistTrack.from_columns``, how a playlist's rows are
built) are the tracks the constructor makes: equal, frozen, every field set."""

import dataclasses

import numpy as np
import pytest

from aidj.intent import Intent
from aidj.playlist import PlaylistTrack
from aidj.track_details import describe_tracks

_FIELDS = [f.name for f in dataclasses.fields(PlaylistTrack)]


def _columns(catalog) -> list[list[object]]:
    rows = np.random.default_rng(7).choice(len(catalog), 25, replace=False).tolist()
    tracks = describe_tracks(catalog, Intent(), rows, np.zeros(len(catalog)))
    return [[getattr(t, name) for t in tracks] for name in _FIELDS]


def test_tracks_from_columns_equal_those_the_constructor_makes(catalog):
    columns = _columns(catalog)
    built = [PlaylistTrack(*values) for values in zip(*columns, strict=True)]
    assert PlaylistTrack.from_columns(*columns) == built


def test_a_track_from_columns_stays_frozen(catalog):
    track = PlaylistTrack.from_columns(*_columns(catalog))[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        track.name = "renamed"  # type: ignore[misc]


def test_columns_of_different_lengths_are_refused(catalog):
    columns = _columns(catalog)
    columns[3] = columns[3][:-1]
    with pytest.raises(ValueError, match="one value per track"):
        PlaylistTrack.from_columns(*columns)


def test_a_missing_field_is_refused(catalog):
    with pytest.raises(ValueError):
        PlaylistTrack.from_columns(*_columns(catalog)[:-1])
