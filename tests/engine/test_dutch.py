"""Dutch, the seventh language, read through its pack alone, and the general readings it needed."""

import pytest

from aidj.intent import EnergyArc


@pytest.mark.parametrize(
    ("prompt", "field", "value"),
    [
        ("twintig nummers om te sporten", "limit", 20),
        ("anderhalf uur techno", "duration_minutes", 90),
        ("een half uurtje jazz", "duration_minutes", 30),
        ("2 uur en 30 minuten house", "duration_minutes", 150),
        ("rustige muziek om te studeren", "mood", "focused"),
        ("droevige liedjes over liefdesverdriet", "mood", "sad"),
        ("gezellige muziek voor een regenachtige middag", "mood", "cozy"),
        ("liedjes in mineur", "mode", "minor"),
        ("kinderliedjes zonder expliciete teksten", "explicit", False),
    ],
)
def test_dutch_prompts_are_read_like_the_other_languages(rules_only, prompt, field, value):
    assert getattr(rules_only.interpret(prompt), field) == value


def test_dutch_nationality_and_style(rules_only):
    assert rules_only.interpret("japanse rock").genres == ["j-rock"]


def test_dutch_exclusions_list_on_after_en(interpreter):
    intent = interpreter.interpret("trance, maar zonder Armin van Buuren en Tiësto")
    assert intent.exclude_artists == ["Armin van Buuren", "Tiësto"]


def test_a_conjunction_before_a_language_does_not_list_on(rules_only):
    # Spanish "en" is "in": "sin rap en español" keeps Spanish
    intent = rules_only.interpret("reggaeton sin rap en español")
    assert intent.exclude_genres == ["hip-hop"] and "spanish" in intent.genres


def test_an_artist_name_may_run_to_six_words(interpreter):
    intent = interpreter.interpret("een goeie EDM set, maar geen Dimitri Vegas & Like Mike aub")
    assert intent.exclude_artists == ["Dimitri Vegas & Like Mike"] and intent.seed_artists == []


@pytest.mark.parametrize(
    ("prompt", "genre", "limit"),
    [
        ("dertig vrolijke popnummers", "pop", 30),
        ("nostalgische rockklassiekers", "rock", None),
        ("20 Kinderlieder für die Autofahrt", "children", 20),
    ],
)
def test_a_style_glued_to_a_song_word_is_a_genre_and_the_number_a_count(
    rules_only, prompt, genre, limit
):
    intent = rules_only.interpret(prompt)
    assert genre in intent.genres and (limit is None or intent.limit == limit)


def test_a_word_merely_ending_in_a_song_word_is_no_count(rules_only):
    assert rules_only.interpret("two fortunes").limit is None


@pytest.mark.parametrize(
    ("prompt", "mood"), [("feestmuziek", "party"), ("zomerhits voor de bbq", "sunny")]
)
def test_a_mood_word_glued_to_music_counts(rules_only, prompt, mood):
    assert rules_only.interpret(prompt).mood == mood


def test_a_compound_of_two_mood_words_counts_as_both(rules_only):
    intent = rules_only.interpret("liedjes voor een kinderfeestje")
    assert intent.genres == ["children", "kids", "disney"] and intent.explicit is False


@pytest.mark.parametrize(
    "prompt",
    [
        "een set die rustig begint, halverwege piekt en daarna weer rustig wordt",
        "start slow and build up, then wind down at the end",
    ],
)
def test_a_rise_and_a_fall_together_make_a_peak(rules_only, prompt):
    assert rules_only.interpret(prompt).arc == EnergyArc.PEAK


@pytest.mark.parametrize(
    ("prompt", "popularity"), [("minder bekende indie", 15), ("canciones poco conocidas", 15)]
)
def test_an_obscure_phrase_wins_over_the_popular_word_inside_it(rules_only, prompt, popularity):
    assert rules_only.interpret(prompt).popularity == popularity
