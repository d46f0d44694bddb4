"""The Intent clamps whatever it is given into a usable playlist request."""

import dataclasses
import json
import subprocess
import sys

import pytest

from aidj.intent import EnergyArc, Intent


def test_every_field_has_a_default():
    intent = Intent()
    assert intent.playlist_name == "AI DJ Mix"
    assert intent.track_count == 20
    assert intent.arc is EnergyArc.FLAT
    assert intent.explicit is True


def test_unit_features_are_clamped_into_zero_to_one():
    intent = Intent(energy=1.7, valence=-3, danceability="0.5")
    assert (intent.energy, intent.valence, intent.danceability) == (1.0, 0.0, 0.5)


def test_non_numbers_and_nan_become_unset():
    assert Intent(energy="loud", tempo=float("nan"), limit=float("inf")).to_dict()["energy"] is None
    assert Intent(tempo=float("nan")).tempo is None


def test_limit_is_clamped_to_one_hundred():
    assert Intent(limit=100000).limit == 100
    assert Intent(limit=-5).limit == 1


def test_tempo_range_is_ordered_and_bounded():
    intent = Intent(tempo_min=180, tempo_max=90, tempo=900)
    assert (intent.tempo_min, intent.tempo_max, intent.tempo) == (90, 180, 220)


def test_unknown_keys_and_bad_enums_are_ignored():
    intent = Intent.from_dict({"arc": "sideways", "mode": "dorian", "hack": 1, "explicit": "yes"})
    assert intent.arc is EnergyArc.FLAT and intent.mode is None and intent.explicit is True


def test_names_are_trimmed_and_deduplicated():
    intent = Intent(exclude_artists=["Queen", "queen", "  ABBA  ", 3], genres=["Rock", "rock"])
    assert intent.exclude_artists == ["Queen", "ABBA"]
    assert intent.genres == ["rock"]


def test_playlist_name_drops_control_characters():
    assert Intent(playlist_name="Chill\x00\x1b[31m Mix\n").playlist_name == "Chill[31m Mix"


def test_replace_coerces_the_changes_like_any_other_input():
    intent = Intent(limit=10).replace(limit=500, energy="2", arc="peak")
    assert (intent.limit, intent.energy, intent.arc) == (100, 1.0, EnergyArc.PEAK)


def test_replace_refuses_a_field_that_does_not_exist():
    with pytest.raises(TypeError, match="no field"):
        Intent().replace(energyy=0.5)


def test_an_intent_is_immutable_so_a_shared_one_cannot_be_changed_under_a_caller():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Intent().energy = 0.5  # type: ignore[misc]


def test_to_dict_and_from_dict_round_trip_through_json():
    intent = Intent(genres=["house"], arc=EnergyArc.BUILD_UP, year_min=1990, unmet=["short:8:12"])
    data = json.loads(json.dumps(intent.to_dict()))
    assert data["arc"] == "build_up"
    assert Intent.from_dict(data) == intent


def test_from_dict_of_something_that_is_not_an_object_is_the_default_intent():
    assert Intent.from_dict(["energy", 0.9]) == Intent()  # type: ignore[arg-type]


def test_the_core_intent_needs_no_validation_framework():
    """The CLI starts without pydantic: the core's Intent is a plain dataclass."""
    code = "import sys, aidj.intent; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_name_with_a_line_break_is_one_line_with_the_words_apart() -> None:
    from aidj.intent import Intent

    assert Intent(playlist_name="Sunday\nrun\r\n\x00mix").playlist_name == "Sunday run mix"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"genres": ["Rock", "rock", 3], "energy": "0.5", "tempo": 300, "playlist_name": None},
        {"tempo_min": 150, "tempo_max": 100, "year_min": 2000, "year_max": 1990},
        {"arc": "bogus", "explicit": None, "covers": 1, "limit": float("nan"), "unmet": None},
        {"bounds": {"energy": [0.9, 0.1]}, "seasons": ["Christmas", "summer"], "x": 1},
        {"energy": None, "arc": EnergyArc.PEAK, "arc_by": "energy", "explicit": True},
    ],
)
def test_from_dict_gives_what_the_constructor_gives_with_the_known_keys(data):
    # from_dict builds the intent without __init__ (each field set once): it must not differ
    made = Intent.from_dict(data)
    expected = Intent(
        **{f.name: data[f.name] for f in dataclasses.fields(Intent) if f.name in data}
    )
    assert made == expected
    assert [type(getattr(made, f.name)) for f in dataclasses.fields(Intent)] == [
        type(getattr(expected, f.name)) for f in dataclasses.fields(Intent)
    ]


def test_from_dict_gives_each_intent_its_own_empty_lists():
    first, second = Intent.from_dict({}), Intent.from_dict({})
    first.genres.append("rock")
    assert second.genres == []
