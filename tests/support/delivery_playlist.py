"""A 20-track playlist from the real catalog, and the catalog another platform holds for it.

The platform's catalog is planted: most tracks are there under their own title and artist
(durations a second off, a remaster mark here and there, and for "Creep" a decoy by Stone Temple
Pilots listed first), and three are not there as we know them:

- **decoy** — Leonard Cohen's "Hallelujah": the platform has only Jeff Buckley's and Rufus
  Wainwright's songs of that title;
- **live** — Coldplay's studio "Yellow": the platform has only "Yellow (Live in Buenos Aires)";
- **missing** — Eagles' "Hotel California - Live On MTV, 1994": the platform has nothing.

Every fake platform server (Apple Music, YouTube, Subsonic) serves this same catalog in its own
shapes, so each delivery test expects the same 17 matches and 3 left out.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from aidj.catalog import normalize_text
from aidj.matching import Wanted, split_title

from .fake_spotify import CATALOG_PATH

HALLELUJAH_COHEN = "7yzbimr8WVyAtBX3Eg6UL9"
YELLOW_COLDPLAY = "2ubrTNQou3onHm2WNHcCyT"
HOTEL_CALIFORNIA_LIVE = "2GpBrAoCwt48fxjgjlzMd4"
CREEP_RADIOHEAD = "70LcF31zb1H0PyJoS1Sx1r"
PLANTED = (HALLELUJAH_COHEN, YELLOW_COLDPLAY, HOTEL_CALIFORNIA_LIVE, CREEP_RADIOHEAD)
EXPECTED_UNMATCHED = {
    HALLELUJAH_COHEN: "other_artist",
    YELLOW_COLDPLAY: "other_version",
    HOTEL_CALIFORNIA_LIVE: "not_found",
}
SIZE = 20


@dataclass(frozen=True, slots=True)
class PlatformSong:
    """A song as another platform holds it: its own id, one artist string, seconds precision."""

    id: str
    title: str
    artist: str
    album: str
    duration_ms: int
    for_track: str | None = None  # which of our tracks it stands for (None: a decoy)


@lru_cache(maxsize=1)
def _rows() -> dict[str, dict[str, str]]:
    if not Path(CATALOG_PATH).exists():
        pytest.skip(f"catalog not found at {CATALOG_PATH}; set AIDJ_SHARED_DIR")
    rows: dict[str, dict[str, str]] = {}
    with open(CATALOG_PATH, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(row["track_id"], row)
    return rows


def wanted(row: dict[str, str]) -> Wanted:
    return Wanted(
        track_id=row["track_id"],
        name=row["track_name"],
        artists=tuple(a for a in row["artists"].split(";") if a),
        duration_ms=int(row["duration_ms"]),
        album=row["album_name"],
    )


def track(track_id: str) -> Wanted:
    """One track of the real catalog, as delivery sees it."""
    return wanted(_rows()[track_id])


@lru_cache(maxsize=1)
def playlist() -> tuple[Wanted, ...]:
    """The planted four, then popular tracks by sixteen other artists (by id order: deterministic)."""
    rows = _rows()
    chosen = [track(i) for i in PLANTED]
    artists = {a for t in chosen for a in t.artists}
    for track_id in sorted(rows):
        row = rows[track_id]
        candidate = wanted(row)
        if (
            int(row["popularity"]) >= 75
            and not split_title(candidate.name)[1]
            and candidate.name.isascii()
            and not artists & set(candidate.artists)
        ):
            chosen.append(candidate)
            artists.update(candidate.artists)
        if len(chosen) == SIZE:
            break
    return tuple(chosen)


@lru_cache(maxsize=1)
def platform_catalog() -> tuple[PlatformSong, ...]:
    """What the platform holds for :func:`playlist`, planted as the module docstring says."""
    songs = [
        PlatformSong("decoy-buckley", "Hallelujah", "Jeff Buckley", "Grace", 413_000),
        PlatformSong("decoy-wainwright", "Hallelujah", "Rufus Wainwright", "Shrek", 248_000),
        PlatformSong(
            "live-yellow",
            "Yellow (Live in Buenos Aires)",
            "Coldplay",
            "Live in Buenos Aires",
            280_000,
        ),
        PlatformSong("decoy-stp-creep", "Creep", "Stone Temple Pilots", "Core", 332_000),
    ]
    for n, wanted_track in enumerate(playlist()):
        if wanted_track.track_id in EXPECTED_UNMATCHED:
            continue
        title = split_title(wanted_track.name)[0]
        if n % 5 == 1:
            title = f"{title} (Remastered 2011)"  # a neutral mark: the same recording
        songs.append(
            PlatformSong(
                id=f"song-{n:02d}",
                title=title,
                artist=" & ".join(wanted_track.artists),
                album=wanted_track.album,
                duration_ms=(wanted_track.duration_ms or 0) // 1000 * 1000 + 1000,
                for_track=wanted_track.track_id,
            )
        )
    return tuple(songs)


def search_catalog(
    query: str, limit: int, songs: Iterable[PlatformSong] | None = None
) -> list[PlatformSong]:
    """Search as the platforms do, loosely: songs whose title shares a word with the query, the
    ones sharing most words (title, artist, album) first, then catalog order."""
    words = set(normalize_text(query).split())

    def shared(song: PlatformSong, *parts: str) -> int:
        return len(words & set(normalize_text(" ".join(parts)).split()))

    pool = platform_catalog() if songs is None else songs
    hits = [s for s in pool if shared(s, s.title)]
    hits.sort(key=lambda s: -shared(s, s.title, s.artist, s.album))
    return hits[:limit]


def songs_for(tracks: Iterable[dict]) -> list[PlatformSong]:
    """The platform's copies of tracks as the API answers them (``PlaylistTrack.to_dict``)."""
    return [
        PlatformSong(
            id=f"held-{n:03d}",
            title=t["name"],
            artist=" & ".join(t["artists"]),
            album=t.get("album") or "",
            duration_ms=int(t["duration_ms"]),
            for_track=t["id"],
        )
        for n, t in enumerate(tracks)
    ]


def expected_target(track_id: str) -> str | None:
    """The platform song that stands for one of our tracks, or None when it should stay out."""
    return next((s.id for s in platform_catalog() if s.for_track == track_id), None)
