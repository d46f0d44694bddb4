"""A playlist's rows show the catalog's values as Python rounds them, its transitions and
reasons say what the rows show: read for the whole playlist at once, never differently."""

import numpy as np

from aidj.catalog import RowsOf, StringColumn, strings_at
from aidj.intent import Intent
from aidj.track_details import describe_tracks

_SHOWN = (("tempo", 1), ("energy", 3), ("danceability", 3), ("valence", 3))


def _rows(catalog, n: int, seed: int) -> list[int]:
    return np.random.default_rng(seed).choice(len(catalog), n, replace=False).tolist()


def _half_way_rows(catalog, name: str, digits: int) -> list[int]:
    """Rows whose value sits on (or within float error of) a rounding half at ``digits``."""
    scaled = catalog.features[name].astype(np.float64) * 10.0**digits
    return np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)[:50].tolist()


def test_every_shown_number_is_pythons_round_of_the_catalogs_value(catalog):
    ties = [i for name, digits in _SHOWN for i in _half_way_rows(catalog, name, digits)]
    assert ties  # the rows a vectorised rounding could get wrong are among those checked
    rows = list(dict.fromkeys([*ties, *_rows(catalog, 2000, 1)]))
    scores = np.random.default_rng(2).random(len(catalog)).astype(np.float32)
    tracks = describe_tracks(catalog, Intent(), rows, scores)
    for i, track in zip(rows, tracks, strict=True):
        for name, digits in _SHOWN:
            assert repr(getattr(track, name)) == repr(
                round(float(catalog.features[name][i]), digits)
            )
        assert repr(track.score) == repr(round(float(scores[i]), 4))


def test_a_score_on_a_half_or_out_of_range_rounds_as_python_does(catalog):
    values = [0.03125, -0.03125, 0.00005, -0.00004, -0.0, 1 / 3, 2.5e12, -7.123456789, np.inf]
    rows = _rows(catalog, len(values), 3)
    scores = np.zeros(len(catalog))
    scores[rows] = values
    tracks = describe_tracks(catalog, Intent(), rows, scores)
    assert [repr(t.score) for t in tracks] == [repr(round(float(v), 4)) for v in values]


def test_a_track_shows_its_catalog_row(catalog):
    rows = _rows(catalog, 300, 4)
    tracks = describe_tracks(catalog, Intent(), rows, np.zeros(len(catalog)))
    for i, track in zip(rows, tracks, strict=True):
        row = catalog.track(i)
        assert (track.id, track.name, track.album, track.artists, track.genres) == (
            row["id"],
            row["name"],
            row["album"],
            row["artists"],
            row["genres"],
        )
        assert (track.key, track.mode, track.duration_ms, track.popularity, track.year) == (
            row["key"],
            row["mode"],
            row["duration_ms"],
            row["popularity"],
            row["year"],
        )
        assert track.explicit is row["explicit"]


def test_an_energy_step_is_the_difference_rounded_to_two_places_steady_when_it_rounds_to_zero(
    catalog,
):
    rows = _rows(catalog, 3000, 5)
    tracks = describe_tracks(catalog, Intent(), rows, np.zeros(len(catalog)))
    energy = catalog.features["energy"]
    steady = 0
    for a, b, track in zip(rows, rows[1:], tracks[1:], strict=False):
        step = round(float(energy[b]) - float(energy[a]), 2)
        said = "energy steady" if step == 0 else f"energy {step:+.2f}"
        steady += step == 0
        assert track.transition.endswith(f", {said}")
    assert steady  # a step rounding to zero (either sign) is among those checked


def test_strings_read_for_many_rows_are_those_read_one_by_one(catalog):
    rows = np.asarray(_rows(catalog, 500, 6), dtype=np.int64)
    read_through = RowsOf(catalog.names, rows[::-1].copy())
    built = StringColumn.from_strings(["Beyoncé", "", "a\x00b", "Sigur Rós", "Björk"] * 100)
    plain = [f"track {i}" for i in range(len(catalog))]
    for column in (catalog.ids, catalog.names, catalog.albums, catalog.artist_strings, plain):
        assert strings_at(column, rows) == [column[i] for i in rows.tolist()]
    at = np.arange(len(read_through), dtype=np.int64)
    assert strings_at(read_through, at) == [read_through[i] for i in at.tolist()]
    assert strings_at(built, at) == [built[i] for i in at.tolist()]
