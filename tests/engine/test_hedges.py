"""Hedges bound one feature; they never flip the request (issue 23, class 1).

"sad songs but not too slow" stays sad with its energy off the floor; "not too loud" caps
energy; "ruhig, aber nicht langweilig" stays calm but not dull. Read in all seven languages,
and the engine keeps the tracks inside the limits.
"""

import statistics

import pytest

from aidj.engine import build_playlist
from aidj.hedges import HIGH_LIMIT, LOW_LIMIT
from aidj.intent import Intent

# (prompt, the mood that must stay, the feature bounded, the side: "lo" = off the floor)
HEDGED_MOODS = [
    ("sad songs but not too slow", "sad", "energy", "lo"),
    ("ruhige Musik, aber nicht langweilig", "calm", "energy", "lo"),
    ("canciones tristes pero no deprimentes", "sad", "valence", "lo"),
    ("musique calme mais pas ennuyeuse", "calm", "energy", "lo"),
    ("musica triste ma non troppo lenta", "sad", "energy", "lo"),
    ("música calma mas não chata", "calm", "energy", "lo"),
    ("rustige muziek maar niet saai", "calm", "energy", "lo"),
]


@pytest.mark.parametrize(("prompt", "mood", "feature", "side"), HEDGED_MOODS)
def test_a_hedge_keeps_the_mood_and_bounds_one_feature(rules_only, prompt, mood, feature, side):
    intent = rules_only.interpret(prompt)
    assert intent.mood == mood
    lo, hi = intent.bounds[feature]
    assert (lo, hi) == ((LOW_LIMIT[feature], None) if side == "lo" else (None, HIGH_LIMIT[feature]))


@pytest.mark.parametrize(("prompt", "mood", "feature", "side"), HEDGED_MOODS)
def test_a_hedge_never_inverts_the_mood(rules_only, prompt, mood, feature, side):
    """The hedged word is no wish: 'not too slow' must not read as 'slow', nor 'not sad' as euphoric."""
    intent = rules_only.interpret(prompt)
    assert intent.valence is not None and intent.valence <= 0.5
    assert intent.energy is not None and intent.energy <= 0.5


@pytest.mark.parametrize(
    ("prompt", "feature", "lo", "hi"),
    [
        ("not too loud", "energy", None, HIGH_LIMIT["energy"]),
        ("not gloomy", "valence", LOW_LIMIT["valence"], None),
        ("nicht zu laut", "energy", None, HIGH_LIMIT["energy"]),
        ("pas trop fort", "energy", None, HIGH_LIMIT["energy"]),
        ("niet te hard", "energy", None, HIGH_LIMIT["energy"]),
        ("no demasiado rápido", "tempo", None, HIGH_LIMIT["tempo"]),
        ("non troppo veloce", "tempo", None, HIGH_LIMIT["tempo"]),
        ("não muito triste", "valence", LOW_LIMIT["valence"], None),
    ],
)
def test_a_bare_hedge_is_a_limit_not_the_opposite_mood(rules_only, prompt, feature, lo, hi):
    intent = rules_only.interpret(prompt)
    assert intent.bounds[feature] == [lo, hi]
    value = getattr(intent, feature)
    assert value is None or ((lo is None or value >= lo) and (hi is None or value <= hi))
    assert intent.mood != "energetic"  # "loud" after "not too" asks for nothing loud


def test_a_hedged_list_bounds_every_feature_named(rules_only):
    intent = rules_only.interpret("party music, not too loud or fast")
    assert intent.bounds["energy"][1] == HIGH_LIMIT["energy"]
    assert intent.bounds["tempo"][1] == HIGH_LIMIT["tempo"]
    assert intent.mood == "party"


def test_a_negated_genre_name_is_still_an_exclusion(rules_only):
    """'hard' bounds energy after a hedge, but 'no hard rock' names a genre."""
    intent = rules_only.interpret("no hard rock please")
    assert intent.exclude_genres == ["hard-rock"] and not intent.bounds


def test_bounds_travel_through_the_intent_coerced():
    intent = Intent.from_dict(
        {"bounds": {"energy": [None, 1.7], "valence": [0.9, 0.2], "tempo": [20, None], "x": [1, 2]}}
    )
    assert intent.bounds == {"energy": [None, 1.0], "valence": [0.2, 0.9], "tempo": [40.0, None]}
    assert Intent.from_dict(intent.to_dict()) == intent


def test_the_engine_keeps_a_sad_playlist_sad_and_off_the_energy_floor(catalog, rules_only):
    hedged = build_playlist(catalog, rules_only.interpret("sad songs but not too slow")).tracks
    plain = build_playlist(catalog, rules_only.interpret("sad songs")).tracks
    assert statistics.mean(t.valence for t in hedged) <= 0.35  # still sad
    assert statistics.mean(t.energy for t in hedged) > statistics.mean(t.energy for t in plain)
    assert min(t.energy for t in hedged) >= LOW_LIMIT["energy"] - 0.05


def test_the_engine_caps_energy_under_not_too_loud(catalog, rules_only):
    tracks = build_playlist(catalog, rules_only.interpret("party music but not too loud")).tracks
    assert max(t.energy for t in tracks) <= HIGH_LIMIT["energy"] + 0.05


def test_a_follow_up_hedge_adds_its_limit_to_the_playlist_before(rules_only):
    base = rules_only.interpret("party music")
    refined = rules_only.refine("but not too loud", base)
    assert refined.bounds == {"energy": [None, HIGH_LIMIT["energy"]]}
    assert refined.mood == base.mood


def test_a_hedged_build_up_still_climbs_to_its_ceiling(catalog, rules_only):
    intent = rules_only.interpret("build up but not too loud")
    energies = [t.energy for t in build_playlist(catalog, intent).tracks]
    assert max(energies) <= HIGH_LIMIT["energy"] + 0.05
    assert statistics.mean(energies[-3:]) >= HIGH_LIMIT["energy"] - 0.15
    assert statistics.mean(energies[:3]) <= statistics.mean(energies[-3:]) - 0.3
