"""The rule layer of the local interpreter: numbers, lengths, tempo, exclusions, languages."""

import pytest

from aidj.intent import EnergyArc


@pytest.mark.parametrize(
    ("prompt", "limit"),
    [
        ("20 songs for the gym", 20),
        ("15 canciones de salsa", 15),
        ("trinta músicas para dançar", 30),
        ("dix chansons douces", 10),
        ("zwanzig Lieder zum Tanzen", 20),
        ("venti canzoni per la festa", 20),
    ],
)
def test_track_counts_in_six_languages(rules_only, prompt, limit):
    assert rules_only.interpret(prompt).limit == limit


@pytest.mark.parametrize(
    ("prompt", "minutes"),
    [
        ("45 minutes of jazz", 45),
        ("a 30 minute jazz set for dinner", 30),
        ("1 hour of techno", 60),
        ("an hour of chill music", 60),
        ("1h30 of house", 90),
        ("half an hour of punk", 30),
        ("una hora y media de salsa", 90),
        ("meia hora de samba", 30),
        ("une heure et demie de jazz", 90),
        ("eine halbe Stunde Techno", 30),
        ("due ore di musica classica", 120),
    ],
)
def test_durations(rules_only, prompt, minutes):
    assert rules_only.interpret(prompt).duration_minutes == minutes


def test_exact_bpm_becomes_a_narrow_range(rules_only):
    intent = rules_only.interpret("songs around 120 bpm")
    assert intent.tempo == 120 and intent.tempo_min == 114 and intent.tempo_max == 126


def test_at_least_bpm_is_a_floor(rules_only):
    intent = rules_only.interpret("running music at least 125 bpm")
    assert (intent.tempo_min == 125 and intent.tempo_max is None) or intent.tempo_max >= 125


def test_bpm_range(rules_only):
    intent = rules_only.interpret("techno between 128 and 135 bpm")
    assert (intent.tempo_min, intent.tempo_max) == (128, 135)


def test_excluded_genre(rules_only):
    intent = rules_only.interpret("party music but no rap")
    assert "hip-hop" in intent.exclude_genres and "hip-hop" not in intent.genres


def test_excluded_artist_keeps_its_spelling(rules_only):
    assert rules_only.interpret("classic rock but no Queen").exclude_artists == ["Queen"]


def test_excluded_artist_is_resolved_in_the_catalog(interpreter):
    assert interpreter.interpret("r&b slow jams but no beyonce").exclude_artists == ["Beyoncé"]


@pytest.mark.parametrize(
    "prompt",
    [
        "pop hits without explicit lyrics",
        "nothing explicit please",
        "reggaeton sin canciones explícitas",
        "funk sem palavrões",
        "rap français sans paroles explicites",
        "Hip-Hop ohne explizite Texte",
        "canzoni pop senza testi espliciti",
        "clean songs for the office",
    ],
)
def test_explicit_exclusion_in_six_languages(rules_only, prompt):
    assert rules_only.interpret(prompt).explicit is False


def test_exclusion_ends_at_a_comma(rules_only):
    intent = rules_only.interpret("sin canciones explícitas, reggaeton para la fiesta")
    assert intent.explicit is False and intent.genres == ["reggaeton"]


def test_no_more_than_is_not_an_exclusion(rules_only):
    assert rules_only.interpret("no more than 20 songs of jazz").exclude_artists == []


@pytest.mark.parametrize(
    ("prompt", "arc"),
    [
        ("start slow and build up to a big finish", EnergyArc.BUILD_UP),
        ("wind down after a party, getting quieter", EnergyArc.WIND_DOWN),
        ("de menos a más, rock para correr", EnergyArc.BUILD_UP),
        ("cada vez mais calmo", EnergyArc.WIND_DOWN),
        ("immer ruhiger werdend zum Einschlafen", EnergyArc.WIND_DOWN),
        ("a techno set with a peak in the middle", EnergyArc.PEAK),
    ],
)
def test_energy_arcs(rules_only, prompt, arc):
    assert rules_only.interpret(prompt).arc is arc


def test_start_slow_does_not_make_the_whole_set_slow(rules_only):
    assert rules_only.interpret("start slow and build up").tempo is None


def test_after_a_party_is_context_not_the_target(rules_only):
    intent = rules_only.interpret("wind down after a party")
    assert intent.danceability is None or intent.danceability <= 0.5  # not the party's dance floor
    assert intent.energy is not None and intent.energy <= 0.4  # the cool-down after it


@pytest.mark.parametrize(
    "prompt",
    [
        "something mellow for after my run",
        "algo tranquilo despues d correr",
        "Musik nach dem Laufen zum Runterkommen",
        "musique après ma séance de sport",
    ],
)
def test_after_an_activity_comes_the_cool_down(rules_only, prompt):
    intent = rules_only.interpret(prompt)
    assert intent.energy is not None and intent.energy <= 0.4


@pytest.mark.parametrize(
    ("prompt", "genre"),
    [
        ("bossa nova for a sunday", "mpb"),
        ("lo-fi beats to study to", "chill"),
        ("Bollywood hits", "indian"),
        ("R&B slow jams", "r-n-b"),
        ("deep house", "deep-house"),
        ("drum and bass", "drum-and-bass"),
        ("rap français", "french"),
        ("musique classique pour dîner", "classical"),
        ("deutschrap", "hip-hop"),
        ("pagode pra churrasco", "pagode"),
    ],
)
def test_genre_names_and_synonyms(rules_only, prompt, genre):
    assert genre in rules_only.interpret(prompt).genres


def test_deep_house_does_not_also_mean_every_house(rules_only):
    assert rules_only.interpret("deep house").genres == ["deep-house"]


def test_dance_as_a_verb_is_not_the_dance_genre(rules_only):
    assert rules_only.interpret("afrobeat to dance").genres == ["afrobeat"]


@pytest.mark.parametrize(
    "prompt",
    [
        "música tranquila para dormir",
        "música calma para dormir",
        "musique douce pour dormir",
        "ruhige Musik zum Schlafen",
        "musica rilassante per dormire",
        "soft music to fall asleep",
    ],
)
def test_sleep_is_quiet_in_every_language(rules_only, prompt):
    assert rules_only.interpret(prompt).energy <= 0.3


@pytest.mark.parametrize(
    "prompt",
    [
        "energetic music for working out",
        "música para entrenar",
        "músicas para treinar na academia",
        "musique pour la musculation",
        "Musik fürs Fitnessstudio",
        "musica per allenamento in palestra",
    ],
)
def test_workout_is_energetic_in_every_language(rules_only, prompt):
    assert rules_only.interpret(prompt).energy >= 0.8


@pytest.mark.parametrize(
    "prompt",
    [
        "heartbreak songs",
        "canciones tristes de desamor",
        "músicas tristes",
        "chansons tristes",
        "traurige Lieder über Liebeskummer",
        "canzoni tristi",
    ],
)
def test_sad_means_low_valence(rules_only, prompt):
    assert rules_only.interpret(prompt).valence <= 0.3


def test_major_key(rules_only):
    assert rules_only.interpret("bright songs in a major key").mode == "major"


def test_popular_sets_a_popularity_floor(rules_only):
    intent = rules_only.interpret("the most popular rock anthems")
    assert intent.min_popularity >= 50 and "rock" in intent.genres


def test_kids_playlists_are_clean(rules_only):
    assert rules_only.interpret("nursery rhymes").explicit is False


@pytest.mark.parametrize("prompt", ["", "   ", "asdf qwer zxcv", "!!!???", "🎵🎵🎵"])
def test_nonsense_gets_a_sensible_default(rules_only, prompt):
    intent = rules_only.interpret(prompt)
    assert intent.track_count == 20 and intent.popularity and intent.playlist_name


def test_embedding_model_places_what_rules_cannot(interpreter):
    # no mood or genre keyword here: the multilingual embedding model has to place it
    intent = interpreter.interpret("something mellow to doze off to tonight")
    assert intent.energy is not None and intent.energy <= 0.35


def test_shipped_concept_vectors_match_the_lexicon():
    # if this fails, run: uv run python -m aidj.embedding
    import json

    from aidj.embedding import VECTORS_META, _fingerprint, exemplars
    from aidj.lexicon import CONCEPTS

    texts, _ = exemplars(CONCEPTS)
    assert json.loads(VECTORS_META.read_text())["fingerprint"] == _fingerprint(texts)


@pytest.mark.parametrize("prompt", ["the quick brown fox jumps", "banana", "my cat is orange"])
def test_off_topic_prompts_get_the_default_mix_not_a_guess(interpreter, prompt):
    intent = interpreter.interpret(prompt)
    assert intent.mood is None and intent.popularity == 70


@pytest.mark.parametrize(
    ("prompt", "low_energy"),
    [
        ("bedtime for the baby", True),
        ("music to get pumped before a match", False),
        ("pour se détendre après le travail", True),
        ("something for a candlelit bath", True),
    ],
)
def test_embedding_places_prompts_without_keywords(interpreter, prompt, low_energy):
    energy = interpreter.interpret(prompt).energy
    assert energy is not None and (energy <= 0.45) is low_energy


def test_seed_artist_is_recognised(interpreter):
    assert interpreter.interpret("music like daft punk").seed_artists == ["Daft Punk"]


def test_count_keeps_the_genre_between_number_and_songs(rules_only):
    intent = rules_only.interpret("25 classic rock songs for a road trip")
    assert intent.limit == 25 and "rock" in intent.genres


@pytest.mark.parametrize(
    ("prompt", "arc", "by"),
    [
        ("20 songs getting slower and slower", EnergyArc.WIND_DOWN, "tempo"),
        ("música para correr, cada vez más rápido", EnergyArc.BUILD_UP, "tempo"),
        ("Laufmusik, immer schneller", EnergyArc.BUILD_UP, "tempo"),
        ("de plus en plus calme pour finir la soirée", EnergyArc.WIND_DOWN, "energy"),
        ("sempre più tranquillo, per addormentarsi", EnergyArc.WIND_DOWN, "energy"),
        ("começa animado e vai acalmando até o fim", EnergyArc.WIND_DOWN, "energy"),
    ],
)
def test_more_and_more_constructions(rules_only, prompt, arc, by):
    intent = rules_only.interpret(prompt)
    assert (intent.arc, intent.arc_by) == (arc, by)


def test_plural_genre_names(rules_only):
    assert rules_only.interpret("tangos clásicos de Buenos Aires").genres == ["tango"]


def test_hyphenated_genre_phrase(rules_only):
    assert "indie" in rules_only.interpret("1h30 Indie-Rock für die Zugfahrt").genres


def test_rule_understanding_is_not_overridden_by_a_semantic_guess(interpreter):
    intent = interpreter.interpret("musica acustica, solo chitarra e voce")
    assert intent.mood is None and intent.acousticness >= 0.8 and "guitar" in intent.genres


@pytest.mark.parametrize(
    ("prompt", "excluded"),
    [
        ("backyard barbecue, anything but country", ["country"]),
        ("Après-Ski Hits, aber ohne Mickie Krause und DJ Ötzi", None),
        ("tutto tranne il rap", ["hip-hop"]),
    ],
)
def test_exclusion_phrasings_and_lists(rules_only, prompt, excluded):
    intent = rules_only.interpret(prompt)
    if excluded is None:
        assert intent.exclude_artists == ["Mickie Krause", "DJ Ötzi"]
    else:
        assert intent.exclude_genres == excluded


def test_negated_mood_means_the_opposite(rules_only):
    assert rules_only.interpret("heavy metal a tutto volume, niente ballate").energy >= 0.8


@pytest.mark.parametrize(
    ("prompt", "minutes"),
    [
        ("2 and a half hours of ambient", 150),
        ("dos horas y media de salsa", 150),
        ("due ore e mezza di jazz", 150),
    ],
)
def test_hours_and_a_half(rules_only, prompt, minutes):
    assert rules_only.interpret(prompt).duration_minutes == minutes


@pytest.mark.parametrize(
    ("prompt", "count"), [("pop turco, una trentina di brani", 30), ("une vingtaine de titres", 20)]
)
def test_approximate_counts(rules_only, prompt, count):
    assert rules_only.interpret(prompt).limit == count


@pytest.mark.parametrize(
    ("prompt", "genre"),
    [
        ("japanischer Rock", "j-rock"),
        ("schwedische Popmusik", "swedish"),
        ("pop turco", "turkish"),
        ("musica giapponese", "j-pop"),
        ("korean pop", "k-pop"),
    ],
)
def test_nationality_adjectives(rules_only, prompt, genre):
    assert genre in rules_only.interpret(prompt).genres


@pytest.mark.parametrize(
    ("prompt", "arc"),
    [
        ("una hora de rock, empezar fuerte y terminar suave", EnergyArc.WIND_DOWN),
        ("start chill and end with a bang", EnergyArc.BUILD_UP),
        ("música pra relaxar, bem calminha no final", EnergyArc.WIND_DOWN),
    ],
)
def test_start_and_end_constructions(rules_only, prompt, arc):
    assert rules_only.interpret(prompt).arc is arc


def test_a_named_style_keeps_its_sound_against_a_context_word(rules_only):
    assert rules_only.interpret("bossa nova para um fim de tarde").energy <= 0.4


@pytest.mark.parametrize(
    ("prompt", "arc", "by"),
    [
        ("post-run cooldown, tempo dropping song by song", EnergyArc.WIND_DOWN, "tempo"),
        ("séance de vélo : le tempo accélère du début à la fin", EnergyArc.BUILD_UP, "tempo"),
        ("die Energie soll stetig steigen", EnergyArc.BUILD_UP, "energy"),
    ],
)
def test_subject_and_direction_verbs(rules_only, prompt, arc, by):
    intent = rules_only.interpret(prompt)
    assert (intent.arc, intent.arc_by) == (arc, by)


@pytest.mark.parametrize(
    ("prompt", "minutes"),
    [
        ("une heure et quart de jazz", 75),
        ("un'ora e un quarto di rock", 75),
        ("1 hour and a quarter of house", 75),
    ],
)
def test_quarter_hours(rules_only, prompt, minutes):
    assert rules_only.interpret(prompt).duration_minutes == minutes


def test_counts_of_other_nouns(rules_only):
    assert rules_only.interpret("12 acoustic guitar instrumentals for reading").limit == 12
    assert rules_only.interpret("20 bangers for the gym").limit == 20


def test_a_length_number_is_not_also_a_count(rules_only):
    intent = rules_only.interpret("45 minutes of jazz songs")
    assert intent.duration_minutes == 45 and intent.limit is None


def test_a_length_ceiling_is_aimed_under(rules_only):
    assert rules_only.interpret("rockabilly, no more than 40 minutes").duration_minutes < 40 * 0.96
    assert rules_only.interpret("at least an hour of techno").duration_minutes > 60 * 1.04


@pytest.mark.parametrize(
    ("prompt", "check"),
    [
        ("pump-up songs before a basketball game", lambda i: i.energy >= 0.8),
        ("20 músicas animadas sem palavrão", lambda i: i.explicit is False and i.limit == 20),
        (
            "25 klassische Stücke zum Entspannen",
            lambda i: "classical" in i.genres and i.limit == 25,
        ),
        (
            "musica dance per la palestra, niente Pitbull",
            lambda i: "dance" in i.genres and i.exclude_artists == ["Pitbull"],
        ),
    ],
    ids=["sports-pump-up", "pt-singular-swearword", "de-inflected-genre", "it-musica-dance"],
)
def test_fourth_blind_set_findings(rules_only, prompt, check):
    assert check(rules_only.interpret(prompt))


def test_approximate_bpm_with_ish(rules_only):
    assert rules_only.interpret("drum n bass for the gym, 172ish bpm").tempo == 172


@pytest.mark.parametrize(
    ("prompt", "arc", "by"),
    [
        ("canciones cada vez más rápidas", EnergyArc.BUILD_UP, "tempo"),
        ("elektronische Musik, die nach und nach ruhiger wird", EnergyArc.WIND_DOWN, "energy"),
        ("musique de plus en plus douce, peu à peu", EnergyArc.WIND_DOWN, "energy"),
    ],
)
def test_gradually_and_inflected_arcs(rules_only, prompt, arc, by):
    intent = rules_only.interpret(prompt)
    assert (intent.arc, intent.arc_by) == (arc, by)


def test_article_before_an_excluded_artist_belongs_to_the_name(interpreter):
    intent = interpreter.interpret("Punkrock wie die Toten Hosen, aber ohne die Toten Hosen selbst")
    assert intent.exclude_artists == ["Die Toten Hosen"]
    assert "punk-rock" in intent.genres


@pytest.mark.parametrize(
    ("prompt", "genre"),
    [
        ("sofrência sertaneja pra curar dor de cotovelo", "sertanejo"),
        ("Punkrock für die Autobahn", "punk-rock"),
    ],
)
def test_inflected_and_compound_genre_names(rules_only, prompt, genre):
    assert genre in rules_only.interpret(prompt).genres


def test_rien_d_explicite_means_clean(rules_only):
    assert rules_only.interpret("reggae chill pour la plage, rien d'explicite").explicit is False


def test_plural_italian_acoustic(rules_only):
    assert rules_only.interpret("cantautori acustici, solo voce e chitarra").acousticness >= 0.8


def test_a_mood_inside_a_hyphenated_compound_counts(rules_only):
    intent = rules_only.interpret("Kochen mit Freunden – gute-Laune-Musik für ungefähr eine Stunde")
    assert intent.valence >= 0.7 and intent.duration_minutes == 60


def test_interpreters_share_one_loaded_embedding_model():
    from aidj.embedding import shared_matcher
    from aidj.local_interpreter import LocalInterpreter

    first, second = LocalInterpreter(), LocalInterpreter()
    first.warm()
    second.warm()
    # loaded once per process (~0.25 s): a function preloads it while its catalog downloads
    assert first._matcher is second._matcher is shared_matcher()
