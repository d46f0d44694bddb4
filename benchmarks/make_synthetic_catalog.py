"""Write a synthetic catalog of N tracks derived from the real 114k catalog, for scale tests.

    uv run python benchmarks/make_synthetic_catalog.py --rows 1000000 --seed 1 --out .aidj/synthetic_1m.csv

Each synthetic track starts from a real track (so energy, genre and tempo stay correlated the way
real music is), then:

- gets a new, unique 22-character base62 id (16 random characters + a 6-character base62 row
  counter, so uniqueness holds by construction, not by luck);
- has its audio features jittered within realistic bounds (0-1 features clipped, loudness
  -60..4 dB, tempo 40-220 BPM, key 0-11, mode 0/1, duration >= 15 s, popularity 0-100);
- takes its artists from another real track of the same genre and its title and album from a
  third real track, so title + first artist pairs (the engine's "same song" key) rarely repeat.

The output has the same columns as ``spotify_tracks_114k.csv``, so ``load_catalog`` reads it
unchanged. Rows are generated and written in chunks: memory stays flat at any ``--rows``.
The same ``--seed`` and ``--rows`` always give the same bytes. Keep outputs under ``.aidj/``
(git-ignored): a 10M-row file is about 1.8 GB.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "data" / "spotify_tracks_114k.csv"
ALPHABET = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8
)
COLUMNS = [
    "",
    "track_id",
    "artists",
    "album_name",
    "track_name",
    "popularity",
    "duration_ms",
    "explicit",
    "danceability",
    "energy",
    "key",
    "loudness",
    "mode",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
    "time_signature",
    "track_genre",
]
UNIT_FEATURES = (
    "danceability",
    "energy",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
)
CHUNK = 100_000


class Source:
    """The real catalog as arrays: the pool every synthetic row is drawn from."""

    def __init__(self, path: Path) -> None:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        if not rows:
            raise SystemExit(f"{path} has no rows; pass --source with the 114k tracks CSV")
        self.n = len(rows)
        self.text = {
            k: np.array([r[k] for r in rows], dtype=object)
            for k in ("artists", "album_name", "track_name", "track_genre")
        }
        self.num = {
            k: np.array([float(r[k] or 0) for r in rows], dtype=np.float64)
            for k in (
                *UNIT_FEATURES,
                "loudness",
                "tempo",
                "key",
                "mode",
                "duration_ms",
                "popularity",
                "time_signature",
            )
        }
        self.explicit = np.array([r["explicit"] == "True" for r in rows])
        genres, self.genre_of = np.unique(self.text["track_genre"].astype(str), return_inverse=True)
        self.by_genre = np.argsort(self.genre_of, kind="stable")
        counts = np.bincount(self.genre_of, minlength=len(genres))
        self.genre_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.genre_count = counts


def make_ids(rng: np.random.Generator, first_row: int, n: int) -> list[str]:
    random_part = ALPHABET[rng.integers(0, 62, size=(n, 16))]
    counter = np.arange(first_row, first_row + n, dtype=np.int64)
    digits = np.empty((n, 6), dtype=np.uint8)
    for pos in range(5, -1, -1):
        counter, digit = np.divmod(counter, 62)
        digits[:, pos] = ALPHABET[digit]
    raw = np.concatenate([random_part, digits], axis=1).tobytes()
    return [raw[i * 22 : (i + 1) * 22].decode("ascii") for i in range(n)]


def make_chunk(src: Source, rng: np.random.Generator, first_row: int, n: int) -> list[tuple]:
    base = rng.integers(0, src.n, size=n)
    g = src.genre_of[base]
    same_genre = src.by_genre[
        src.genre_start[g] + (rng.random(n) * src.genre_count[g]).astype(np.int64)
    ]
    titled = rng.integers(0, src.n, size=n)

    num = {k: v[base] for k, v in src.num.items()}
    for k in UNIT_FEATURES:
        num[k] = np.clip(num[k] + rng.normal(0.0, 0.04, n), 0.0, 1.0)
    num["loudness"] = np.clip(num["loudness"] + rng.normal(0.0, 1.0, n), -60.0, 4.0)
    # a real tempo of 0 means "unknown"; give those a plausible value instead
    tempo = np.where(num["tempo"] < 40, rng.uniform(70, 140, n), num["tempo"])
    num["tempo"] = np.clip(tempo * (1 + rng.normal(0.0, 0.02, n)), 40.0, 220.0)
    shift_key = rng.random(n) < 0.1
    num["key"] = np.where(shift_key, rng.integers(0, 12, n), np.clip(num["key"], 0, 11)).astype(
        np.int64
    )
    flip_mode = rng.random(n) < 0.05
    num["mode"] = np.where(flip_mode, 1 - num["mode"], num["mode"]).astype(np.int64)
    num["duration_ms"] = np.maximum(
        15_000, num["duration_ms"] * rng.lognormal(0.0, 0.08, n)
    ).astype(np.int64)
    num["popularity"] = np.clip(num["popularity"] + rng.normal(0, 4, n), 0, 100).astype(np.int64)
    num["time_signature"] = num["time_signature"].astype(np.int64)

    ids = make_ids(rng, first_row, n)
    rounded = {k: np.round(num[k], 4).tolist() for k in (*UNIT_FEATURES, "loudness")}
    tempo_r = np.round(num["tempo"], 3).tolist()
    ints = {
        k: num[k].tolist() for k in ("key", "mode", "duration_ms", "popularity", "time_signature")
    }
    artists = src.text["artists"][same_genre]
    albums = src.text["album_name"][titled]
    titles = src.text["track_name"][titled]
    genres = src.text["track_genre"][base]
    explicit = np.where(src.explicit[base], "True", "False")
    return [
        (
            first_row + i,
            ids[i],
            artists[i],
            albums[i],
            titles[i],
            ints["popularity"][i],
            ints["duration_ms"][i],
            explicit[i],
            rounded["danceability"][i],
            rounded["energy"][i],
            ints["key"][i],
            rounded["loudness"][i],
            ints["mode"][i],
            rounded["speechiness"][i],
            rounded["acousticness"][i],
            rounded["instrumentalness"][i],
            rounded["liveness"][i],
            rounded["valence"][i],
            tempo_r[i],
            ints["time_signature"][i],
            genres[i],
        )
        for i in range(n)
    ]


def generate(
    rows: int, seed: int, out: Path, source: Path = DEFAULT_SOURCE, progress: bool = False
) -> Path:
    src = Source(source)
    rng = np.random.default_rng(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    started = time.perf_counter()
    with open(partial, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for first in range(0, rows, CHUNK):
            writer.writerows(make_chunk(src, rng, first, min(CHUNK, rows - first)))
            if progress and first and first % 1_000_000 == 0:
                print(
                    f"{first:,} rows, {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
    # a half-written file must never be mistaken for a finished catalog
    partial.replace(out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = ap.parse_args()
    if args.rows < 1:
        raise SystemExit("--rows must be at least 1")
    started = time.perf_counter()
    generate(args.rows, args.seed, args.out, args.source, progress=True)
    print(f"wrote {args.rows:,} rows to {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
