"""A hedged style is never added (issue 23): "country, but not too twangy", "nicht zu poppig",
"pas trop rock". After a hedge of degree (the packs' ``exclusions.json`` ``degrees``) a genre
name or style adjective (``hedged_styles``) names a sub-style to leave out; the style the
sentence asks for stays its core. Read in all seven languages.
"""

import pytest

# (prompt, the style asked for, the hedged sub-style)
HEDGED_STYLES = [
    ("country for a long drive, but not too twangy", "country", "honky-tonk"),
    ("música sertaneja para a estrada, mas não muito pop", "sertanejo", "pop"),
    ("jazz para la cena, pero no demasiado rockero", "jazz", "rock"),
    ("chanson pour le dîner, pas trop rock", "french", "rock"),
    ("Indie zum Kochen, nicht zu poppig", "indie", "pop"),
    ("jazz per la cena, ma non troppo pop", "jazz", "pop"),
    ("indie bij het koken, maar niet te poppy", "indie", "pop"),
]


@pytest.mark.parametrize(("prompt", "style", "hedged"), HEDGED_STYLES)
def test_a_hedged_style_is_not_a_wanted_genre(rules_only, prompt, style, hedged):
    assert hedged not in rules_only.interpret(prompt).genres


@pytest.mark.parametrize(("prompt", "style", "hedged"), HEDGED_STYLES)
def test_a_hedged_style_is_left_out(rules_only, prompt, style, hedged):
    assert hedged in rules_only.interpret(prompt).exclude_genres


@pytest.mark.parametrize(("prompt", "style", "hedged"), HEDGED_STYLES)
def test_the_style_asked_for_stays_the_core(rules_only, prompt, style, hedged):
    assert rules_only.interpret(prompt).genres[0] == style


def test_a_style_adjective_without_a_hedge_adds_nothing(rules_only):
    """The adjectives are read only after a hedge of degree: "twangy" alone is no exclusion."""
    assert rules_only.interpret("twangy country for a long drive").exclude_genres == []


def test_a_plain_negation_of_a_style_is_still_an_exclusion(rules_only):
    """'no rock' carries no degree word, so the exclusions read it as before."""
    intent = rules_only.interpret("chanson pour le dîner, sans rock")
    assert "rock" in intent.exclude_genres
