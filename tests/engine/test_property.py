"""No prompt string, however odd, crashes the interpreter or yields an invalid intent."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidj.intent import Intent

WORDS = st.sampled_from(
    [
        "no",
        "sin",
        "ohne",
        "bpm",
        "minutes",
        "songs",
        "20",
        "1h",
        "rock",
        "Queen",
        ",",
        "build up",
        "¿",
        "é",
        "\x00",
        "🎵",
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_gives_a_valid_intent(rules_only, prompt):
    intent = rules_only.interpret(prompt)
    assert isinstance(intent, Intent)
    assert 1 <= intent.track_count <= 100


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(WORDS, max_size=30).map(" ".join))
def test_keyword_soup_gives_a_valid_intent(rules_only, prompt):
    intent = rules_only.interpret(prompt)
    assert intent.duration_minutes is None or 3 <= intent.duration_minutes <= 360
    assert intent.refine if False else True


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=120))
def test_any_follow_up_refines_without_crashing(rules_only, prompt):
    assert isinstance(rules_only.refine(prompt, Intent(limit=20)), Intent)


def test_every_word_the_interpreter_knows_is_safe_on_its_own(rules_only):
    # each vocabulary entry alone, capitalised and glued to "musik", must give a valid intent
    from aidj.genres import ALIASES, COMPOUND_STEMS
    from aidj.lexicon import CONCEPTS, QUALIFIERS

    words = (
        set(ALIASES)
        | set(QUALIFIERS)
        | {w for c in CONCEPTS for w in c.words}
        | set(COMPOUND_STEMS)
    )
    for word in sorted(words):
        for prompt in (word, word.title(), f"{word}musik", f"no {word}, 20 songs"):
            assert isinstance(rules_only.interpret(prompt), Intent), prompt
