"""The track catalog: one row per Spotify track id, audio features as numpy columns.

Spotify no longer serves audio features, recommendations, popularity or artist genres to new
apps, so the DJ keeps its own catalog. The first load of a CSV compiles it into a columnar
cache (plain ``.npy`` files, no pickle) so later loads take a few tens of milliseconds.

Two CSV schemas are understood: the Spotify Tracks Dataset (``track_genre``, ``artists``
separated by ``;``) and the TidyTuesday "Spotify Songs" set (``playlist_genre``,
``track_artist``, ``track_popularity``). Rows repeating a track id are merged, their genres
gathered into a set.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

CACHE_FORMAT = 3
DEFAULT_CATALOG_NAME = "spotify_tracks_114k.csv"
_SEP = "\x1f"  # unit separator: never appears in titles, lets us join/split strings fast

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
INT_COLUMNS = ("duration_ms", "popularity", "key", "mode", "time_signature")


class CatalogError(Exception):
    """The catalog file is missing or unusable; the message says what to do."""


def normalize_text(text: str) -> str:
    """Case-, accent- and space-insensitive form used to compare titles and artists."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    if not folded.strip():
        folded = text.casefold()  # non-Latin scripts: keep the original letters
    return " ".join(folded.split())


def resolve_catalog_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where the catalog lives: an explicit path, ``AIDJ_CATALOG``, or the shared data folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("AIDJ_CATALOG")
    if env:
        return Path(env).expanduser()
    candidates = [
        Path.cwd() / ".." / "shared" / "data" / DEFAULT_CATALOG_NAME,
        Path.cwd() / "shared" / "data" / DEFAULT_CATALOG_NAME,
        Path(__file__).resolve().parents[4] / ".." / "shared" / "data" / DEFAULT_CATALOG_NAME,
    ]
    for candidate in candidates:
        if candidate.exists():
            return candidate.resolve()
    return candidates[0].resolve()


def default_cache_dir() -> Path:
    env = os.environ.get("AIDJ_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "aidj"


@dataclass(slots=True)
class Catalog:
    """Columnar catalog. Row ``i`` of every array describes the same track."""

    ids: list[str]
    names: list[str]
    albums: list[str]
    artist_strings: list[str]  # credited artists joined by ";"
    genres: list[str]  # genre vocabulary; bit g of genre_bits[i] says track i has genres[g]
    genre_bits: np.ndarray  # (n, ceil(G/8)) uint8
    features: dict[str, np.ndarray]  # float32 columns (FLOAT_FEATURES)
    duration_ms: np.ndarray  # int32
    popularity: np.ndarray  # int16
    key: np.ndarray  # int8, 0..11 (-1 unknown)
    mode: np.ndarray  # int8, 1 major, 0 minor
    explicit: np.ndarray  # bool
    song_id: np.ndarray  # int32: same title + first artist share an id (versions of one song)
    artist_id: np.ndarray  # int32: first credited artist
    artist_ptr: np.ndarray  # int32 (n+1): CSR offsets into artist_idx, all credited artists
    artist_idx: np.ndarray  # int32
    artist_names: list[str]  # artist vocabulary (display form)
    source: str = ""
    _id_index: dict[str, int] | None = field(default=None, repr=False)
    _artist_lookup: dict[str, list[int]] | None = field(default=None, repr=False)
    _genre_index: dict[str, int] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, track_id: str) -> int | None:
        if self._id_index is None:
            self._id_index = {tid: i for i, tid in enumerate(self.ids)}
        return self._id_index.get(track_id)

    def genre_index(self, genre: str) -> int | None:
        if self._genre_index is None:
            self._genre_index = {g: i for i, g in enumerate(self.genres)}
        return self._genre_index.get(genre)

    def artists_of(self, i: int) -> list[str]:
        return [a for a in self.artist_strings[i].split(";") if a]

    def genres_of(self, i: int) -> list[str]:
        row = np.unpackbits(self.genre_bits[i], bitorder="little")[: len(self.genres)]
        return [self.genres[g] for g in np.flatnonzero(row)]

    def genre_mask(self, genres: Iterable[str]) -> np.ndarray:
        """Boolean mask of tracks carrying at least one of ``genres``."""
        genres = list(genres)
        if not genres:
            return np.zeros(len(self), dtype=bool)
        return self.genre_matrix(genres).any(axis=1)

    def genre_matrix(self, genres: list[str]) -> np.ndarray:
        """(n, len(genres)) bool matrix: track i has genres[j]."""
        out = np.zeros((len(self), len(genres)), dtype=bool)
        for j, genre in enumerate(genres):
            g = self.genre_index(genre)
            if g is not None:
                out[:, j] = ((self.genre_bits[:, g >> 3] >> (g & 7)) & 1).astype(bool)
        return out

    def artist_ids_matching(self, name: str) -> list[int]:
        """Artist ids whose normalised name equals ``name`` (accent/case-insensitive)."""
        if self._artist_lookup is None:
            lookup: dict[str, list[int]] = {}
            for a, artist in enumerate(self.artist_names):
                lookup.setdefault(normalize_text(artist), []).append(a)
            self._artist_lookup = lookup
        return self._artist_lookup.get(normalize_text(name), [])

    def has_artist(self, name: str) -> bool:
        return bool(self.artist_ids_matching(name))

    def artist_mask(self, names: Iterable[str]) -> np.ndarray:
        """Tracks crediting any of ``names`` (any credited artist, not only the first)."""
        wanted: list[int] = []
        for name in names:
            wanted.extend(self.artist_ids_matching(name))
        if not wanted:
            return np.zeros(len(self), dtype=bool)
        hit = np.isin(self.artist_idx, np.asarray(wanted, dtype=np.int32))
        counts = np.add.reduceat(hit.astype(np.int32), self.artist_ptr[:-1]) if len(hit) else hit
        # reduceat repeats a value for empty segments; tracks without artists never match
        empty = self.artist_ptr[1:] == self.artist_ptr[:-1]
        return (counts > 0) & ~empty

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
            "key": int(self.key[i]),
            "mode": int(self.mode[i]),
            **{name: float(col[i]) for name, col in self.features.items()},
        }


# --------------------------------------------------------------------------- compiling


def _slug(genre: str) -> str:
    genre = genre.strip().lower().replace("&", "-n-").replace(" ", "-")
    return "-".join(part for part in genre.split("-") if part)


def _float(value: str | None, default: float = np.nan) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except ValueError:
        return default


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    """Yield normalised rows from either supported CSV schema."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = set(reader.fieldnames or [])
        if "track_id" not in header:
            raise CatalogError(
                f"{path}: no 'track_id' column; expected the Spotify Tracks Dataset or "
                "TidyTuesday 'Spotify Songs' CSV (see shared/data/README.md)"
            )
        tidy = "track_artist" in header
        missing = [c for c in ("danceability", "energy", "valence", "tempo") if c not in header]
        if missing:
            raise CatalogError(f"{path}: missing audio-feature columns {missing}")
        for row in reader:
            if tidy:
                artists = row.get("track_artist") or ""
                genres = [_slug(g) for g in (row.get("playlist_genre"), row.get("playlist_subgenre")) if g]
                popularity = row.get("track_popularity")
                album = row.get("track_album_name") or ""
                explicit = False
            else:
                artists = row.get("artists") or ""
                genres = [row["track_genre"].strip().lower()] if row.get("track_genre") else []
                popularity = row.get("popularity")
                album = row.get("album_name") or ""
                explicit = str(row.get("explicit", "")).strip().lower() in ("true", "1")
            yield {
                "id": (row.get("track_id") or "").strip(),
                "name": (row.get("track_name") or "").strip(),
                "artists": [a.strip() for a in artists.split(";") if a.strip()],
                "album": album.strip(),
                "genres": genres,
                "explicit": explicit,
                "popularity": _float(popularity, 0.0),
                "duration_ms": _float(row.get("duration_ms"), 0.0),
                "key": _float(row.get("key"), -1.0),
                "mode": _float(row.get("mode"), 1.0),
                "time_signature": _float(row.get("time_signature"), 4.0),
                **{f: _float(row.get(f)) for f in FLOAT_FEATURES},
            }


def _parse_csv(path: Path) -> dict[str, Any]:
    by_id: dict[str, dict[str, Any]] = {}
    try:
        for row in _rows(path):
            tid = row["id"]
            if not tid or not row["name"] or not row["artists"]:
                continue  # a track nobody can name cannot be played or checked
            if any(np.isnan(row[f]) for f in ("danceability", "energy", "valence", "tempo")):
                continue
            known = by_id.get(tid)
            if known is None:
                row["genres"] = list(dict.fromkeys(row["genres"]))
                by_id[tid] = row
            else:
                known["genres"].extend(g for g in row["genres"] if g not in known["genres"])
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not UTF-8 text ({exc.reason}); export the CSV as UTF-8") from exc
    except csv.Error as exc:
        raise CatalogError(f"{path}: malformed CSV ({exc}); check quoting and delimiters") from exc
    if not by_id:
        raise CatalogError(f"{path}: no usable tracks (need track_id, track_name, artists and audio features)")
    return {"rows": list(by_id.values())}


def _columns(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    n = len(rows)
    genre_vocab = sorted({g for r in rows for g in r["genres"]})
    genre_pos = {g: i for i, g in enumerate(genre_vocab)}
    bits = np.zeros((n, max(1, (len(genre_vocab) + 7) // 8)), dtype=np.uint8)

    artist_vocab: dict[str, int] = {}
    artist_display: list[str] = []
    song_vocab: dict[tuple[str, str], int] = {}
    artist_ptr = np.zeros(n + 1, dtype=np.int32)
    artist_idx: list[int] = []
    song_id = np.zeros(n, dtype=np.int32)
    artist_id = np.zeros(n, dtype=np.int32)

    for i, row in enumerate(rows):
        for g in row["genres"]:
            p = genre_pos[g]
            bits[i, p >> 3] |= np.uint8(1 << (p & 7))
        for a in row["artists"]:
            key = normalize_text(a)
            if key not in artist_vocab:
                artist_vocab[key] = len(artist_display)
                artist_display.append(a)
            artist_idx.append(artist_vocab[key])
        artist_ptr[i + 1] = len(artist_idx)
        first = normalize_text(row["artists"][0])
        artist_id[i] = artist_vocab[first]
        song = (normalize_text(row["name"]), first)
        song_id[i] = song_vocab.setdefault(song, len(song_vocab))

    def col(name: str, dtype: Any) -> np.ndarray:
        return np.array([r[name] for r in rows], dtype=dtype)

    tempo = col("tempo", np.float32)
    key = col("key", np.float32)
    return {
        "genre_bits": bits,
        "duration_ms": np.clip(col("duration_ms", np.float64), 0, 2**31 - 1).astype(np.int32),
        "popularity": np.clip(col("popularity", np.float32), 0, 100).astype(np.int16),
        "key": np.where((key >= 0) & (key <= 11), key, -1).astype(np.int8),
        "mode": (col("mode", np.float32) > 0.5).astype(np.int8),
        "explicit": col("explicit", bool),
        "song_id": song_id,
        "artist_id": artist_id,
        "artist_ptr": artist_ptr,
        "artist_idx": np.asarray(artist_idx, dtype=np.int32),
        **{f: col(f, np.float32) for f in FLOAT_FEATURES if f != "tempo"},
        "tempo": tempo,
        "_genres": np.array(_SEP.join(genre_vocab)),
        "_artist_names": np.array(_SEP.join(artist_display)),
        "_ids": np.array(_SEP.join(r["id"] for r in rows)),
        "_names": np.array(_SEP.join(r["name"].replace(_SEP, " ") for r in rows)),
        "_albums": np.array(_SEP.join(r["album"].replace(_SEP, " ") for r in rows)),
        "_artists": np.array(_SEP.join(";".join(r["artists"]).replace(_SEP, " ") for r in rows)),
    }


def _cache_key(path: Path) -> str:
    stat = path.stat()
    raw = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|v{CACHE_FORMAT}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def compile_catalog(csv_path: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> Path:
    """Compile a catalog CSV into a columnar cache directory and return its path."""
    path = Path(csv_path)
    if not path.exists():
        raise CatalogError(f"catalog not found: {path}. Pass --catalog PATH or set AIDJ_CATALOG.")
    target = Path(out_dir)
    columns = _columns(_parse_csv(path)["rows"])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".compiling-", dir=target.parent))
    try:
        for name, array in columns.items():
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
        (tmp / "meta.json").write_text(
            json.dumps({"format": CACHE_FORMAT, "source": str(path), "tracks": len(columns["tempo"])})
        )
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)  # atomic: readers never see a half-written cache
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def load_compiled(cache: str | os.PathLike[str]) -> Catalog:
    """Load a compiled cache directory (as written by :func:`compile_catalog`)."""
    cache = Path(cache)
    try:
        meta = json.loads((cache / "meta.json").read_text())
        if meta.get("format") != CACHE_FORMAT:
            raise CatalogError(f"{cache}: cache format {meta.get('format')} != {CACHE_FORMAT}; recompile")

        def arr(name: str) -> np.ndarray:
            return np.load(cache / f"{name}.npy", allow_pickle=False)

        def strings(name: str) -> list[str]:
            text = str(arr(name))
            return text.split(_SEP) if text else []

    except (OSError, ValueError) as exc:
        raise CatalogError(f"{cache}: unreadable catalog cache ({exc}); delete it to rebuild") from exc
    return Catalog(
        ids=strings("_ids"),
        names=strings("_names"),
        albums=strings("_albums"),
        artist_strings=strings("_artists"),
        genres=strings("_genres"),
        genre_bits=arr("genre_bits"),
        features={f: arr(f) for f in FLOAT_FEATURES},
        duration_ms=arr("duration_ms"),
        popularity=arr("popularity"),
        key=arr("key"),
        mode=arr("mode"),
        explicit=arr("explicit"),
        song_id=arr("song_id"),
        artist_id=arr("artist_id"),
        artist_ptr=arr("artist_ptr"),
        artist_idx=arr("artist_idx"),
        artist_names=strings("_artist_names"),
        source=str(meta.get("source", cache)),
    )


def load_catalog(
    path: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Catalog:
    """Load a catalog CSV (or a compiled cache directory), compiling it on first use."""
    source = resolve_catalog_path(path)
    if source.is_dir() and (source / "meta.json").exists():
        return load_compiled(source)
    if not source.exists():
        raise CatalogError(
            f"catalog not found: {source}. Pass --catalog PATH or set AIDJ_CATALOG to a Spotify "
            "tracks CSV (e.g. ../shared/data/spotify_tracks_114k.csv)."
        )
    if source.is_dir():
        raise CatalogError(f"{source} is a directory without a compiled catalog (meta.json)")
    cache_root = Path(cache_dir) if cache_dir else default_cache_dir()
    cache = cache_root / f"catalog-{_cache_key(source)}"
    if not (cache / "meta.json").exists():
        try:
            compile_catalog(source, cache)
        except OSError:
            # read-only cache location (e.g. Lambda's code dir): compile into /tmp instead
            cache = Path(tempfile.gettempdir()) / "aidj" / cache.name
            if not (cache / "meta.json").exists():
                compile_catalog(source, cache)
    return load_compiled(cache)
