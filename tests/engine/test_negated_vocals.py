"""A negated vocal word asks for instrumental music; it never asks for singing (issue 23).

"sans morceaux chantés", "ohne gesungene Stücke", "without sung tracks": the sung word sits
inside a negation, so the listener wants tracks without vocals — a high instrumentalness
preference — and never a sing-along mood. The words are the packs' ``exclusions.json``
``vocals``, read in all seven languages.
"""

import pytest

NEGATED_VOCALS = [
    "chill jazz for dinner, without sung tracks",
    "lofi beats for studying, no singing",
    "jazz para la cena, sin canciones cantadas",
    "bossa nova para o jantar, sem músicas cantadas",
    "jazz manouche pour l'apéro, sans morceaux chantés",
    "piano pour étudier, sans paroles",
    "Jazz zum Abendessen, ohne gesungene Stücke",
    "Klavier zum Lernen, ohne Gesang",
    "jazz per cena, senza brani cantati",
    "jazz bij het eten, zonder gezongen nummers",
]


@pytest.mark.parametrize("prompt", NEGATED_VOCALS)
def test_a_negated_vocal_word_asks_for_instrumental_tracks(rules_only, prompt):
    intent = rules_only.interpret(prompt)
    assert intent.instrumentalness is not None and intent.instrumentalness >= 0.7


@pytest.mark.parametrize("prompt", NEGATED_VOCALS)
def test_a_negated_vocal_word_is_never_a_sing_along(rules_only, prompt):
    assert rules_only.interpret(prompt).mood != "singalong"


@pytest.mark.parametrize("prompt", NEGATED_VOCALS)
def test_a_negated_vocal_word_keeps_the_style_asked_for(rules_only, prompt):
    """The negation rules out singing, not the jazz, piano or lofi the sentence names."""
    assert rules_only.interpret(prompt).genres


def test_a_sung_word_without_negation_still_reads_as_singing(rules_only):
    """Only the negation turns the word around: a campfire sing-along stays a sing-along."""
    intent = rules_only.interpret("chansons chantées en chœur autour du feu")
    assert intent.instrumentalness is None or intent.instrumentalness < 0.5
