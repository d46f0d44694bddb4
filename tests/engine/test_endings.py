"""Word endings are found from the word's side, longest first, as trying each one would."""

from aidj.endings import Endings
from aidj.genres import COMPOUND_ENDINGS, COMPOUND_SUFFIXES
from aidj.lexicon import INFLECTIONS, stems


def test_a_word_has_its_endings_longest_first():
    assert Endings(["s", "es", "musik", "ik"]).of("tangoes") == ["es", "s"]
    assert Endings(["s", "es", "musik", "ik"]).of("rockmusik") == ["musik", "ik"]


def test_a_word_shorter_than_an_ending_or_without_one_has_none():
    assert Endings(["musik"]).of("usik") == []
    assert Endings(["musik"]).of("rock") == []


def test_the_compound_endings_are_those_endswith_finds_in_the_packs_order():
    for word in ["rockmusik", "popnummers", "sommerhits", "klaviermusik", "jazz", "musik", ""]:
        assert COMPOUND_ENDINGS.of(word) == [s for s in COMPOUND_SUFFIXES if word.endswith(s)]


def test_stems_strip_each_inflection_that_leaves_four_letters():
    assert stems("traurige") == ["traurig"]
    assert stems("tristes") == [
        "tristes"[: -len(s)]
        for s in INFLECTIONS
        if "tristes".endswith(s) and len("tristes") - len(s) >= 4
    ]
