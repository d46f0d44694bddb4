"""The Intent model clamps whatever it is given into a usable playlist request."""

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
    assert (
        Intent(energy="loud", tempo=float("nan"), limit=float("inf")).model_dump()["energy"] is None
    )
    assert Intent(tempo=float("nan")).tempo is None


def test_limit_is_clamped_to_one_hundred():
    assert Intent(limit=100000).limit == 100
    assert Intent(limit=-5).limit == 1


def test_tempo_range_is_ordered_and_bounded():
    intent = Intent(tempo_min=180, tempo_max=90, tempo=900)
    assert (intent.tempo_min, intent.tempo_max, intent.tempo) == (90, 180, 220)


def test_unknown_keys_and_bad_enums_are_ignored():
    intent = Intent.model_validate(
        {"arc": "sideways", "mode": "dorian", "hack": 1, "explicit": "yes"}
    )
    assert intent.arc is EnergyArc.FLAT and intent.mode is None and intent.explicit is True


def test_names_are_trimmed_and_deduplicated():
    intent = Intent(exclude_artists=["Queen", "queen", "  ABBA  ", 3], genres=["Rock", "rock"])
    assert intent.exclude_artists == ["Queen", "ABBA"]
    assert intent.genres == ["rock"]


def test_playlist_name_drops_control_characters():
    assert Intent(playlist_name="Chill\x00\x1b[31m Mix\n").playlist_name == "Chill[31m Mix"
