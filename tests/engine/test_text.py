"""Phrase matching on a prompt's tokens: what the readers search with."""

import json
from pathlib import Path

import pytest

from aidj.genres import ALIASES
from aidj.lexicon import CONCEPT_PHRASES
from aidj.text import PhraseIndex, Tokens, longest_first

EVAL = Path(__file__).resolve().parents[2] / "tests" / "eval_data"
PROMPTS = [
    json.loads(line)["prompt"]
    for path in sorted(EVAL.glob("*_prompts.jsonl"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
PACK_LISTS = {
    "genre phrases": longest_first(ALIASES),
    "mood and activity phrases": [phrase for phrase, _ in CONCEPT_PHRASES],
}


@pytest.mark.parametrize("name", sorted(PACK_LISTS))
def test_the_index_offers_every_phrase_the_prompt_holds_in_the_packs_order(name):
    phrases = PACK_LISTS[name]
    index = PhraseIndex.of(phrases)
    for prompt in PROMPTS:
        tokens = Tokens.of(prompt)
        placed = [p for p in phrases if tokens.find(p) >= 0]
        assert [p for p in index.present(tokens) if tokens.find(p) >= 0] == placed, prompt


def test_the_index_offers_only_phrases_whose_words_the_prompt_all_holds():
    index = PhraseIndex.of(["deep house", "house", "hard rock", "rock"])
    assert index.present(Tokens.of("some deep rock")) == ["rock"]
    assert index.present(Tokens.of("house music, deep and rock")) == ["deep house", "house", "rock"]


def test_a_phrase_whose_words_are_consumed_is_not_found():
    tokens = Tokens.of("rock then more rock")
    assert tokens.take("rock") == 0
    assert tokens.find("rock") == 3


def test_phrases_under_one_first_word_keep_their_values_in_order():
    index = PhraseIndex([("no", 1), ("no more", 2), ("sin", 3), ("no way", 4)])
    assert index.starting_with("no") == [1, 2, 4]
    assert index.starting_with("without") == []
