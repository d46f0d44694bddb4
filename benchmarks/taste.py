"""Taste benchmark: what a listener's profile adds to a playlist, and what building one costs.

    uv run python benchmarks/taste.py [--catalog PATH[:PATH...]] [--rounds N]

Playlists: the synthetic listeners' 20 prompts (tests/taste/data/listeners.json), each built
without and with the listener's profile; the figure is the median of the per-prompt difference.
Profiles: 150 Spotify items as the Web API sends them (50 top artists, 50 top tracks, 50
recently played), folded into an empty profile. Both in a warm process (the catalog's artist
lookup and each artist's rows and neighbours are built on first use, reported apart).

Prints a Markdown table; paste it into docs/BENCHMARKS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from aidj.dj import DJ
from aidj.engine import build_playlist
from aidj.taste import steer
from aidj.taste.build import build
from aidj.taste.signals import (
    from_recently_played,
    from_top_artists,
    from_top_tracks,
)
from aidj.taste.steer import Taste

HERE = Path(__file__).resolve().parent
LISTENERS = HERE.parent / "tests" / "taste" / "data" / "listeners.json"


def spotify_items(dj: DJ, artists: list[str]) -> list:
    """150 items shaped like the Web API's: 50 artists, 50 tracks, 50 plays."""
    catalog = dj.catalog
    names = [catalog.artist_names[a] for a in range(0, len(catalog.artist_names), 97)][:45]
    top_artists = [
        {"id": f"a{n}", "name": name, "type": "artist"} for n, name in enumerate(artists + names)
    ][:50]
    rows = range(0, len(catalog), max(1, len(catalog) // 100))
    tracks = [
        {
            "id": catalog.ids[i],
            "name": catalog.names[i],
            "artists": [{"name": a} for a in catalog.artists_of(i)],
            "type": "track",
        }
        for i in rows
    ][:100]
    recent = [{"track": t, "played_at": "2026-03-01T10:00:00Z"} for t in tracks[50:100]]
    return [top_artists, tracks[:50], recent]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    dj = DJ.load(args.catalog)
    listeners = json.loads(LISTENERS.read_text())["listeners"]

    first_profile: float | None = None
    profile_ms: list[float] = []
    for round_ in range(args.rounds * 4):
        top_artists, top_tracks, recent = spotify_items(dj, listeners[round_ % 4]["top_artists"])
        started = time.perf_counter()
        signals = [
            *from_top_artists(top_artists, "medium_term"),
            *from_top_tracks(top_tracks, "short_term"),
            *from_recently_played(recent),
        ]
        build(signals, dj.catalog)
        elapsed = (time.perf_counter() - started) * 1000
        if first_profile is None:
            first_profile = elapsed
        else:
            profile_ms.append(elapsed)

    added: list[float] = []
    added_uncached: list[float] = []
    plain_ms: list[float] = []
    first_taste: list[float] = []
    for listener in listeners:
        profile = build(
            from_top_artists([{"name": n} for n in listener["top_artists"]], "medium_term"),
            dj.catalog,
        )
        for case in listener["prompts"]:
            intent = dj.interpret(case["prompt"])
            build_playlist(dj.catalog, intent)  # warm the prompt's own caches
            started = time.perf_counter()
            build_playlist(dj.catalog, intent, taste=Taste(profile))
            first_taste.append((time.perf_counter() - started) * 1000)
            for _ in range(args.rounds):
                started = time.perf_counter()
                build_playlist(dj.catalog, intent)
                plain = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                build_playlist(dj.catalog, intent, taste=Taste(profile))
                tasted = (time.perf_counter() - started) * 1000
                plain_ms.append(plain)
                added.append(tasted - plain)
                steer.forget_leanings()  # as if the profile had just changed
                started = time.perf_counter()
                build_playlist(dj.catalog, intent, taste=Taste(profile))
                added_uncached.append((time.perf_counter() - started) * 1000 - plain)

    print("| measure | median | p90 |")
    print("|---|---|---|")
    q = statistics.quantiles
    print(
        f"| playlist build, anonymous (ms) | {statistics.median(plain_ms):.1f} | {q(plain_ms, n=10)[-1]:.1f} |"
    )
    print(
        f"| added by taste (ms, per prompt) | {statistics.median(added):.2f} | {q(added, n=10)[-1]:.2f} |"
    )
    print(
        f"| added by taste, profile changed since its last playlist (ms) | {statistics.median(added_uncached):.2f} | {q(added_uncached, n=10)[-1]:.2f} |"
    )
    print(
        f"| first playlist with a new profile (ms, incl. rows + neighbours) | {statistics.median(first_taste):.1f} | {q(first_taste, n=10)[-1]:.1f} |"
    )
    print(
        f"| profile from 150 Spotify items (ms) | {statistics.median(profile_ms):.1f} | {q(profile_ms, n=10)[-1]:.1f} |"
    )
    print(f"| first profile in a process (ms, incl. the artist lookup) | {first_profile:.1f} | |")


if __name__ == "__main__":
    main()
