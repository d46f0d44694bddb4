"""Shapes from words (issue 23, class 4): "from a whisper to a roar", "ramp it up the whole way",
"ever higher" are build-ups that end at the top, not rise-and-fall, in all seven languages."""

import pytest

from aidj.engine import build_playlist
from aidj.intent import EnergyArc


@pytest.mark.parametrize(
    "prompt",
    [
        "from a whisper to a roar",
        "ramp it up the whole way",
        "techno, ever higher",
        "de un susurro a un rugido",
        "cada vez más alto",
        "du murmure au rugissement",
        "toujours plus haut",
        "vom Flüstern zum Brüllen",
        "immer höher",
        "dal sussurro al ruggito",
        "sempre più in alto",
        "do sussurro ao rugido",
        "cada vez mais alto",
        "van fluistering tot gebrul",
        "steeds hoger",
    ],
)
def test_a_climb_in_words_is_a_build_up(rules_only, prompt):
    assert rules_only.interpret(prompt).arc == EnergyArc.BUILD_UP


def test_a_whisper_is_a_start_not_a_mood(rules_only):
    """The whisper is where the set begins; the set is not sad or sleepy throughout."""
    assert rules_only.interpret("from a whisper to a roar").mood is None


def test_the_playlist_ends_at_the_top(catalog, rules_only):
    tracks = build_playlist(catalog, rules_only.interpret("from a whisper to a roar")).tracks
    energies = [t.energy for t in tracks]
    third = len(energies) // 3
    assert max(energies[-3:]) >= max(energies[:third]) + 0.3
    assert sum(energies[-third:]) / third > sum(energies[third:-third]) / (
        len(energies) - 2 * third
    )
