"""The rows a prompt naming genres can draw from, on a catalog with a genre index.

A prompt naming styles is answered from the tracks carrying their labels; "rap français" also
reaches the scene's tracks by the style's artists or of its sound (:func:`aidj.genre_map.scene_match`),
and "like Daft Punk" the seed artists' own tracks. Scoring those rows alone gives the whole
catalog's answer for them (every score is a track's own; the one number the whole scene decides,
its usual sound, is handed to the subset), at a few percent of the cost.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aidj.bitsets import bits_mask
from aidj.catalog import Catalog, CatalogRows, place_rows, read_only, styles_subset
from aidj.genre_map import scene_places, scene_sound


def named_rows(
    catalog: Catalog,
    labels: Sequence[str],
    scenes: Sequence[str] = (),
    seed_artists: Sequence[str] = (),
) -> CatalogRows | None:
    """Rows carrying any of ``labels``, placed in any of ``scenes`` or by ``seed_artists``
    (sorted, each once); None without a genre index."""
    subset = styles_subset(catalog, labels)  # kept: the same styles are asked again and again
    if subset is None or not (scenes or seed_artists):
        return subset
    codes = scene_places(catalog.places, scenes)
    ids = tuple(sorted({g for x in labels if (g := catalog.genre_index(x)) is not None}))
    # kept as the styles' subset is, so its gathered columns and masks (the scene's match) are
    # the next request's too; keyed by what the rows are made of
    key = (*ids, "scenes", *codes, "seeds", *seed_artists)
    return catalog.subsets.get(key, lambda: _widened(catalog, subset, labels, codes, seed_artists))


def _widened(
    catalog: Catalog,
    subset: CatalogRows,
    labels: Sequence[str],
    codes: tuple[int, ...],
    seed_artists: Sequence[str],
) -> CatalogRows:
    """The styles' ``subset`` widened by the scenes' and the seed artists' rows."""
    parts = [subset.rows]
    if codes:
        parts.append(scene_rows(catalog, codes, labels))
    if seed_artists:
        parts.append(np.asarray(catalog.artist_rows(seed_artists), dtype=np.int64))
    rows = np.sort(np.concatenate(parts), kind="stable")  # sorted runs: a merge, near linear
    if len(rows):
        rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]
    out = catalog.subset(rows)
    if codes and len(place_rows(catalog, codes)):
        out.scene_sounds[codes] = scene_usual_sound(catalog, codes)
    return out


def scene_rows(catalog: Catalog, codes: tuple[int, ...], labels: Sequence[str]) -> np.ndarray:
    """The scene's tracks that ``scene_match`` can take for styles ``labels`` beyond the labels'
    own rows: by an artist of the styles (``style_bits``), or filed under no style (``unfiled``,
    taken by sound). Kept per scene and styles: a scene is up to a few percent of the catalog."""
    ids = sorted({g for x in labels if (g := catalog.genre_index(x)) is not None})

    def can_count() -> np.ndarray:
        here = place_rows(catalog, codes)
        can = np.zeros(len(here), dtype=bool)
        if catalog.style_bits is not None:
            can |= bits_mask(np.take(catalog.style_bits, here, axis=0), ids)
        if catalog.unfiled is not None:
            can |= catalog.unfiled[here]
        rows = here[can]
        read_only(rows)
        return rows

    return catalog.rows_kept.scenes.get((*codes, -1, *ids), can_count)


def scene_usual_sound(catalog: Catalog, codes: tuple[int, ...]) -> np.ndarray:
    """:func:`aidj.genre_map.scene_sound` over all of the scene's tracks, kept per scene."""

    def sound() -> np.ndarray:
        centre = scene_sound(catalog.features, place_rows(catalog, codes))
        read_only(centre)
        return centre

    return catalog.rows_kept.sounds.get(codes, sound)


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
