"""A language's everyday word is no genre in that language, though others borrow it as one.

French "chansons pour courir" is songs for running; an English or German "chanson" is French
chanson. The words are each pack's ``genres.own_not_genres``.
"""

import pytest


@pytest.mark.parametrize(
    "prompt",
    [
        "chansons pour courir",
        "des chansons tristes",
        "une chanson douce pour dormir",
        "des standards de jazz chantés, chaque chanson une seule fois",
    ],
)
def test_songs_in_a_french_prompt_name_no_genre(rules_only, prompt):
    assert "french" not in rules_only.interpret(prompt).genres


@pytest.mark.parametrize(
    "prompt",
    [
        "chanson for a dinner party",
        "Chanson zum Abendessen",
        "chanson française",
        "de la chanson pour le dîner",
    ],
)
def test_chanson_borrowed_or_named_as_the_style_is_french_chanson(rules_only, prompt):
    assert "french" in rules_only.interpret(prompt).genres


def test_a_french_prompt_asking_for_french_songs_still_gets_them(rules_only):
    assert rules_only.interpret("chansons françaises des années 80").genres == ["french"]
