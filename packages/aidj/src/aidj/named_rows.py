"""The rows a prompt naming genres can draw from, on a catalog with a genre index.

A prompt naming styles is answered from the tracks carrying their labels; "rap français" also
reaches the scene's tracks by the style's artists or of its sound (:func:`aidj.genre_map.scene_match`),
and "like Daft Punk" the seed artists' own tracks. Scoring those rows alone gives the whole
catalog's answer for them (every score is a track's own), at a few percent of the cost.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aidj.catalog import Catalog, CatalogRows, genres_subset, place_rows
from aidj.genre_map import scene_places


def named_rows(
    catalog: Catalog,
    labels: Sequence[str],
    scenes: Sequence[str] = (),
    seed_artists: Sequence[str] = (),
) -> CatalogRows | None:
    """Rows carrying any of ``labels``, placed in any of ``scenes`` or by ``seed_artists``
    (sorted, each once); None without a genre index."""
    subset = genres_subset(catalog, labels)
    if subset is None or not (scenes or seed_artists):
        return subset
    parts = [subset.rows]
    if scenes:
        parts.append(place_rows(catalog, scene_places(catalog.places, scenes)))
    if seed_artists:
        parts.append(np.asarray(catalog.artist_rows(seed_artists), dtype=np.int64))
    rows = np.sort(np.concatenate(parts), kind="stable")  # sorted runs: a merge, near linear
    if len(rows):
        rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]
    return catalog.subset(rows)


class BuildRows:
    """:func:`named_rows` for one build, made once: the scene count (``with_scenes``) and the
    scoring read the same subset, so its columns are gathered once."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._last: tuple[tuple[tuple[str, ...], ...], CatalogRows | None] | None = None

    def __call__(
        self, labels: Sequence[str], scenes: Sequence[str], seed_artists: Sequence[str]
    ) -> CatalogRows | None:
        key = (tuple(labels), tuple(scenes), tuple(seed_artists))
        if self._last is None or self._last[0] != key:
            self._last = (key, named_rows(self.catalog, labels, scenes, seed_artists))
        return self._last[1]
