"""What ``synchronous=FULL`` costs the SQLite history store, against NORMAL.

    uv run python benchmarks/sqlite_durability.py [--writes N] [--dir PATH]

Writes N new playlists (one ``put`` each, a 25-track record like the API stores) and then N
new versions of one playlist (``save`` with compare-and-swap and an archived version), in a
fresh file per mode, and prints a Markdown table (median and p95 in ms per write, writes per
second) to paste into docs/BENCHMARKS.md with the machine and disk it ran on. ``--dir`` picks
the disk (the default is the system's temporary folder, often a RAM disk: use a real one).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from aidj_service.stores.history import PlaylistRecord, utc_now_iso
from aidj_service.stores.sqlite import SQLiteHistoryStore

MODES = ("NORMAL", "FULL")


def record_data(rev: int, version: int) -> dict:
    """About the size of a stored 25-track playlist (a few kB of JSON)."""
    tracks = [
        {"id": f"{i:022d}", "name": f"Track {i}", "artists": ["Someone"], "tempo": 120.0 + i}
        for i in range(25)
    ]
    return {
        "name": "Benchmark",
        "prompt": "jazz for dinner",
        "tracks": tracks,
        "rev": rev,
        "version": version,
        "parameters": {"limit": 25},
    }


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def measure(folder: Path, mode: str, writes: int) -> dict[str, list[float]]:
    store = SQLiteHistoryStore(folder / f"{mode.lower()}.sqlite3", synchronous=mode)
    try:
        puts = [
            timed(
                lambda: store.put(
                    PlaylistRecord(str(uuid.uuid4()), "bench", utc_now_iso(), record_data(0, 1))
                )
            )
            for _ in range(writes)
        ]
        head = PlaylistRecord(str(uuid.uuid4()), "bench", utc_now_iso(), record_data(0, 1))
        store.put(head)
        saves = []
        for rev in range(writes):
            new = PlaylistRecord(
                head.playlist_id, "bench", head.created_at, record_data(rev + 1, rev + 2)
            )
            archive = {**record_data(rev, rev + 1), "version": rev + 1}
            start = time.perf_counter()
            store.save(new, expected_rev=rev, archive=archive)
            saves.append((time.perf_counter() - start) * 1000)
        return {"put": puts, "save": saves}
    finally:
        store.close()


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writes", type=int, default=300)
    ap.add_argument("--dir", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        results = {mode: measure(Path(tmp), mode, args.writes) for mode in MODES}
    print(f"{args.writes} writes each, in {args.dir or tempfile.gettempdir()}\n")
    print("| write | synchronous | median ms | p95 ms | writes/s |")
    print("|---|---|---:|---:|---:|")
    for kind in ("put", "save"):
        for mode in MODES:
            values = results[mode][kind]
            median = statistics.median(values)
            print(
                f"| {kind} | {mode} | {median:.3f} | {p95(values):.3f} | "
                f"{1000 / statistics.mean(values):,.0f} |"
            )


if __name__ == "__main__":
    main()
