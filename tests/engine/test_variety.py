"""Variety's rules judged on keys read many rows at once, as on keys read row by row."""

from __future__ import annotations

import numpy as np

from aidj import selection
from aidj.selection import Variety


def _rows_of_one_artist_and_more(catalog) -> np.ndarray:
    """A few hundred rows holding one artist's many tracks: artist caps and repeats bite."""
    busiest = int(np.bincount(catalog.artist_id).argmax())
    own = np.flatnonzero(catalog.artist_id == busiest)[:40]
    return np.concatenate([own, np.arange(0, 4000, 17)])


def test_keys_read_at_once_are_the_catalogs_own(catalog):
    rows = _rows_of_one_artist_and_more(catalog)
    variety = Variety(catalog)
    variety.know(rows)
    i = int(rows[5])
    assert variety.keys_of[i] == (
        int(catalog.song_id[i]),
        int(catalog.artist_id[i]),
        int(catalog.strict_song[i]),
        int(catalog.strict_artist[i]),
    )


def test_a_variety_that_knew_its_rows_chooses_as_one_that_read_them_one_by_one(catalog):
    rows = _rows_of_one_artist_and_more(catalog)
    knowing, reading = Variety(catalog), Variety(catalog)
    knowing.know(rows)
    chosen: dict[str, list[int]] = {"knowing": [], "reading": []}
    for i in rows.tolist():
        for name, variety in (("knowing", knowing), ("reading", reading)):
            if variety.allows(i):
                variety.add(i)
                chosen[name].append(i)
    assert chosen["knowing"] == chosen["reading"]
    assert len(chosen["knowing"]) < len(rows)  # the rules turned some rows away


def test_taking_a_walks_picks_at_once_chooses_as_judging_each_row_does(catalog):
    rows = _rows_of_one_artist_and_more(catalog)
    taking, judging = Variety(catalog), Variety(catalog)
    taken = taking.take(rows.tolist(), 60)
    judged: list[int] = []
    for i in rows.tolist():
        if len(judged) < 60 and judging.allows(i):
            judging.add(i)
            judged.append(i)
    assert taken == judged
    assert (taking.per_artist, taking.titles) == (judging.per_artist, judging.titles)
    assert len(taken) == 60  # the walk stopped at the picks wanted...
    assert taken != rows.tolist()[:60]  # ... after the rules turned some rows away


def test_a_title_decoded_for_one_request_is_kept_for_the_next_on_the_same_catalog(catalog):
    i = int(_rows_of_one_artist_and_more(catalog)[3])
    first = Variety(catalog).title(i)
    assert Variety(catalog).title_of.get(i) == first


def test_the_titles_kept_per_catalog_are_bounded(catalog, monkeypatch):
    monkeypatch.setattr(selection, "_TITLES_PER_CATALOG", 5)
    variety = Variety(catalog)
    variety.title_of.clear()  # other tests' titles may be kept already
    for i in _rows_of_one_artist_and_more(catalog)[:40].tolist():
        variety.title(i)
    assert 0 < len(variety.title_of) <= 5
