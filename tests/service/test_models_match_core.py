"""The API's pydantic Track (the OpenAPI schema) describes exactly what the engine returns."""

from dataclasses import fields

from aidj.playlist import PlaylistTrack
from aidj_service.models import Track


def test_track_schema_has_the_engines_fields():
    engine_fields = {f.name for f in fields(PlaylistTrack)} | {"uri"}
    assert set(Track.model_fields) == engine_fields
