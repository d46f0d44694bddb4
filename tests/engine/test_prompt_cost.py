"""One long prompt cannot stall everyone: what the embedding model reads is bounded."""

from aidj.embedding import (
    MAX_EMBED_CHARS,
    MAX_EMBED_TOKENS,
    MAX_EMBED_WORDS,
    ConceptMatcher,
    embeddable,
)


def test_a_long_prompt_is_cut_to_its_first_words():
    prompt = " ".join(f"word{i}" for i in range(400))
    text = embeddable(prompt)
    assert len(text.split()) <= MAX_EMBED_WORDS and len(text) <= MAX_EMBED_CHARS
    assert prompt.startswith(text)


def test_a_short_prompt_is_read_whole():
    assert embeddable("music for a rainy afternoon") == "music for a rainy afternoon"


def test_the_model_never_sees_more_than_the_bound(monkeypatch):
    matcher = ConceptMatcher()
    seen: list[str] = []
    real = matcher._model.query
    monkeypatch.setattr(matcher._model, "query", lambda text: (seen.append(text), real(text))[1])
    matcher.best("zorblat quixote " * 500)
    assert seen and all(len(t) <= MAX_EMBED_CHARS for t in seen)
    assert all(matcher._model.token_count(t, True) <= MAX_EMBED_TOKENS for t in seen)
