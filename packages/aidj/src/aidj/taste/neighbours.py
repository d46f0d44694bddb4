"""An artist's catalog neighbours: artists of the same main genre whose sound is nearest.

Spotify's related-artists endpoint is gone for development-mode apps, so the catalog answers:
among the artists whose tracks carry the artist's main genre, the few whose mean audio features
are closest. Tables are built once per catalog and genre, answers once per artist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aidj.catalog import Catalog

NEIGHBOURS = 6  # per artist
MIN_TRACKS = 3  # an artist with fewer tracks in the genre says too little about its sound
_FEATURES = ("energy", "valence", "danceability", "acousticness", "instrumentalness")


@dataclass(slots=True)
class _GenreTable:
    artist_ids: np.ndarray  # first-credited artist ids with >= MIN_TRACKS tracks in the genre
    centres: np.ndarray  # (artists, features) mean audio features


@dataclass(slots=True)
class ArtistIndex:
    """What taste needs to know about artists in one catalog, computed as it is asked for."""

    catalog: Catalog
    rows: dict[str, np.ndarray] = field(default_factory=dict)  # artist name -> catalog rows
    neighbours: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tables: dict[int, _GenreTable] = field(default_factory=dict)
    _specificity: np.ndarray | None = None

    def specificity(self) -> np.ndarray:
        """(G,) how much carrying a genre says about a track: log(tracks / tracks of the genre).

        A catalog whose genres include parents ("rock" over "heavy-metal") would otherwise name
        every metal band's main genre "rock", and its neighbours would be any rock band.
        """
        if self._specificity is None:
            c = self.catalog
            sizes = np.asarray(
                [int(np.count_nonzero(c.genre_mask([g]))) for g in c.genres], dtype=np.float64
            )
            self._specificity = np.log((len(c) + 1.0) / (sizes + 1.0))
        return self._specificity

    def main_genres(self, rows: np.ndarray, top: int) -> list[tuple[int, float]]:
        """The ``top`` genres that best describe ``rows`` (frequent among them, specific in the
        catalog), each with its share of the rows' weight (summing to 1)."""
        c = self.catalog
        bits = np.unpackbits(c.genre_bits[rows], axis=1, bitorder="little")[:, : len(c.genres)]
        weight = bits.sum(axis=0).astype(np.float64) * self.specificity()
        best = [int(g) for g in np.argsort(-weight, kind="stable")[:top] if weight[g] > 0]
        total = float(sum(weight[g] for g in best))
        return [(g, float(weight[g]) / total) for g in best]

    def rows_of(self, name: str) -> np.ndarray:
        found = self.rows.get(name)
        if found is None:
            found = self.catalog.artist_rows([name]).astype(np.int64)
            self.rows[name] = found
        return found

    def neighbours_of(self, name: str) -> tuple[str, ...]:
        """Display names of the artists nearest to ``name`` in its main genre, nearest first."""
        found = self.neighbours.get(name)
        if found is None:
            found = self._nearest(name)
            self.neighbours[name] = found
        return found

    def _nearest(self, name: str) -> tuple[str, ...]:
        c = self.catalog
        rows = self.rows_of(name)
        ids = set(c.artist_ids_matching(name))
        if len(rows) == 0 or not ids:
            return ()
        main = self.main_genres(rows, 1)
        if not main:
            return ()
        table = self._table(main[0][0])
        centre = np.asarray([float(np.mean(c.features[f][rows])) for f in _FEATURES])
        distance = np.abs(table.centres - centre).sum(axis=1)
        order = np.lexsort((table.artist_ids, distance))  # nearest; ties by artist id
        out: list[str] = []
        for k in order.tolist():
            artist = int(table.artist_ids[k])
            if artist in ids:
                continue
            out.append(c.artist_names[artist])
            if len(out) == NEIGHBOURS:
                break
        return tuple(out)

    def _table(self, genre: int) -> _GenreTable:
        table = self.tables.get(genre)
        if table is None:
            c = self.catalog
            rows = np.flatnonzero(c.genre_mask([c.genres[genre]]) & c.playable())
            artists, inverse, counts = np.unique(
                c.artist_id[rows], return_inverse=True, return_counts=True
            )
            sums = np.stack(
                [
                    np.bincount(inverse, weights=c.features[f][rows], minlength=len(artists))
                    for f in _FEATURES
                ],
                axis=1,
            )
            keep = counts >= MIN_TRACKS
            table = _GenreTable(artists[keep], sums[keep] / counts[keep, None])
            self.tables[genre] = table
        return table


# By id(), holding the catalog itself so the id cannot be reused: a Catalog compares by value
# and has slots, so it can neither key a dict nor be weakly referenced. A process has one
# catalog; tests make a few, hence the small bound.
_INDEXES: dict[int, tuple[Catalog, ArtistIndex]] = {}
_KEEP = 4


def artist_index(catalog: Catalog) -> ArtistIndex:
    """The one ArtistIndex of ``catalog`` in this process."""
    held = _INDEXES.get(id(catalog))
    if held is not None and held[0] is catalog:
        return held[1]
    while len(_INDEXES) >= _KEEP:
        del _INDEXES[next(iter(_INDEXES))]
    index = ArtistIndex(catalog)
    _INDEXES[id(catalog)] = (catalog, index)
    return index
