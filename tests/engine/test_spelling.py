"""One-letter slips are read as the word meant; names and real words are left alone."""

import pytest

from aidj.spelling import Speller, pack_speller


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("summr", "summer"),
        ("songz", "songs"),
        ("nothng", "nothing"),
        ("contry", "country"),
        ("reggeaton", "reggaeton"),
        ("workot", "workout"),
        ("tranqilo", "tranquilo"),
    ],
)
def test_a_one_letter_slip_is_read_as_the_word_meant(typo, meant):
    assert pack_speller().correct(typo) == meant


@pytest.mark.parametrize(
    "word", ["happy", "anni", "jahre", "plz", "queeen", "2000", "blow", "some", "main", "hapy"]
)
def test_known_short_and_unmatched_words_stay_as_they_are(word):
    assert pack_speller().correct(word) == word


def test_an_ambiguous_slip_is_left_alone():
    assert Speller(["bank", "band"]).correct("banx") == "banx"


def test_typos_no_longer_lose_the_request(rules_only):
    intent = rules_only.interpret("hapy summr songz for the beech, nothng explicit plz")
    assert intent.explicit is False and intent.valence is not None and intent.valence >= 0.6
    assert rules_only.interpret("contry music for a road trip").genres[:1] == ["country"]


def test_a_capitalised_word_past_the_first_is_not_corrected(rules_only):
    from aidj.local_interpreter import _fix_typos
    from aidj.text import Tokens

    tokens = Tokens.of("songs by Summr Breeze, summr hits")
    _fix_typos(tokens)
    assert tokens.folded[2] == "summr"  # "Summr Breeze" is a name
    assert tokens.folded[5] == "summer"
