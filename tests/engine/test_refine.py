"""Refinement adjusts the previous parameters instead of starting over."""

from aidj.intent import Intent


def test_more_upbeat_raises_energy(rules_only):
    base = rules_only.interpret("jazz for dinner")
    refined = rules_only.refine("more upbeat", base)
    assert refined.energy > base.energy and refined.genres == base.genres


def test_no_rap_adds_an_exclusion_and_keeps_the_rest(rules_only):
    base = rules_only.interpret("party music, 25 songs")
    refined = rules_only.refine("no rap", base)
    assert "hip-hop" in refined.exclude_genres and refined.limit == 25


def test_shorter_cuts_the_length(rules_only):
    base = Intent(duration_minutes=60)
    assert rules_only.refine("shorter", base).duration_minutes < 60


def test_a_new_genre_replaces_the_old_one(rules_only):
    base = rules_only.interpret("calm jazz")
    refined = rules_only.refine("make it bossa nova instead", base)
    assert (
        "mpb" in refined.genres and "jazz" not in refined.genres and refined.energy == base.energy
    )
