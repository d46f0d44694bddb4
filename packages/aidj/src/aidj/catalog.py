"""The track catalog: one row per Spotify track id, audio features as numpy columns.

Spotify no longer serves audio features, recommendations, popularity or artist genres to new
apps, so the DJ keeps its own catalog. The first load of a CSV compiles it into a columnar
cache (plain ``.npy`` files, no pickle) so later loads take a few tens of milliseconds.

Two CSV schemas are understood: the Spotify Tracks Dataset (``track_genre``, ``artists``
separated by ``;``) and the TidyTuesday "Spotify Songs" set (``playlist_genre``,
``track_artist``, ``track_popularity``, ``track_album_release_date``). A catalog may be made
of several files: rows repeating a track id, in one file or across files, are merged into the
first one seen, their genres gathered and a release year taken from whichever file has one.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

import numpy as np

from aidj.bitsets import MaskCache, bits_mask
from aidj.cache_dir import default_cache_dir
from aidj.genre_map import compile_map
from aidj.kept import Kept
from aidj.progress import ProgressCallback, ProgressEvent, ignore_progress

CACHE_FORMAT = 34
# A built artifact's stored title marks (see store_text_masks): "_text_mask.<key>.npy".
TEXT_MASK_PREFIX = "_text_mask."
# Catalogs this large get a per-genre row index when compiled: every catalog (the 116k one
# included), since scoring only a named genre's rows beats scoring all of them at any size.
GENRE_INDEX_MIN_TRACKS = 0
# Genre subsets kept per catalog (styles_subset), counted in rows over all of them: a kept
# subset holds the columns, masks and score terms its requests made, ~210 bytes a row at most,
# so ~55 MB. At 116k tracks that is every style a server is asked for; at 10M, the smaller ones.
SUBSET_CACHE_ROWS = 1 << 18
# Masks a subset keeps (label sets, scenes, foreign genres), counted in its own rows.
SUBSET_MASKS = 16
# ... and bytes per row for its float32 score terms: sixteen of them (a request adds up to six)
SUBSET_TERMS = 64
# Catalogs this large also get a genre-major copy of the columns scoring reads (each genre's
# rows side by side): a genre-free prompt scores its anchor genre's rows in full
# (aidj.sampled_region), and a slice of ~100k rows is free where a gather out of 10M-row columns
# costs more than the scoring.
GENRE_MAJOR_MIN_TRACKS = 2_000_000
# Rows per genre in the sample that says what a genre's typical track is like (coherence.py);
# compiled into the cache: building it cost a genre-free prompt ~20 ms of every CLI start.
GENRE_SAMPLE = 2000
DEFAULT_CATALOG_NAME = "spotify_tracks_114k.csv"
# The default catalog is every shared file: the 114k set for breadth, TidyTuesday for release years.
DEFAULT_CATALOG_NAMES = (DEFAULT_CATALOG_NAME, "spotify_songs_tidytuesday_2020-01-21.csv")
MIN_YEAR, MAX_YEAR = 1900, 2100
# The file that makes a compiled directory a deployable artifact (aidj.catalog_artifact).
ARTIFACT_MANIFEST = "manifest.json"

FLOAT_FEATURES = (
    "danceability",
    "energy",
    "loudness",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
)
# What the genre-major copy holds: every column fit_scores and its hard limits read of a
# genre-free prompt's rows (the 2-D genre bits are read only when a genre is named).
GENRE_MAJOR_COLUMNS = (
    *FLOAT_FEATURES,
    "popularity",
    "duration_ms",
    "mode",
    "explicit",
    "explicit_known",
    "year",
)
INT_COLUMNS = ("duration_ms", "popularity", "key", "mode", "time_signature")


class CatalogError(Exception):
    """The catalog file is missing or unusable; the message says what to do."""


def normalize_text(text: str) -> str:
    """Case-, accent- and space-insensitive form used to compare titles and artists."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    if not folded.strip():
        folded = text.casefold()  # non-Latin scripts: keep the original letters
    return " ".join(folded.split())


# A version mark: any bracketed part ("(feat. X)", "[Live]", "(2011 Remaster)") or a " - "
# suffix ("- Radio Edit", "- Remix", "- Live at Wembley"). A listener hears these as one song.
_VERSION_MARKS = re.compile(r"\s*(\([^)]*\)?|\[[^\]]*\]?)|\s+-\s+.*$")


# A first name alone names an artist when few artists share it ("Aretha", "Beyonce" is exact anyway).
FIRST_NAME_MIN = 4
FIRST_NAME_MAX_ARTISTS = 3

# how duos are joined in names, in the languages we read
_JOINERS = frozenset({"&", "and", "e", "y", "et", "und", "+", "n"})


def artist_key(name: str) -> str:
    """An artist name for matching: normalised, with any duo joiner read as '&'."""
    return " ".join("&" if w in _JOINERS else w for w in normalize_text(name).split())


def song_title_key(title: str) -> str:
    """A title with its version marks folded away: 'Calma - Remix' and 'Calma (Live)' -> 'calma'."""
    return normalize_text(_VERSION_MARKS.sub("", title)) or normalize_text(title)


def strict_song_key(title: str, first_artist: str) -> tuple[str, str]:
    """The song as the strictest downstream checker sees it: ASCII letters only, first artist.

    Titles in non-Latin scripts fold to "" here, so two of them by one artist count as one
    song; honouring this key as well as ``song_id`` keeps either view satisfied.
    """

    def ascii_fold(text: str) -> str:
        return " ".join(
            unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().split()
        )

    return ascii_fold(_CHECKER_MARKS.sub("", title)) or ascii_fold(title), ascii_fold(first_artist)


_CHECKER_MARKS = re.compile(r"\s*(\(.*?\)|\[.*?\])|\s+-\s+.*$")


def resolve_catalog_paths(
    explicit: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> list[Path]:
    """The catalog's files: an explicit path (several joined by ``os.pathsep``), ``AIDJ_CATALOG``,
    or every shared data file found beside the checkout."""
    spec: Any = explicit if explicit else os.environ.get("AIDJ_CATALOG")
    if spec:
        parts = [spec] if isinstance(spec, (str, os.PathLike)) else list(spec)
        paths = [p for part in parts for p in str(part).split(os.pathsep) if p.strip()]
        return [Path(p).expanduser() for p in paths]
    for folder in (
        Path.cwd() / ".." / "shared" / "data",
        Path.cwd() / "shared" / "data",
        Path(__file__).resolve().parents[4] / ".." / "shared" / "data",
    ):
        found = [
            (folder / name).resolve() for name in DEFAULT_CATALOG_NAMES if (folder / name).exists()
        ]
        if found:
            return found
    return [(Path.cwd() / ".." / "shared" / "data" / DEFAULT_CATALOG_NAME).resolve()]


class SubsetCache(Kept[tuple[int | str, ...], "CatalogRows"]):
    """Genre subsets (:class:`CatalogRows`) by label ids (and the scene codes and seed artists
    that widen them: :mod:`aidj.named_rows`), kept while their rows fit a budget."""

    def __init__(self, budget_rows: int = SUBSET_CACHE_ROWS) -> None:
        super().__init__(budget_rows, len)


@dataclass(slots=True)
class Catalog:
    """Columnar catalog. Row ``i`` of every array describes the same track."""

    ids: Sequence[str]
    names: Sequence[str]
    albums: Sequence[str]
    artist_strings: Sequence[str]  # credited artists joined by ";"
    genres: list[str]  # genre vocabulary; bit g of genre_bits[i] says track i has genres[g]
    genre_bits: np.ndarray  # (n, ceil(G/8)) uint8
    features: dict[str, np.ndarray]  # float32 columns (FLOAT_FEATURES)
    duration_ms: np.ndarray  # int32
    popularity: np.ndarray  # int16
    key: np.ndarray  # int8, 0..11 (-1 unknown)
    mode: np.ndarray  # int8, 1 major, 0 minor
    explicit: np.ndarray  # bool
    # int32: versions of one song (same folded title, a shared artist) share an id
    song_id: np.ndarray
    year: np.ndarray  # int16 release year, 0 when unknown
    strict_song: np.ndarray  # int32 id of strict_song_key(title, first artist)
    strict_artist: np.ndarray  # int32 id of the ASCII-folded first artist
    artist_id: np.ndarray  # int32: first credited artist
    artist_ptr: np.ndarray  # int64 (n+1): CSR offsets into artist_idx, all credited artists
    artist_idx: np.ndarray  # int32
    artist_names: list[str]  # artist vocabulary (display form)
    explicit_known: np.ndarray | None = (
        None  # bool; False where the source file had no explicit flag
    )
    genre_related: np.ndarray | None = None  # (G, G) bool: genres that sit well next to each other
    # the genre map (aidj.genre_map): each track's scene (index into places, 0 = none), the
    # labels it carries and is core for, and the labels its first artist is core for
    place: np.ndarray | None = None  # int8
    places: list[str] = field(default_factory=lambda: [""])
    core_bits: np.ndarray | None = None  # like genre_bits
    style_bits: np.ndarray | None = None  # like genre_bits
    skewed: np.ndarray | None = None  # (G,) bool: labels drawn largely from one foreign scene
    versatile: np.ndarray | None = None  # bool: the first artist carries two styles or more
    # like genre_bits: the labels the first artist carries on any track
    artist_bits: np.ndarray | None = None
    unfiled: np.ndarray | None = None  # bool: no style label, and an artist no style claims
    source: str = ""
    id_sorted: np.ndarray | None = field(default=None, repr=False)  # S22 ids, sorted
    id_order: np.ndarray | None = field(default=None, repr=False)  # row of each sorted id
    # per-genre row index, compiled into every catalog (CSR: genre_rows[genre_ptr[g]:genre_ptr[g+1]])
    genre_ptr: np.ndarray | None = field(default=None, repr=False)
    genre_rows: np.ndarray | None = field(default=None, repr=False)
    # GENRE_MAJOR_COLUMNS in genre_rows order (genre g's are [genre_ptr[g]:genre_ptr[g+1]]),
    # compiled for the largest catalogs only (see GENRE_MAJOR_MIN_TRACKS)
    genre_major: dict[str, np.ndarray] | None = field(default=None, repr=False)
    _id_index: dict[str, int] | None = field(default=None, repr=False)
    _artist_lookup: dict[str, list[int]] | None = field(default=None, repr=False)
    _genre_index: dict[str, int] | None = field(default=None, repr=False)
    _playable: np.ndarray | None = field(default=None, repr=False)
    _genre_sample: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _mask_cache: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict, repr=False)
    masks: MaskCache = field(default_factory=MaskCache, repr=False)  # label sets' masks, shared
    subsets: SubsetCache = field(default_factory=SubsetCache, repr=False)  # see styles_subset
    _text_masks: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _tables: dict[str, Any] = field(default_factory=dict, repr=False)  # see derived_table
    rows_kept: RowsKept = field(default_factory=lambda: RowsKept(), repr=False)
    # column name -> its strings ASCII-folded and lowercased, NUL-separated, and where the NULs
    # are; "digest" -> a hash of the titles and albums (keys the masks kept on disk)
    _folded: dict[str, tuple[bytes, np.ndarray]] = field(default_factory=dict, repr=False)
    # a sample's whole catalog and its rows there: text and derived masks (seasons, covers) are
    # the whole catalog's, read at the sampled rows, so a sample judges a track as the whole would
    _whole: tuple[Catalog, np.ndarray] | None = field(default=None, repr=False)
    # the compiled folder, whose stored title marks (an artifact's: text_mask_file) come first
    folder: Path | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def playable(self) -> np.ndarray:
        """Tracks a DJ set can hold at all (see :func:`playable_mask`); computed once, read-only."""
        if self._playable is None:
            mask = playable_mask(self.duration_ms, self.features["tempo"])
            mask.flags.writeable = False
            self._playable = mask
        return self._playable

    def genre_sample(self, per_genre: int = GENRE_SAMPLE) -> tuple[np.ndarray, np.ndarray]:
        """CSR (ptr, rows) of up to ``per_genre`` evenly spaced playable rows of every genre, built once.

        Enough to say what a genre's typical track is like without reading all of its rows.
        """
        if self._genre_sample is None:
            if self.genre_ptr is not None and self.genre_rows is not None:
                ptr, rows = self.genre_ptr, self.genre_rows
            else:
                ptr, rows = build_genre_index(self.genre_bits, len(self.genres))
            self._genre_sample = genre_sample_of(ptr, rows, self.playable(), per_genre)
        return self._genre_sample

    def index_of(self, track_id: str) -> int | None:
        if self.id_sorted is not None and self.id_order is not None:
            # binary search over sorted ids: no 10-million-entry dict in memory
            key = track_id.encode("ascii", "ignore")[:22]
            pos = int(np.searchsorted(self.id_sorted, key))
            if (
                pos < len(self.id_sorted)
                and self.id_sorted[pos] == key
                and len(key) == len(track_id)
            ):
                return int(self.id_order[pos])
            return None
        if self._id_index is None:
            self._id_index = {tid: i for i, tid in enumerate(self.ids)}
        return self._id_index.get(track_id)

    def genre_index(self, genre: str) -> int | None:
        if self._genre_index is None:
            self._genre_index = {g: i for i, g in enumerate(self.genres)}
        return self._genre_index.get(genre)

    def artists_of(self, i: int) -> list[str]:
        return credited(self.artist_strings[i])

    def genres_of(self, i: int) -> list[str]:
        row = np.unpackbits(self.genre_bits[i], bitorder="little")[: len(self.genres)]
        return [self.genres[g] for g in np.flatnonzero(row)]

    def derived_mask(self, key: str, compute: Callable[[Catalog], np.ndarray]) -> np.ndarray:
        """A per-track mask another module derives from the catalog (``compute``), computed
        once per ``key`` and process; read-only."""
        mask = self._text_masks.get(key)
        if mask is None:
            whole = self._whole
            mask = compute(self) if whole is None else whole[0].derived_mask(key, compute)[whole[1]]
            mask.flags.writeable = False
            self._text_masks[key] = mask
        return mask

    def folded_titles(self) -> tuple[bytes, np.ndarray]:
        """Every title ASCII-folded and lowercased, NUL-separated, and where the NULs are."""
        folded = self._folded.get("names")
        if folded is None:
            folded = self._folded["names"] = folded_text(_strings(self.names))
        return folded

    def text_mask(self, key: str, pattern: re.Pattern[bytes], albums: bool = True) -> np.ndarray:
        """Tracks whose title (or album, with ``albums``) matches ``pattern``, a bytes regex over the ASCII-folded,
        lowercased text ("Noël" reads "noel"); read-only, kept per ``key`` (one key, one pattern).

        Reading 100k+ titles costs a few hundred milliseconds, so the answer is also kept on disk
        beside the compiled catalog, keyed by the strings' bytes and the pattern."""
        mask = self._text_masks.get(key)
        if mask is None:
            whole = self._whole
            mask = (
                _stored_text_mask(self, pattern, albums)
                if whole is None
                else whole[0].text_mask(key, pattern, albums)[whole[1]]
            )
            mask.flags.writeable = False
            self._text_masks[key] = mask
        return mask

    def genre_mask(self, genres: Iterable[str]) -> np.ndarray:
        """Boolean mask of tracks carrying at least one of ``genres`` (read-only: kept in
        ``masks`` for the next request asking the same styles)."""
        ids = tuple(sorted({i for g in genres if (i := self.genre_index(g)) is not None}))
        return self.masks.get(("genre_bits", ids), lambda: bits_mask(self.genre_bits, ids))

    def fixed_genre_mask(self, genres: tuple[str, ...]) -> np.ndarray:
        """:meth:`genre_mask` for a list asked again and again (a language's foreign genres):
        computed once per process, read-only."""
        mask = self._mask_cache.get(genres)
        if mask is None:
            mask = self.genre_mask(genres)
            mask.flags.writeable = False
            self._mask_cache[genres] = mask
        return mask

    def rows_with_genres(self, genres: Iterable[str]) -> np.ndarray | None:
        """Sorted rows carrying any of ``genres``, from the genre index; None without one."""
        if self.genre_ptr is None or self.genre_rows is None:
            return None
        parts = []
        for genre in genres:
            g = self.genre_index(genre)
            if g is not None:
                parts.append(self.genre_rows[self.genre_ptr[g] : self.genre_ptr[g + 1]])
        if not parts:
            return np.zeros(0, dtype=np.int64)
        rows = np.sort(np.concatenate(parts), kind="stable")  # merging sorted runs: near linear
        if len(parts) > 1 and len(rows):
            rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]
        return rows.astype(np.int64, copy=False)

    def subset(self, rows: np.ndarray) -> CatalogRows:
        """The columns scoring reads, for ``rows`` only (row j of the subset is ``rows[j]`` here)."""
        return CatalogRows(self, rows)

    def sample(self, rows: np.ndarray) -> Catalog:
        """A catalog of ``rows`` only (sorted; row j of the sample is ``rows[j]`` here) that keeps
        this one's genre vocabulary, relations and per-genre sample (which ``rows`` must hold):
        the whole engine runs on it unchanged. Strings are read through from this catalog."""
        counts = np.diff(self.artist_ptr)[rows]
        artist_ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(counts, out=artist_ptr[1:])
        credits = np.repeat(self.artist_ptr[rows] - artist_ptr[:-1], counts)
        credits += np.arange(artist_ptr[-1], dtype=np.int64)
        sample = Catalog(
            ids=RowsOf(self.ids, rows),
            names=RowsOf(self.names, rows),
            albums=RowsOf(self.albums, rows),
            artist_strings=RowsOf(self.artist_strings, rows),
            genres=self.genres,
            genre_bits=self.genre_bits[rows],
            features={name: column[rows] for name, column in self.features.items()},
            duration_ms=self.duration_ms[rows],
            popularity=self.popularity[rows],
            key=self.key[rows],
            mode=self.mode[rows],
            explicit=self.explicit[rows],
            song_id=self.song_id[rows],
            year=self.year[rows],
            strict_song=self.strict_song[rows],
            strict_artist=self.strict_artist[rows],
            artist_id=self.artist_id[rows],
            artist_ptr=artist_ptr,
            artist_idx=self.artist_idx[credits],
            artist_names=self.artist_names,
            explicit_known=None if self.explicit_known is None else self.explicit_known[rows],
            genre_related=self.genre_related,
            source=self.source,
        )
        ptr, sampled = self.genre_sample()
        at = np.searchsorted(rows, sampled)
        if len(sampled) and not np.array_equal(rows[np.minimum(at, len(rows) - 1)], sampled):
            raise ValueError("a catalog sample must hold every row of the per-genre sample")
        sample._genre_sample = (ptr, at.astype(np.int64))
        sample._whole = (self, rows)
        return sample

    def artist_ids_matching(self, name: str) -> list[int]:
        """Artist ids whose name equals ``name`` up to case, accents and the word joining a duo
        ("Henrique e Juliano" is "Henrique & Juliano")."""
        if self._artist_lookup is None:
            lookup: dict[str, list[int]] = {}
            for a, artist in enumerate(self.artist_names):
                key = artist_key(artist)
                lookup.setdefault(key, []).append(a)
                first = key.split(" ", 1)[0]
                if first != key and len(first) >= FIRST_NAME_MIN:
                    # "no Aretha": a first name alone, kept under a marked key
                    lookup.setdefault("\0" + first, []).append(a)
                last = key.rsplit(" ", 1)[-1]
                if last != key and len(last) >= FIRST_NAME_MIN:
                    # "sin Bisbal", "ohne Grönemeyer": a surname alone, under its own marked key
                    lookup.setdefault("\1" + last, []).append(a)
            self._artist_lookup = lookup
        key = artist_key(name)
        exact = self._artist_lookup.get(key)
        if exact:
            return exact
        if " " in key:
            return []  # a full name the catalog lacks is not swapped for a namesake
        # one word: people name solo artists by surname ("no Swift", "sin Bisbal") and divas by
        # first name ("no Aretha"); a word that many artists share names nobody ("Smith")
        for marked in ("\1" + key, "\0" + key):
            found = self._artist_lookup.get(marked, [])
            if found:
                return found if len(found) <= FIRST_NAME_MAX_ARTISTS else []
        return []

    def artist_rows(self, names: Iterable[str]) -> np.ndarray:
        """Sorted rows of the tracks crediting any of ``names`` (any credited artist, not only the first)."""
        wanted: list[int] = []
        for name in names:
            wanted.extend(self.artist_ids_matching(name))
        if not wanted:
            return np.zeros(0, dtype=np.int64)
        # find the few credits that match, then their tracks through the CSR offsets: a
        # per-track reduction over every credit would cost ~80 ms at 10M tracks
        credits = np.flatnonzero(np.isin(self.artist_idx, np.asarray(wanted, dtype=np.int32)))
        return np.unique(np.searchsorted(self.artist_ptr, credits, side="right") - 1)

    def artist_mask(self, names: Iterable[str]) -> np.ndarray:
        """Tracks crediting any of ``names`` (any credited artist, not only the first)."""
        mask = np.zeros(len(self), dtype=bool)
        mask[self.artist_rows(names)] = True
        return mask

    def track(self, i: int) -> dict[str, Any]:
        """One track as a plain dict (for display and export)."""
        return {
            "id": self.ids[i],
            "name": self.names[i],
            "artists": self.artists_of(i),
            "album": self.albums[i],
            "duration_ms": int(self.duration_ms[i]),
            "explicit": bool(self.explicit[i]),
            "popularity": int(self.popularity[i]),
            "genres": self.genres_of(i),
            "year": int(self.year[i]) or None,
            "key": int(self.key[i]),
            "mode": int(self.mode[i]),
            **{name: float(col[i]) for name, col in self.features.items()},
        }


# Intros, skits and jingles, and hour-long recordings, do not belong in a DJ set; nor do
# tracks without a tempo (silence, spoken word).
MIN_DURATION_MS = 60_000
MAX_DURATION_MS = 12 * 60_000


def playable_mask(duration_ms: np.ndarray, tempo: np.ndarray) -> np.ndarray:
    return (duration_ms >= MIN_DURATION_MS) & (duration_ms <= MAX_DURATION_MS) & (tempo > 0)


def _genre_columns(
    bits: np.ndarray, n_genres: int, duration_ms: np.ndarray, tempo: np.ndarray
) -> dict[str, np.ndarray]:
    """The per-genre sample, and for large catalogs the per-genre row index it is drawn from."""
    ptr, rows = build_genre_index(bits, n_genres)
    # the same arrays the loaded catalog's playable() reads, so the sample is the one it would build
    playable = playable_mask(np.clip(duration_ms, 0, 2**31 - 1).astype(np.int32), tempo)
    sample_ptr, sample_rows = genre_sample_of(ptr, rows, playable)
    columns = {"_genre_sample_ptr": sample_ptr, "_genre_sample_rows": sample_rows.astype(np.int32)}
    if len(bits) >= GENRE_INDEX_MIN_TRACKS:
        columns |= {"_genre_ptr": ptr, "_genre_rows": rows}
    return columns


def styles_subset(catalog: Catalog, genres: Iterable[str]) -> CatalogRows | None:
    """:meth:`Catalog.rows_with_genres` as a subset, kept for the next request naming the same
    styles (``Catalog.subsets``): its gathered columns and masks depend on the catalog and the
    styles only, so a request asking them again gathers nothing. None without a genre index."""
    if catalog.genre_ptr is None or catalog.genre_rows is None:
        return None
    ids = tuple(sorted({i for g in genres if (i := catalog.genre_index(g)) is not None}))
    names = [catalog.genres[g] for g in ids]
    return catalog.subsets.get(ids, lambda: cast(CatalogRows, genres_subset(catalog, names)))


def positions_of(rows: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where the catalog rows ``wanted`` sit in the sorted ``rows`` (those that are there)."""
    if len(rows) == 0 or len(wanted) == 0:
        return np.zeros(0, dtype=np.int64)
    at = np.searchsorted(rows, wanted)
    inside = at < len(rows)
    return at[inside][rows[at[inside]] == wanted[inside]]


def genre_subset(catalog: Catalog, genre: str) -> CatalogRows | None:
    """One genre's rows (sorted) as a subset, from the genre index; the genre-major copy's
    slices where compiled, so nothing is gathered. None without an index or for an unknown genre."""
    g = catalog.genre_index(genre)
    if catalog.genre_ptr is None or catalog.genre_rows is None or g is None:
        return None
    lo, hi = int(catalog.genre_ptr[g]), int(catalog.genre_ptr[g + 1])
    major = catalog.genre_major or {}
    rows = catalog.genre_rows[lo:hi].astype(np.int64)
    given = {name: column[lo:hi] for name, column in major.items()}
    return CatalogRows(catalog, rows, given, genre=g)


# Row lists kept per catalog (genres sets merged, places' rows): a few MB each at 10M tracks.
ROWS_KEPT = 16


class RowsKept:
    """Row lists a catalog keeps for the next request naming the same genres or places, the
    last :data:`ROWS_KEPT` used of each kind (read-only, shared by every request), and the masks
    one genre's subset keeps."""

    def __init__(self) -> None:
        # (mask key, genre) -> a kept mask at that genre's rows (CatalogRows of one genre)
        self.genre_masks: dict[tuple[object, ...], np.ndarray] = {}
        # genre ids -> their rows merged (sorted, each once) and where each sits in the
        # genres' index slices laid end to end (genres_subset)
        self.merged: Kept[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = Kept(ROWS_KEPT, _one)
        self.places: Kept[tuple[int, ...], np.ndarray] = Kept(ROWS_KEPT, _one)  # place_rows
        # place codes (+ -1 + genre ids) -> a scene's rows that can count for those styles,
        # or (codes alone) its usual sound (aidj.named_rows)
        self.scenes: Kept[tuple[int, ...], np.ndarray] = Kept(ROWS_KEPT, _one)
        self.sounds: Kept[tuple[int, ...], np.ndarray] = Kept(ROWS_KEPT, _one)


def _one(_: object) -> int:
    return 1


def read_only(*arrays: np.ndarray) -> None:
    """Mark arrays a catalog keeps for every request as not to be written."""
    for kept in arrays:
        kept.flags.writeable = False


def genres_subset(catalog: Catalog, genres: Iterable[str]) -> CatalogRows | None:
    """The rows carrying any of ``genres`` (sorted, each once) as a subset, from the genre index;
    None without one. Columns come from the genre-major copy where compiled: one genre's slice
    as it is, several genres' slices laid end to end and put in row order, a gather out of a few
    hundred thousand rows instead of out of the catalog's 10M-row columns."""
    if catalog.genre_ptr is None or catalog.genre_rows is None:
        return None
    ids = tuple(sorted({g for x in genres if (g := catalog.genre_index(x)) is not None}))
    if not ids:
        return CatalogRows(catalog, np.zeros(0, dtype=np.int64))
    if len(ids) == 1:
        return genre_subset(catalog, catalog.genres[ids[0]])
    rows, take = merged_genre_rows(catalog, ids)
    spans = [(int(catalog.genre_ptr[g]), int(catalog.genre_ptr[g + 1])) for g in ids]
    return CatalogRows(catalog, rows, _Merged(catalog.genre_major or {}, spans, take))


def merged_genre_rows(catalog: Catalog, ids: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of genres ``ids`` (sorted, each once), and each one's place in their index slices
    laid end to end; kept for the last :data:`ROWS_KEPT` sets asked."""

    def merge() -> tuple[np.ndarray, np.ndarray]:
        assert catalog.genre_ptr is not None and catalog.genre_rows is not None
        ptr, index = catalog.genre_ptr, catalog.genre_rows
        joined = np.concatenate([index[ptr[g] : ptr[g + 1]] for g in ids])
        order = np.argsort(joined, kind="stable")
        ordered = joined[order]
        first = np.ones(len(ordered), dtype=bool)
        first[1:] = ordered[1:] != ordered[:-1]
        merged = (ordered[first].astype(np.int64), order[first])
        read_only(*merged)
        return merged

    return catalog.rows_kept.merged.get(ids, merge)


def place_rows(catalog: Catalog, codes: tuple[int, ...]) -> np.ndarray:
    """Rows placed in any of the scenes ``codes`` (indices into ``catalog.places``), sorted;
    kept for the last :data:`ROWS_KEPT` sets asked."""

    def placed() -> np.ndarray:
        place = catalog.place
        here = np.zeros(len(catalog), dtype=bool) if place is None else np.isin(place, codes)
        rows = np.flatnonzero(here).astype(np.int64)
        read_only(rows)
        return rows

    return catalog.rows_kept.places.get(codes, placed)


class _Merged(Mapping[str, np.ndarray]):
    """Genre-major columns for several genres' rows, built on first read: the genres' slices
    end to end, taken at ``take`` (row order, each row once)."""

    def __init__(
        self, major: Mapping[str, np.ndarray], spans: list[tuple[int, int]], take: np.ndarray
    ) -> None:
        self._major, self._spans, self._take = major, spans, take
        self._built: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        column = self._built.get(name)
        if column is None:
            source = self._major[name]
            joined = np.concatenate([source[lo:hi] for lo, hi in self._spans])
            column = self._built[name] = joined[self._take]
        return column

    def __contains__(self, name: object) -> bool:
        return name in self._major

    def get(self, name: str, default: np.ndarray | None = None) -> np.ndarray | None:
        # without the Mapping default's KeyError for every column the copy lacks
        return self[name] if name in self._major else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._major)

    def __len__(self) -> int:
        return len(self._major)


def genre_major(
    column: Callable[[str], np.ndarray | None], genre_rows: np.ndarray
) -> dict[str, np.ndarray]:
    """GENRE_MAJOR_COLUMNS (``column(name)`` reads one, catalog-ordered; None: the catalog has
    none) in ``genre_rows`` order."""
    columns = {name: column(name) for name in GENRE_MAJOR_COLUMNS}
    return {
        name: np.ascontiguousarray(c[genre_rows]) for name, c in columns.items() if c is not None
    }


class _Gathered(dict):
    """Feature columns for a subset of rows, gathered on first use (a prompt reads a few);
    ``given`` columns (slices of the genre-major copy) are used as they are."""

    def __init__(
        self, source: dict[str, np.ndarray], rows: np.ndarray, given: Mapping[str, np.ndarray]
    ) -> None:
        super().__init__()
        self._source, self._rows, self._given = source, rows, given

    def __missing__(self, name: str) -> np.ndarray:
        given = self._given.get(name)
        if given is None:
            column = self._source[name][self._rows]
            column.flags.writeable = False  # a kept subset's: later requests read it again
        else:
            column = given
        self[name] = column
        return column


class CatalogRows:
    """Some rows of a catalog, with the columns and masks scoring and candidate ranking read.

    A prompt that names genres needs only the rows the genre index lists (a few percent of a
    large catalog); scoring them alone instead of every track is what keeps 10M tracks fast.
    Each column is gathered from the catalog when first read (a genre-free prompt reads five of
    twenty; a 2-D genre-bit gather alone costs as much as scoring the rows), or taken from
    ``given``: columns already laid out for exactly these rows (:mod:`aidj.genre_major`).
    """

    def __init__(
        self,
        catalog: Catalog,
        rows: np.ndarray,
        given: Mapping[str, np.ndarray] | None = None,
        genre: int | None = None,
    ) -> None:
        given = {} if given is None else given
        self.catalog = catalog
        self.rows = rows
        self.genre = genre  # the genre whose rows these are, all of them (genre_subset)
        # place codes -> the usual sound of a scene only some of whose tracks are here
        self.scene_sounds: dict[tuple[int, ...], np.ndarray] = {}
        self.features = _Gathered(catalog.features, rows, given)
        self.places = catalog.places
        self.skewed = catalog.skewed
        self._given = given
        self._read: dict[str, np.ndarray] = {}  # columns gathered so far
        # label sets' masks at these rows (read-only; genre_map reads ``masks`` where it exists)
        self.masks = MaskCache(SUBSET_MASKS * len(rows))
        # float32 score terms at these rows (scoring.fit_scores: a fit to targets, a prior)
        self.terms = MaskCache(SUBSET_TERMS * len(rows))

    def _column(self, name: str) -> np.ndarray:
        column = self._read.get(name)  # (first: every request reads the same few again)
        if column is None:
            column = self._given.get(name)
            if column is None:
                # np.take: a 2-D bitset's rows in one copy each, 3x faster than fancy indexing
                column = np.take(getattr(self.catalog, name), self.rows, axis=0)
                column.flags.writeable = False  # a kept subset's: later requests read it again
            self._read[name] = column
        return column

    def _optional(self, name: str) -> np.ndarray | None:
        return None if getattr(self.catalog, name) is None else self._column(name)

    @property
    def popularity(self) -> np.ndarray:
        return self._column("popularity")

    @property
    def duration_ms(self) -> np.ndarray:
        return self._column("duration_ms")

    @property
    def explicit(self) -> np.ndarray:
        return self._column("explicit")

    @property
    def explicit_known(self) -> np.ndarray | None:
        return self._optional("explicit_known")

    @property
    def year(self) -> np.ndarray:
        return self._column("year")

    @property
    def mode(self) -> np.ndarray:
        return self._column("mode")

    @property
    def genre_bits(self) -> np.ndarray:
        return self._column("genre_bits")

    @property
    def artist_id(self) -> np.ndarray:
        return self._column("artist_id")

    @property
    def place(self) -> np.ndarray | None:
        return self._optional("place")

    @property
    def core_bits(self) -> np.ndarray | None:
        return self._optional("core_bits")

    @property
    def style_bits(self) -> np.ndarray | None:
        return self._optional("style_bits")

    @property
    def versatile(self) -> np.ndarray | None:
        return self._optional("versatile")

    @property
    def artist_bits(self) -> np.ndarray | None:
        return self._optional("artist_bits")

    @property
    def unfiled(self) -> np.ndarray | None:
        return self._optional("unfiled")

    def __len__(self) -> int:
        return len(self.rows)

    def genre_index(self, genre: str) -> int | None:
        return self.catalog.genre_index(genre)

    def playable(self) -> np.ndarray:
        mask = self._read.get("playable")
        if mask is None:
            # the catalog's own rule on these rows' columns: no gather from a catalog-sized mask
            mask = playable_mask(self.duration_ms, self.features["tempo"])
            mask.flags.writeable = False
            self._read["playable"] = mask
        return mask

    def genre_mask(self, genres: Iterable[str]) -> np.ndarray:
        ids = tuple(sorted({i for g in genres if (i := self.catalog.genre_index(g)) is not None}))
        return self.masks.get(("genre_bits", ids), lambda: bits_mask(self.genre_bits, ids))

    def fixed_genre_mask(self, genres: tuple[str, ...]) -> np.ndarray:
        return self._kept(("genres", *genres), lambda: self.catalog.fixed_genre_mask(genres))

    def text_mask(self, key: str, pattern: re.Pattern[bytes], albums: bool = True) -> np.ndarray:
        return self._kept(("text", key), lambda: self.catalog.text_mask(key, pattern, albums))

    def derived_mask(self, key: str, compute: Callable[[Catalog], np.ndarray]) -> np.ndarray:
        return self._kept(("derived", key), lambda: self.catalog.derived_mask(key, compute))

    def _kept(self, key: tuple[str, ...], whole: Callable[[], np.ndarray]) -> np.ndarray:
        """A mask the catalog keeps (``whole()``), at these rows. One genre's rows keep theirs
        too, by genre: gathering 100k rows out of a 10M-row mask costs ~1 ms a prompt."""
        if self.genre is None:
            return self.masks.get(key, lambda: whole()[self.rows])
        kept = self.catalog.rows_kept.genre_masks.get((*key, self.genre))
        if kept is None:
            kept = whole()[self.rows]
            kept.flags.writeable = False
            self.catalog.rows_kept.genre_masks[(*key, self.genre)] = kept
        return kept

    def artist_mask(self, names: Iterable[str]) -> np.ndarray:
        """Read-only, kept in ``masks``: the artists' credits are searched in the whole catalog."""
        asked = tuple(names)

        def build() -> np.ndarray:
            mask = np.zeros(len(self.rows), dtype=bool)
            mask[positions_of(self.rows, self.catalog.artist_rows(asked))] = True
            return mask

        return self.masks.get(("artists", *asked), build)


# Two genres sit well next to each other when enough tracks carry both, or when their artists
# overlap: house~edm, latino~reggaeton, pop~dance; k-pop~metal do not. The same definition the
# shared evaluation uses for "flow", computed from the catalog itself.
RELATED_SHARED_TRACKS = 20
RELATED_ARTIST_COSINE = 0.15
_RELATION_CHUNK = 262_144


def genre_relations(
    genre_bits: np.ndarray,
    n_genres: int,
    artist_ptr: np.ndarray,
    artist_idx: np.ndarray,
    n_artists: int,
) -> np.ndarray:
    """(G, G) bool: genres related by shared tracks or by overlapping artists (cosine of counts)."""
    n = len(genre_bits)
    shared = np.zeros((n_genres, n_genres), dtype=np.float64)
    credits = np.diff(artist_ptr).astype(np.int64)
    pair_keys: list[np.ndarray] = []
    for start in range(
        0, n, _RELATION_CHUNK
    ):  # chunks: an unpacked (n, G) matrix is 1 GB at 10M tracks
        stop = min(n, start + _RELATION_CHUNK)
        bits = np.unpackbits(genre_bits[start:stop], axis=1, bitorder="little")[
            :, :n_genres
        ].astype(np.float32)
        shared += bits.T @ bits
        # (genre, artist) for every credit of every genre of every track in the chunk
        track_of_credit = np.repeat(np.arange(stop - start), credits[start:stop])
        artists = artist_idx[artist_ptr[start] : artist_ptr[stop]].astype(np.int64)
        rows, genres = np.nonzero(bits[track_of_credit])
        pair_keys.append(genres.astype(np.int64) * max(1, n_artists) + artists[rows])
    keys, counts = np.unique(
        np.concatenate(pair_keys) if pair_keys else np.zeros(0, np.int64), return_counts=True
    )
    genre_of, artist_of = keys // max(1, n_artists), keys % max(1, n_artists)
    norms = np.sqrt(
        np.bincount(genre_of, weights=counts.astype(np.float64) ** 2, minlength=n_genres)
    )
    # only artists credited under two or more genres add to a dot product
    artist_genres = np.bincount(artist_of, minlength=max(1, n_artists))
    multi = artist_genres[artist_of] > 1
    dots = np.zeros((n_genres, n_genres), dtype=np.float64)
    g, a, c = genre_of[multi], artist_of[multi], counts[multi].astype(np.float64)
    order = np.argsort(a, kind="stable")
    g, a, c = g[order], a[order], c[order]
    bounds = np.flatnonzero(np.diff(a)) + 1
    for lo, hi in zip(np.concatenate(([0], bounds)), np.concatenate((bounds, [len(a)]))):
        gs, cs = g[lo:hi], c[lo:hi]
        dots[np.ix_(gs, gs)] += np.outer(cs, cs)
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.where(np.outer(norms, norms) > 0, dots / np.outer(norms, norms), 0.0)
    related = (shared >= RELATED_SHARED_TRACKS) | (cosine >= RELATED_ARTIST_COSINE)
    np.fill_diagonal(related, True)
    return related


def genre_sample_of(
    ptr: np.ndarray, rows: np.ndarray, playable: np.ndarray, per_genre: int = GENRE_SAMPLE
) -> tuple[np.ndarray, np.ndarray]:
    """CSR (ptr, rows) of up to ``per_genre`` evenly spaced playable rows of each genre of the
    genre index (ptr, rows)."""
    parts = []
    for g in range(len(ptr) - 1):
        members = rows[ptr[g] : ptr[g + 1]]
        members = members[playable[members]]
        step = max(1, len(members) // per_genre)
        parts.append(members[::step][:per_genre].astype(np.int64))
    sample_ptr = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(p) for p in parts], out=sample_ptr[1:])
    return sample_ptr, (np.concatenate(parts) if parts else np.zeros(0, np.int64))


def build_genre_index(genre_bits: np.ndarray, n_genres: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR (ptr, rows) of the rows carrying each genre, rows sorted within a genre."""
    # One scan per byte column, not per genre: a track carries few genres, so the non-zero rows
    # of a byte are few and its eight bits are read from them (5x faster on the default catalog,
    # where this index is built at start-up for prompts that name no genre).
    columns = np.ascontiguousarray(genre_bits.T)
    parts: list[np.ndarray] = []
    for byte in range((n_genres + 7) // 8):
        rows = np.flatnonzero(columns[byte])
        values = columns[byte][rows]
        for bit in range(min(8, n_genres - 8 * byte)):
            parts.append(rows[(values & np.uint8(1 << bit)) != 0].astype(np.int32))
    ptr = np.zeros(n_genres + 1, dtype=np.int64)
    np.cumsum([len(p) for p in parts], out=ptr[1:])
    rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return ptr, rows


# --------------------------------------------------------------------------- compiling


class StringColumn(Sequence[str]):
    """Strings stored as one UTF-8 blob plus offsets; decoded only when read.

    Millions of Python ``str`` objects would cost gigabytes; a blob costs its bytes, and a
    memory-mapped one costs nothing until a page is touched.
    """

    __slots__ = ("_blob", "_bytes", "_ends", "_offsets")

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        # plain ndarray views of memory maps: the same mapped pages without np.memmap's
        # per-index Python overhead (a playlist reads a few hundred strings)
        self._blob = blob.view(np.ndarray) if isinstance(blob, np.memmap) else blob
        self._offsets = offsets.view(np.ndarray) if isinstance(offsets, np.memmap) else offsets
        # one string read through memoryviews of the same pages: plain ints and a slice to
        # decode, half the cost of numpy scalars and an array slice's copy
        self._bytes = self._blob.data
        self._ends = self._offsets.data

    @classmethod
    def from_strings(cls, values: Iterable[str]) -> StringColumn:
        blob = bytearray()
        offsets = array("q", [0])
        for value in values:
            blob += value.encode("utf-8")
            offsets.append(len(blob))
        return cls(
            np.frombuffer(bytes(blob), dtype=np.uint8), np.frombuffer(offsets, dtype=np.int64)
        )

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        ends = self._ends
        return str(self._bytes[ends[i] : ends[i + 1]], "utf-8")

    def take(self, rows: np.ndarray) -> list[str]:
        """The strings at ``rows`` (int64, non-negative): a playlist's titles, albums and artists
        were ~60 numpy slices a build. Each string's bounds are read from the offsets'
        memoryview as plain ints (for a playlist's few rows cheaper than two offset gathers and
        their tolist), its bytes sliced from the blob's; decoding gives exactly what ``[i]``
        gives."""
        view, ends = self._bytes, self._ends
        return [str(view[ends[i] : ends[i + 1]], "utf-8") for i in rows.tolist()]

    def blob_and_offsets(self) -> tuple[np.ndarray, np.ndarray]:
        """The UTF-8 bytes of every string back to back, and where each string starts (n+1)."""
        return self._blob, self._offsets

    def to_list(self) -> list[str]:
        """Every string, decoded at once: a NUL between neighbours, one decode, one split (20x
        faster than ``list(column)``, which slices numpy per item; the 37k artist names are
        decoded at every CLI start)."""
        if len(self) == 0:
            return []
        if np.any(self._blob == 0):  # a NUL inside a string: decode one by one
            data, offsets = self._blob.tobytes(), self._offsets.tolist()
            return [data[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets)]
        joined = np.insert(self._blob, self._offsets[1:-1], 0)
        return joined.tobytes().decode("utf-8").split("\x00")

    def save(self, folder: Path, name: str) -> None:
        np.save(folder / f"{name}.blob.npy", self._blob, allow_pickle=False)
        np.save(folder / f"{name}.offsets.npy", self._offsets, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, name: str, mmap: bool = True) -> StringColumn:
        mode = "r" if mmap else None
        return cls(
            np.load(folder / f"{name}.blob.npy", mmap_mode=mode, allow_pickle=False),
            np.load(folder / f"{name}.offsets.npy", mmap_mode=mode, allow_pickle=False),
        )


def folded_text(strings: list[str]) -> tuple[bytes, np.ndarray]:
    """``strings`` ASCII-folded ("Noël" -> "noel") and lowercased, joined by NULs, and the
    positions of those NULs (string ``k`` ends at the ``k``-th)."""
    data = unicodedata.normalize("NFKD", "\x00".join(strings)).encode("ascii", "ignore").lower()
    return data, np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0)


def folded_rows_matching(
    folded: tuple[bytes, np.ndarray], pattern: re.Pattern[bytes]
) -> np.ndarray:
    """Rows of a :func:`folded_text` whose string holds a match of ``pattern``."""
    data, separators = folded
    starts = [match.start() for match in pattern.finditer(data)]
    return np.unique(np.searchsorted(separators, np.asarray(starts, dtype=np.int64)))


def _text_mask_path(catalog: Catalog, pattern: re.Pattern[bytes], albums: bool) -> Path:
    strings = catalog._folded.get("digest")
    if strings is None:  # the titles and albums, hashed once per process
        digest = hashlib.blake2b(digest_size=16)
        for column in (catalog.names, catalog.albums):
            if isinstance(column, StringColumn):
                blob, offsets = column.blob_and_offsets()
                digest.update(np.ascontiguousarray(offsets).data)
                digest.update(np.ascontiguousarray(blob).data)
            else:
                digest.update("\x00".join(column).encode("utf-8"))
        strings = catalog._folded["digest"] = (digest.digest(), np.zeros(0, dtype=np.int64))
    key = hashlib.blake2b(pattern.pattern, digest_size=16)
    key.update(strings[0] + (b"albums" if albums else b"titles"))
    return default_cache_dir() / "text_masks" / f"{key.hexdigest()}.npy"


def text_mask_file(pattern: re.Pattern[bytes], albums: bool) -> str:
    """The file name, inside a compiled folder, of the stored mask of ``pattern``: named by the
    pattern, so a mask stored by other language packs is simply not found (and computed)."""
    key = hashlib.blake2b(pattern.pattern, digest_size=16)
    key.update(b"\0albums" if albums else b"\0titles")
    return f"{TEXT_MASK_PREFIX}{key.hexdigest()}.npy"


def _read_mask(path: Path, tracks: int) -> np.ndarray | None:
    try:
        mask = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None  # not computed yet
    return mask if mask.shape == (tracks,) and mask.dtype == bool else None


def compute_text_mask(catalog: Catalog, pattern: re.Pattern[bytes], albums: bool) -> np.ndarray:
    """Read every title (and album) for ``pattern``: O(catalog) in Python, ~1 s per million."""
    mask = np.zeros(len(catalog), dtype=bool)
    for name in ("names", "albums") if albums else ("names",):
        folded = catalog._folded.get(name)
        if folded is None:  # folded once per process, whatever the patterns read from it
            folded = catalog._folded[name] = folded_text(_strings(getattr(catalog, name)))
        mask[folded_rows_matching(folded, pattern)] = True
    return mask


def store_text_masks(
    catalog: Catalog, folder: Path, patterns: Iterable[tuple[re.Pattern[bytes], bool]]
) -> list[Path]:
    """Write the masks of ``patterns`` into the compiled ``folder`` (an artifact being built),
    so a cold start reads them instead of every title."""
    written = []
    for pattern, albums in patterns:
        path = folder / text_mask_file(pattern, albums)
        np.save(path, compute_text_mask(catalog, pattern, albums), allow_pickle=False)
        written.append(path)
    return written


def _stored_text_mask(catalog: Catalog, pattern: re.Pattern[bytes], albums: bool) -> np.ndarray:
    if catalog.folder is not None:  # stored with the catalog (a built artifact)
        mask = _read_mask(catalog.folder / text_mask_file(pattern, albums), len(catalog))
        if mask is not None:
            return mask
    path = _text_mask_path(catalog, pattern, albums)
    mask = _read_mask(path, len(catalog))
    if mask is not None:
        return mask
    mask = compute_text_mask(catalog, pattern, albums)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, mask, allow_pickle=False)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache: computed again by the next process
    return mask


def _strings(column: Sequence[str]) -> list[str]:
    return column.to_list() if isinstance(column, StringColumn) else list(column)


def _slug(genre: str) -> str:
    # Genre labels stay as the files spell them (lower-cased): TidyTuesday's "r&b" and "hip hop"
    # are other playlists' labels than the 114k set's "r-n-b" and "hip-hop", and a listener or a
    # checker reading either file must find the label it knows.
    return " ".join(genre.strip().lower().split())


def _float(value: str | None, default: float = np.nan) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except ValueError:
        return default


# Progress is reported every this+1 rows (a power of two less one: a mask, not a division).
_REPORT_EVERY = (1 << 16) - 1


class _Builder:
    """Accumulates catalog columns row by row in compact arrays (no per-row dicts)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.ids: list[str] = []
        self.names = StringAccumulator()
        self.albums = StringAccumulator()
        self.artists = StringAccumulator()
        self.genre_sets: list[int] = []  # bitset over genre_vocab, as Python ints
        self.genre_vocab: dict[str, int] = {}
        self.artist_vocab: dict[str, int] = {}
        self.artist_display: list[str] = []
        self.artist_ptr = array("q", [0])
        self.artist_idx = array("i")
        self.artist_id = array("i")
        # versions of one song: a folded title credited to a shared artist (union-find over songs)
        self.song_of: dict[tuple[str, int], int] = {}
        # playlist id -> its tracks (files that say which playlist a row came from): a
        # playlist is one scene's, which places the artists no label places (aidj.genre_map)
        self.playlists: dict[str, list[int]] = {}
        self.song_parent = array("i")
        self.song = array("i")
        self.year = array("h")
        self.explicit_known = array("b")
        # the strict (ASCII, first-artist) view of a song and its artist, as ids: see strict_song_key
        self.strict_songs: dict[tuple[str, str], int] = {}
        self.strict_artists: dict[str, int] = {}
        self.strict_song = array("i")
        self.strict_artist = array("i")
        self.numeric: dict[str, array] = {
            name: array("f") for name in (*FLOAT_FEATURES, *INT_COLUMNS, "explicit")
        }

    def add(
        self,
        tid: str,
        name: str,
        artists: list[str],
        album: str,
        genres: list[str],
        values: dict[str, float],
        *,
        year: int = 0,
        explicit_known: bool = True,
        playlist: str = "",
    ) -> None:
        bits = 0
        for g in genres:
            bits |= 1 << self.genre_vocab.setdefault(g, len(self.genre_vocab))
        known = self.index.get(tid)
        if playlist:
            self.playlists.setdefault(playlist, []).append(
                len(self.ids) if known is None else known
            )
        if known is not None:
            # the first row seen keeps its features; later rows add genres and a missing year
            self.genre_sets[known] |= bits
            if not self.year[known] and year:
                self.year[known] = year
            return
        self.index[tid] = len(self.ids)
        self.ids.append(tid)
        self.names.add(name)
        self.albums.add(album)
        self.artists.add(";".join(artists))
        self.genre_sets.append(bits)
        credited: list[int] = []
        for a in artists:
            key = normalize_text(a)
            aid = self.artist_vocab.get(key)
            if aid is None:
                aid = self.artist_vocab[key] = len(self.artist_display)
                self.artist_display.append(a)
            self.artist_idx.append(aid)
            credited.append(aid)
        self.artist_ptr.append(len(self.artist_idx))
        self.artist_id.append(credited[0])
        self.song.append(self._song(song_title_key(name), credited))
        strict = strict_song_key(name, artists[0])
        self.strict_song.append(self.strict_songs.setdefault(strict, len(self.strict_songs)))
        self.strict_artist.append(
            self.strict_artists.setdefault(strict[1], len(self.strict_artists))
        )
        self.year.append(year)
        self.explicit_known.append(1 if explicit_known else 0)
        for key, column in self.numeric.items():
            column.append(values[key])

    def _song(self, title: str, credited: list[int]) -> int:
        """The song this title by these artists is a version of: 'Calma - Remix' by Pedro Capó
        and Farruko is 'Calma' by Pedro Capó."""
        parent = self.song_parent

        def root(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        found = sorted(
            {root(self.song_of[(title, a)]) for a in credited if (title, a) in self.song_of}
        )
        if found:
            song = found[0]
            for other in found[1:]:
                parent[other] = song  # two songs were one all along: join them
        else:
            song = len(parent)
            parent.append(song)
        for a in credited:
            self.song_of.setdefault((title, a), song)
        return song

    def song_ids(self, progress: ProgressCallback = ignore_progress) -> np.ndarray:
        """Dense song ids in first-seen order (deterministic: no hashing)."""
        parent = self.song_parent
        roots = np.empty(len(parent), dtype=np.int64)
        total = len(parent)
        progress(ProgressEvent("songs", 0, total, "songs"))
        for x in range(total):
            if x & _REPORT_EVERY == _REPORT_EVERY:
                progress(ProgressEvent("songs", x, total, "songs"))
            r = x
            while parent[r] != r:
                r = parent[r]
            roots[x] = r
        per_track = roots[np.frombuffer(self.song, dtype=np.int32)]
        _, first, dense = np.unique(per_track, return_index=True, return_inverse=True)
        # renumber by first appearance so ids follow the file, not the union-find's roots
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        progress(ProgressEvent("songs", total, total, "songs"))
        return rank[dense].astype(np.int32)

    def columns(self, progress: ProgressCallback = ignore_progress) -> dict[str, Any]:
        n = len(self.ids)
        song_id = self.song_ids(progress)
        progress(ProgressEvent("genres", 0, n, "tracks"))
        vocab = sorted(self.genre_vocab)
        remap = {self.genre_vocab[g]: pos for pos, g in enumerate(vocab)}
        bits = np.zeros((n, max(1, (len(vocab) + 7) // 8)), dtype=np.uint8)
        rows, cols = array("q"), array("q")
        for i, genre_set in enumerate(
            self.genre_sets
        ):  # one step per (track, genre), not per genre x track
            if i & _REPORT_EVERY == _REPORT_EVERY:
                progress(ProgressEvent("genres", i, n, "tracks"))
            while genre_set:
                low = genre_set & -genre_set
                rows.append(i)
                cols.append(remap[low.bit_length() - 1])
                genre_set ^= low
        r, c = np.frombuffer(rows, dtype=np.int64), np.frombuffer(cols, dtype=np.int64)
        np.bitwise_or.at(bits, (r, c >> 3), (1 << (c & 7)).astype(np.uint8))
        num = {k: np.frombuffer(v, dtype=np.float32) for k, v in self.numeric.items()}
        artist_ptr = np.frombuffer(self.artist_ptr, dtype=np.int64).astype(np.int64)
        artist_idx = np.frombuffer(self.artist_idx, dtype=np.int32).copy()
        related = genre_relations(
            bits, len(vocab), artist_ptr, artist_idx, len(self.artist_display)
        )
        names = self.names.column()
        genre_map = compile_map(
            bits,
            vocab,
            artist_ptr,
            artist_idx,
            len(self.artist_display),
            names.to_list(),
            list(self.playlists.values()),
        )
        key = num["key"]
        progress(ProgressEvent("genres", n, n, "tracks"))
        progress(ProgressEvent("index", 0, 1))
        ids = (
            np.array(self.ids, dtype="S22") if all(len(t) <= 22 for t in self.ids[:1000]) else None
        )
        order = np.argsort(ids, kind="stable") if ids is not None else None
        fixed_ids = ids is not None and all(len(t) == 22 and t.isascii() for t in self.ids)
        out = {
            "genre_bits": bits,
            "duration_ms": np.clip(num["duration_ms"], 0, 2**31 - 1).astype(np.int32),
            "popularity": np.clip(num["popularity"], 0, 100).astype(np.int16),
            "key": np.where((key >= 0) & (key <= 11), key, -1).astype(np.int8),
            "mode": (num["mode"] > 0.5).astype(np.int8),
            "explicit": num["explicit"] > 0.5,
            "song_id": song_id,
            "year": np.frombuffer(self.year, dtype=np.int16).copy(),
            "strict_song": np.frombuffer(self.strict_song, dtype=np.int32).copy(),
            "strict_artist": np.frombuffer(self.strict_artist, dtype=np.int32).copy(),
            "explicit_known": np.frombuffer(self.explicit_known, dtype=np.int8) > 0,
            "genre_related": related,
            "place": genre_map["place"],
            "core_bits": genre_map["core_bits"],
            "style_bits": genre_map["style_bits"],
            "skewed": genre_map["skewed"],
            "versatile": genre_map["versatile"],
            "artist_bits": genre_map["artist_bits"],
            "unfiled": genre_map["unfiled"],
            "artist_id": np.frombuffer(self.artist_id, dtype=np.int32).copy(),
            "artist_ptr": artist_ptr,
            "artist_idx": artist_idx,
            **{f: num[f].copy() for f in FLOAT_FEATURES},
            "_strings": {
                # Spotify ids (22 ASCII characters) are read from the sorted id column instead:
                # a second copy would be 2.7 MB of incompressible text in the Lambda zip
                **({} if fixed_ids else {"ids": StringColumn.from_strings(self.ids)}),
                "names": names,
                "places": StringColumn.from_strings(genre_map["places"]),
                "albums": self.albums.column(),
                "artists": self.artists.column(),
                "genres": StringColumn.from_strings(vocab),
                "artist_names": StringColumn.from_strings(self.artist_display),
            },
            "_id_sorted": ids[order] if ids is not None and order is not None else None,
            "_id_order": order.astype(np.int32 if n < 2**31 else np.int64)
            if order is not None
            else None,
            "_id_rank": _inverse(order) if fixed_ids and order is not None else None,
            **_genre_columns(bits, len(vocab), num["duration_ms"], num["tempo"]),
        }
        if n >= GENRE_MAJOR_MIN_TRACKS and "_genre_rows" in out:
            major = genre_major(lambda name: out[name], out["_genre_rows"])
            out |= {f"_gm_{name}": column for name, column in major.items()}
        return out


def _inverse(order: np.ndarray) -> np.ndarray:
    """rank[row] = position of row in the sorted order."""
    rank = np.empty(len(order), dtype=np.int32 if len(order) < 2**31 else np.int64)
    rank[order] = np.arange(len(order), dtype=rank.dtype)
    return rank


class RowsOf(Sequence[str]):
    """Some rows of a string column, read through: row i is ``column[rows[i]]``."""

    __slots__ = ("_column", "_rows")

    def __init__(self, column: Sequence[str], rows: np.ndarray) -> None:
        self._column, self._rows = column, rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._column[int(self._rows[i])]

    def take(self, rows: np.ndarray) -> list[str]:
        return strings_at(self._column, self._rows[rows].astype(np.int64))


class SortedIds(Sequence[str]):
    """Track ids read through the sorted id column: row i's id is ``sorted[rank[i]]``."""

    __slots__ = ("_rank", "_sorted")

    def __init__(self, sorted_ids: np.ndarray, rank: np.ndarray) -> None:
        self._sorted, self._rank = sorted_ids, rank

    def __len__(self) -> int:
        return len(self._rank)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return bytes(self._sorted[self._rank[i]]).decode("ascii")

    def take(self, rows: np.ndarray) -> list[str]:
        # tolist gives each fixed-width id as bytes, trailing NULs stripped, as bytes(scalar) does
        return [tid.decode("ascii") for tid in self._sorted[self._rank[rows]].tolist()]


T = TypeVar("T")


def derived_table(catalog: Catalog, key: str, compute: Callable[[Catalog], T]) -> T:
    """A small table another module derives from a catalog as a whole (per genre, per genre
    byte), made once per ``key`` and catalog and shared by every request. Unlike
    ``Catalog.masks``, never evicted or cleared: an array costs a few hundred kB at most and
    comes back read-only; a map (a memo its module fills row by row) is that module's to bound."""
    if key not in catalog._tables:
        table = compute(catalog)
        if isinstance(table, np.ndarray):
            table.flags.writeable = False
        catalog._tables[key] = table
    return catalog._tables[key]


def strings_at(column: Sequence[str], rows: np.ndarray) -> list[str]:
    """``[column[i] for i in rows]`` (int64, non-negative rows), in one gather for the catalog's
    own columns (a playlist reads its ids, titles, albums and artists so)."""
    if isinstance(column, StringColumn | SortedIds | RowsOf):
        return column.take(rows)
    at: list[int] = rows.tolist()
    return [column[i] for i in at]


def credited(artists: str) -> list[str]:
    """The artists of one ``artist_strings`` entry, in credit order."""
    names = artists.split(";")
    # an empty name (";;", a trailing ";") is rare: filtering only then halves a playlist's cost
    return [a for a in names if a] if "" in names else names


class StringAccumulator:
    def __init__(self) -> None:
        self.blob = bytearray()
        self.offsets = array("q", [0])

    def add(self, value: str) -> None:
        self.blob += value.encode("utf-8")
        self.offsets.append(len(self.blob))

    def column(self) -> StringColumn:
        return StringColumn(
            np.frombuffer(bytes(self.blob), dtype=np.uint8),
            np.frombuffer(self.offsets, dtype=np.int64),
        )


# Column names across the public Spotify-feature datasets: the 114k Tracks Dataset,
# TidyTuesday "Spotify Songs", "Spotify 1.2M+ Songs" (tracks_features.csv) and
# "Spotify Dataset 1921-2020" (tracks.csv).
_ID_COLUMNS = ("track_id", "id")
_NAME_COLUMNS = ("track_name", "name")
_ARTIST_COLUMNS = ("artists", "track_artist")
_ALBUM_COLUMNS = ("album_name", "track_album_name", "album")
_POPULARITY_COLUMNS = ("popularity", "track_popularity")


def _first(header: set[str], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in header), None)


def _split_artists(raw: str) -> list[str]:
    raw = raw.strip()
    if raw.startswith("[") and raw.endswith("]"):
        # "['Artist A', \"Artist B's\"]" as written by pandas: a Python list literal
        import ast  # compile-time only, like csv, shutil and tempfile: kept off the load path

        try:
            value = ast.literal_eval(raw)
            if isinstance(value, (list, tuple)):
                return [str(a).strip() for a in value if str(a).strip()]
        except (ValueError, SyntaxError):
            raw = raw.strip("[]")
    return [a.strip() for a in raw.split(";") if a.strip()]


def _year(raw: str | None) -> int:
    """The year of a release date ('2019-06-14', '2019-06', '2019'); 0 when there is none."""
    head = (raw or "").strip()[:4]
    return int(head) if head.isdigit() and MIN_YEAR <= int(head) <= MAX_YEAR else 0


_YEAR_COLUMNS = ("track_album_release_date", "release_date", "album_release_date", "year")


def _read_csv(
    path: Path,
    builder: _Builder,
    progress: ProgressCallback = ignore_progress,
    offset: int = 0,
    total: int = 0,
) -> None:
    """Stream any supported CSV schema into ``builder``, reporting bytes read (after ``offset``
    bytes of earlier files, of ``total``)."""
    import csv

    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = set(reader.fieldnames or [])
            id_col, name_col = _first(header, _ID_COLUMNS), _first(header, _NAME_COLUMNS)
            artist_col = _first(header, _ARTIST_COLUMNS)
            if not id_col or not name_col or not artist_col:
                raise CatalogError(
                    f"{path}: needs track_id (or id), track_name (or name) and artists columns; expected "
                    "a Spotify audio-features CSV such as the Spotify Tracks Dataset (see shared/data/README.md)"
                )
            missing = [c for c in ("danceability", "energy", "valence", "tempo") if c not in header]
            if missing:
                raise CatalogError(f"{path}: missing audio-feature columns {missing}")
            album_col = _first(header, _ALBUM_COLUMNS)
            pop_col = _first(header, _POPULARITY_COLUMNS)
            year_col = _first(header, _YEAR_COLUMNS)
            has_explicit = "explicit" in header
            genre_cols = [
                c
                for c in ("track_genre", "playlist_genre", "playlist_subgenre", "genre")
                if c in header
            ]
            for number, row in enumerate(reader):
                if number & _REPORT_EVERY == _REPORT_EVERY:
                    # the byte reader runs at most one buffer ahead of the rows: near enough for an ETA
                    at = offset + cast(BinaryIO, handle.buffer).tell()
                    progress(ProgressEvent("read", min(at, total), total, "bytes"))
                tid = (row.get(id_col) or "").strip()
                name = (row.get(name_col) or "").strip()
                artists = _split_artists(row.get(artist_col) or "")
                if not tid or not name or not artists:
                    continue  # a track nobody can name cannot be played or checked
                values = {f: _float(row.get(f)) for f in FLOAT_FEATURES}
                if any(np.isnan(values[f]) for f in ("danceability", "energy", "valence", "tempo")):
                    continue
                explicit = str(row.get("explicit", "")).strip().lower() in ("true", "1")
                values.update(
                    duration_ms=_float(row.get("duration_ms"), 0.0),
                    popularity=_float(row.get(pop_col) if pop_col else None, 0.0),
                    key=_float(row.get("key"), -1.0),
                    mode=_float(row.get("mode"), 1.0),
                    time_signature=_float(row.get("time_signature"), 4.0),
                    explicit=1.0 if explicit else 0.0,
                )
                genres = [_slug(row[c]) for c in genre_cols if row.get(c)]
                album = (row.get(album_col) or "").strip() if album_col else ""
                year = _year(row.get(year_col)) if year_col else 0
                builder.add(
                    tid,
                    name,
                    artists,
                    album,
                    genres,
                    values,
                    year=year,
                    explicit_known=has_explicit,
                    playlist=(row.get("playlist_id") or "").strip(),
                )
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"{path}: not UTF-8 text ({exc.reason}); export the CSV as UTF-8"
        ) from exc
    except csv.Error as exc:
        raise CatalogError(f"{path}: malformed CSV ({exc}); check quoting and delimiters") from exc


def _cache_key(paths: Sequence[Path]) -> str:
    parts = []
    for path in paths:
        stat = path.stat()
        parts.append(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}")
    raw = "|".join(parts) + f"|v{CACHE_FORMAT}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _as_paths(csv_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(csv_paths, (str, os.PathLike)):
        return [Path(p) for p in str(csv_paths).split(os.pathsep) if p.strip()]
    return [Path(p) for p in csv_paths]


def compile_catalog(
    csv_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    progress: ProgressCallback = ignore_progress,
) -> Path:
    """Compile one or more catalog CSVs (the first file's row wins for a shared id) into a
    columnar cache directory and return its path; ``progress`` hears each stage
    (:data:`aidj.progress.COMPILE_STAGES`) as it goes."""
    paths = _as_paths(csv_paths)
    for path in paths:
        if not path.exists():
            raise CatalogError(
                f"catalog not found: {path}. Pass --catalog PATH or set AIDJ_CATALOG."
            )
    builder = _Builder()
    sizes = [path.stat().st_size for path in paths]
    total = sum(sizes)
    progress(ProgressEvent("read", 0, total, "bytes"))
    before = 0
    for path, size in zip(paths, sizes, strict=True):
        _read_csv(path, builder, progress, before, total)
        before += size
    progress(ProgressEvent("read", total, total, "bytes"))
    if not builder.ids:
        names = ", ".join(str(p) for p in paths)
        raise CatalogError(
            f"{names}: no usable tracks (need track_id, track_name, artists and audio features)"
        )
    import shutil
    import tempfile

    columns = builder.columns(progress)
    target = Path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".compiling-", dir=target.parent))
    try:
        for name, value in columns.items():
            if name == "_strings":
                for sname, column in value.items():
                    column.save(tmp, sname)
            elif value is not None:
                np.save(tmp / f"{name}.npy", value, allow_pickle=False)
        # file names only: the cache must not depend on where the build machine keeps the data
        source = os.pathsep.join(p.name for p in paths)
        (tmp / "meta.json").write_text(
            json.dumps({"format": CACHE_FORMAT, "source": source, "tracks": len(columns["tempo"])})
        )
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)  # atomic: readers never see a half-written cache
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(ProgressEvent("index", 1, 1))
    return target


def load_compiled(cache: str | os.PathLike[str], mmap: bool = False) -> Catalog:
    """Load a compiled cache directory (as written by :func:`compile_catalog`).

    Numeric columns are read into memory (they are scanned on every prompt) unless ``mmap``:
    then they are mapped copy-on-write, so a catalog just written to disk (a cloud function's
    fetched artifact, still in the page cache) is ready without a second copy. Strings always
    stay memory-mapped and are decoded only for the tracks a playlist shows.
    """
    cache = Path(cache)
    mode = "c" if mmap else None
    try:
        meta = json.loads((cache / "meta.json").read_text())
        if meta.get("format") != CACHE_FORMAT:
            raise CatalogError(
                f"{cache}: cache format {meta.get('format')} != {CACHE_FORMAT}; recompile"
            )

        def arr(name: str) -> np.ndarray:
            column = np.load(cache / f"{name}.npy", mmap_mode=mode, allow_pickle=False)
            # a plain view of the mapped pages: np.memmap's subclass overhead on every slice
            # would reach each prompt's scoring
            return column.view(np.ndarray) if isinstance(column, np.memmap) else column

        def opt(name: str) -> np.ndarray | None:
            return arr(name) if (cache / f"{name}.npy").exists() else None

        catalog = Catalog(
            ids=(
                StringColumn.load(cache, "ids")
                if (cache / "ids.blob.npy").exists()
                else SortedIds(arr("_id_sorted"), arr("_id_rank"))
            ),
            names=StringColumn.load(cache, "names"),
            albums=StringColumn.load(cache, "albums"),
            artist_strings=StringColumn.load(cache, "artists"),
            genres=StringColumn.load(cache, "genres", mmap=False).to_list(),
            genre_bits=arr("genre_bits"),
            features={f: arr(f) for f in FLOAT_FEATURES},
            duration_ms=arr("duration_ms"),
            popularity=arr("popularity"),
            key=arr("key"),
            mode=arr("mode"),
            explicit=arr("explicit"),
            song_id=arr("song_id"),
            year=arr("year"),
            artist_id=arr("artist_id"),
            artist_ptr=arr("artist_ptr"),
            artist_idx=arr("artist_idx"),
            artist_names=StringColumn.load(cache, "artist_names", mmap=False).to_list(),
            explicit_known=opt("explicit_known"),
            strict_song=arr("strict_song"),
            strict_artist=arr("strict_artist"),
            genre_related=opt("genre_related"),
            place=arr("place"),
            places=StringColumn.load(cache, "places", mmap=False).to_list(),
            core_bits=arr("core_bits"),
            style_bits=arr("style_bits"),
            skewed=arr("skewed"),
            versatile=arr("versatile"),
            artist_bits=arr("artist_bits"),
            unfiled=arr("unfiled"),
            source=str(meta.get("source", cache)),
            folder=cache,
            id_sorted=opt("_id_sorted"),
            id_order=opt("_id_order"),
            genre_ptr=opt("_genre_ptr"),
            genre_rows=opt("_genre_rows"),
            genre_major=(
                {
                    name: arr(f"_gm_{name}")
                    for name in GENRE_MAJOR_COLUMNS
                    if (cache / f"_gm_{name}.npy").exists()
                }
                if (cache / "_gm_tempo.npy").exists()
                else None
            ),
        )
        sample_ptr, sample_rows = opt("_genre_sample_ptr"), opt("_genre_sample_rows")
        if sample_ptr is not None and sample_rows is not None:
            catalog._genre_sample = (sample_ptr, sample_rows.astype(np.int64))
    except (OSError, ValueError, KeyError) as exc:
        raise CatalogError(
            f"{cache}: unreadable catalog cache ({exc}); delete it to rebuild"
        ) from exc
    return catalog


def load_catalog(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    progress: ProgressCallback = ignore_progress,
) -> Catalog:
    """Load a catalog: one CSV, several (a list, or joined by ``os.pathsep``), or a compiled cache
    directory; CSVs are compiled on first use (``progress`` hears how it goes)."""
    sources = resolve_catalog_paths(path)
    if len(sources) == 1 and sources[0].is_dir() and (sources[0] / "meta.json").exists():
        # a built artifact (aidj.catalog_artifact) is mapped, not read: see load_compiled
        return load_compiled(sources[0], mmap=(sources[0] / ARTIFACT_MANIFEST).exists())
    for source in sources:
        if not source.exists():
            defaults = " and ".join(f"../shared/data/{name}" for name in DEFAULT_CATALOG_NAMES)
            raise CatalogError(
                f"catalog not found: {source}. The default is both shared files, {defaults}; "
                "pass --catalog PATH or set AIDJ_CATALOG to Spotify tracks CSVs, several joined "
                f"by '{os.pathsep}'."
            )
        if source.is_dir():
            raise CatalogError(f"{source} is a directory without a compiled catalog (meta.json)")
    cache_root = Path(cache_dir) if cache_dir else default_cache_dir()
    cache = cache_root / f"catalog-{_cache_key(sources)}"
    if not (cache / "meta.json").exists():
        try:
            compile_catalog(sources, cache, progress)
        except OSError:
            import tempfile

            # read-only cache location (e.g. Lambda's code dir): compile into /tmp instead
            cache = Path(tempfile.gettempdir()) / "aidj" / cache.name
            if not (cache / "meta.json").exists():
                compile_catalog(sources, cache, progress)
    return load_compiled(cache)
