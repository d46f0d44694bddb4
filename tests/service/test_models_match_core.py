"""One track shape: the core's ``PlaylistTrack.to_dict()``; the API's pydantic ``Track`` mirrors it."""

from dataclasses import MISSING, asdict, fields
from typing import get_type_hints

from aidj.playlist import PlaylistTrack
from aidj_service.models import Track

SAMPLE = PlaylistTrack(
    id="4uLU6hMCjMI75M1A2tKUQC",
    name="Never Gonna Give You Up",
    artists=["Rick Astley"],
    album="Whenever You Need Somebody",
    duration_ms=213573,
    explicit=False,
    popularity=80,
    genres=["dance pop"],
    tempo=113.3,
    key=8,
    mode=1,
    camelot="4B",
    energy=0.94,
    danceability=0.72,
    valence=0.92,
    score=0.87,
    reason="opener",
    year=1987,
    transition="",
)


def test_the_track_model_has_the_core_track_dicts_fields_in_its_order():
    assert list(Track.model_fields) == list(SAMPLE.to_dict())


def test_the_track_model_types_each_field_as_the_core_does():
    hints = get_type_hints(PlaylistTrack)
    assert {f.name: Track.model_fields[f.name].annotation for f in fields(PlaylistTrack)} == {
        f.name: hints[f.name] for f in fields(PlaylistTrack)
    }


def test_the_track_model_defaults_are_the_cores():
    for f in fields(PlaylistTrack):
        field = Track.model_fields[f.name]
        assert field.is_required() == (f.default is MISSING), f.name
        if f.default is not MISSING:
            assert field.default == f.default, f.name


def test_the_core_track_dict_is_the_dataclass_plus_its_uri():
    assert SAMPLE.to_dict() == asdict(SAMPLE) | {"uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC"}


def test_a_core_track_dict_passes_through_the_model_unchanged():
    assert Track.model_validate(SAMPLE.to_dict()).model_dump() == SAMPLE.to_dict()
