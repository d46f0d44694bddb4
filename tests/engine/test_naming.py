"""A playlist's name from its prompt: the user's casing kept, the first letter raised, the
packs' acronyms written in capitals."""

import pytest

from aidj.naming import DEFAULT_NAME, playlist_name


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("r&b slow jams", "R&B slow jams"),
        ("edm para el gimnasio", "EDM para el gimnasio"),
        ("mpb para relaxar no domingo", "MPB para relaxar no domingo"),
        ("un set dj de house à 124 bpm", "Un set DJ de house à 124 BPM"),
        ("idm zum Programmieren", "IDM zum Programmieren"),
        ("musica r&b per la cena", "Musica R&B per la cena"),
        ("rustige r&b voor de avond", "Rustige R&B voor de avond"),
    ],
)
def test_lowercase_acronyms_from_the_packs_are_written_in_capitals(rules_only, prompt, name):
    assert rules_only.interpret(prompt).playlist_name == name


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("songs like AC/DC for the road", "Songs like AC/DC for the road"),
        ("una noche con Rosalía y Bad Bunny", "Una noche con Rosalía y Bad Bunny"),
        ("Soirée jazz avec Miles Davis", "Soirée jazz avec Miles Davis"),
        ("Musik wie von Kraftwerk", "Musik wie von Kraftwerk"),
        ("an R&b evening", "An R&b evening"),
    ],
)
def test_words_the_user_capitalised_are_kept_as_typed(prompt, name):
    assert playlist_name(prompt) == name


def test_a_word_that_is_no_listed_acronym_keeps_its_lowercase():
    assert playlist_name("k-pop hits and j-rock") == "K-pop hits and j-rock"


def test_acronyms_keep_their_surrounding_punctuation():
    assert playlist_name("chill (r&b), soul") == "Chill (R&B), soul"


def test_only_the_first_letter_of_the_first_word_is_raised():
    assert playlist_name("¿música tranquila para dormir?") == "¿Música tranquila para dormir"


def test_a_name_starting_with_a_number_is_left_alone():
    assert playlist_name("90s hip hop for a road trip") == "90s hip hop for a road trip"


def test_a_prompt_without_letters_or_digits_gets_the_default_name():
    assert playlist_name(" ?! ") == DEFAULT_NAME
