"""Matching our tracks to another platform's search results, without shared ids.

Our catalog knows Spotify ids, titles, artists and durations; Apple Music, YouTube and a
Subsonic server know their own ids. A track is matched when one search result is the same
recording: the same title once version marks are folded away, at least one of our artists,
a duration within a few seconds, and no version mark on one side only (a live take, a remix or
an acoustic version is another recording). The best candidate above :data:`THRESHOLD` wins;
otherwise the track is reported unmatched with the reason, so a wrong song is never added
silently. A reason is a code and what it is about (the closest candidate, its version, how far its
length is); :mod:`aidj.delivery_notices` says it in the listener's language.

Everything here is deterministic: the same track and candidates give the same answer in every
process (no ``hash()``, ties go to the platform's own order).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

from aidj.catalog import artist_key, normalize_text

VERSIONS_PATH = Path(__file__).parent / "data" / "versions.json"

THRESHOLD = 0.8  # a candidate's confidence must reach this to be added
WEIGHTS = {"title": 0.45, "artist": 0.35, "duration": 0.20}
DURATION_EXACT_S = 3.0  # within this the durations agree fully
DURATION_FAR_S = 20.0  # from this on the duration says nothing in the candidate's favour
MIN_TITLE_SIMILARITY = 0.7  # below this the titles name different songs
VERSION_PENALTY = 0.35  # per version kind on one side only (live vs studio)
ALBUM_VERSION_PENALTY = 0.2  # a kind seen only in the candidate's album name ("Live in Paris")

# Brackets ("(Live)", "[2011 Remaster]", "(feat. X)") and a " - " suffix ("- Radio Edit").
_MARKS = re.compile(r"\(([^)]*)\)?|\[([^\]]*)\]?|\s+-\s+(.*)$")
_NOT_WORD = re.compile(r"[^\w&]+")
_APOSTROPHES = re.compile(r"['’`]")  # "Don't" and "Dont" are one title


# ---------------------------------------------------------------- inputs and answers


@dataclass(frozen=True, slots=True)
class Wanted:
    """One of our tracks, as a platform must find it."""

    track_id: str
    name: str
    artists: tuple[str, ...]
    duration_ms: int | None = None
    album: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One search result on the platform. ``artists`` may hold joined names ("A & B")."""

    target_id: str
    name: str
    artists: tuple[str, ...]
    duration_ms: int | None = None
    album: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    track_id: str
    target_id: str
    confidence: float


# Why a track was left out: the codes an answer carries (each language pack words every one).
REASONS = (
    "not_found",  # no search result at all
    "other_artist",  # the same title, only by other artists
    "title_differs",  # only other songs
    "other_version",  # the song, only in another version (live, remix, or the studio one)
    "duration_differs",  # the song, but too long or too short to be the same recording
    "low_confidence",  # the closest is too different to be sure
)
STUDIO = ""  # the version of a candidate without version marks


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A track left out, with the reason code and what the reason is about."""

    track_id: str
    name: str
    artists: tuple[str, ...]
    reason: str  # one of REASONS
    closest: Candidate | None = None  # the candidate the reason names (None: nothing found)
    version: str | None = None  # other_version: the closest's version kind, STUDIO for none
    seconds: int | None = None  # duration_differs: how far the lengths are apart

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (what a delivery ledger keeps); :meth:`from_dict` reads it back."""
        closest = self.closest
        return {
            "track_id": self.track_id,
            "name": self.name,
            "artists": list(self.artists),
            "reason": self.reason,
            "closest": None
            if closest is None
            else {
                "target_id": closest.target_id,
                "name": closest.name,
                "artists": list(closest.artists),
                "duration_ms": closest.duration_ms,
                "album": closest.album,
            },
            "version": self.version,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unmatched:
        near = data.get("closest")
        return cls(
            track_id=data["track_id"],
            name=data["name"],
            artists=tuple(data["artists"]),
            reason=data["reason"],
            closest=None
            if not near
            else Candidate(
                near["target_id"],
                near["name"],
                tuple(near["artists"]),
                near.get("duration_ms"),
                near.get("album") or "",
            ),
            version=data.get("version"),
            seconds=data.get("seconds"),
        )


@dataclass(frozen=True, slots=True)
class Scored:
    """How one candidate compares with the wanted track."""

    candidate: Candidate
    confidence: float
    problem: str | None  # the reason code that would leave the track unmatched, if any
    version: str | None = None  # other_version: the candidate's version kind (STUDIO: none)
    seconds: int | None = None  # duration_differs: the difference in length


@dataclass(frozen=True, slots=True)
class MatchReport:
    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def target_ids(self) -> list[str]:
        return [m.target_id for m in self.matches]


# ---------------------------------------------------------------- version marks


@dataclass(frozen=True, slots=True)
class _Versions:
    penalised: dict[str, tuple[str, ...]]
    neutral: tuple[str, ...]


@lru_cache(maxsize=1)
def _versions() -> _Versions:
    data = json.loads(VERSIONS_PATH.read_text(encoding="utf-8"))
    return _Versions(
        penalised={kind: tuple(words) for kind, words in sorted(data["penalised"].items())},
        neutral=tuple(sorted(data["neutral"], key=len, reverse=True)),
    )


def _words(text: str) -> str:
    """Folded, punctuation as spaces: the form titles and artists are compared in."""
    return " ".join(_NOT_WORD.sub(" ", _APOSTROPHES.sub("", normalize_text(text))).split())


def split_title(title: str) -> tuple[str, tuple[str, ...]]:
    """A title's base and its version marks: 'Yellow (Live) - 2011 Remaster' -> ('Yellow', ('Live', '2011 Remaster'))."""
    marks = tuple(
        next(g for g in m.groups() if g is not None).strip() for m in _MARKS.finditer(title)
    )
    base = _MARKS.sub(" ", title).strip()
    return (" ".join(base.split()) or title.strip()), tuple(m for m in marks if m)


def base_title(title: str) -> str:
    """The folded title without version marks: what two versions of one song share."""
    return _words(split_title(title)[0]) or _words(title)


def version_kinds(texts: Iterable[str]) -> frozenset[str]:
    """The penalised version kinds (live, remix…) these marks or names carry, neutral marks removed."""
    versions = _versions()
    kinds = set()
    for text in texts:
        folded = f" {_words(text)} "
        for phrase in versions.neutral:
            folded = folded.replace(f" {phrase} ", " ")
        for kind, phrases in versions.penalised.items():
            if any(f" {phrase} " in folded for phrase in phrases):
                kinds.add(kind)
    return frozenset(kinds)


def search_query(track: Wanted) -> str:
    """What to type into a platform's search: the title without its marks and the first artist."""
    title = split_title(track.name)[0]
    return f"{title} {track.artists[0]}" if track.artists else title


# ---------------------------------------------------------------- scoring


def _artists_found(ours: Sequence[str], theirs: Sequence[str]) -> int:
    """How many of our artists the candidate names (exactly, or inside a joined 'A & B' name)."""
    their_keys = [artist_key(name) for name in theirs]
    joined = f" {' | '.join(_words(k) for k in their_keys)} "
    found = 0
    for name in ours:
        key = artist_key(name)
        if key in their_keys or (key and f" {_words(key)} " in joined):
            found += 1
    return found


def _title_similarity(ours: str, theirs: str) -> float:
    a, b = base_title(ours), base_title(theirs)
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _duration_score(ours: int | None, theirs: int | None) -> float | None:
    if not ours or not theirs:
        return None
    delta = abs(ours - theirs) / 1000
    if delta <= DURATION_EXACT_S:
        return 1.0
    return max(0.0, 1.0 - (delta - DURATION_EXACT_S) / (DURATION_FAR_S - DURATION_EXACT_S))


def score(track: Wanted, candidate: Candidate, *, threshold: float = THRESHOLD) -> Scored:
    """The candidate's confidence (0 to 1) of being ``track``, and what would rule it out."""
    found = _artists_found(track.artists, candidate.artists)
    if track.artists and found == 0:
        return Scored(candidate, 0.0, "other_artist")
    title = _title_similarity(track.name, candidate.name)
    if title < MIN_TITLE_SIMILARITY:
        return Scored(candidate, 0.0, "title_differs")
    artist = 0.6 + 0.4 * found / len(track.artists) if track.artists else 0.6
    duration = _duration_score(track.duration_ms, candidate.duration_ms)
    if duration is None:  # a platform that does not say: judge on title and artist alone
        weight = WEIGHTS["title"] + WEIGHTS["artist"]
        confidence = (WEIGHTS["title"] * title + WEIGHTS["artist"] * artist) / weight
    else:
        confidence = (
            WEIGHTS["title"] * title + WEIGHTS["artist"] * artist + WEIGHTS["duration"] * duration
        )

    ours = version_kinds(split_title(track.name)[1])
    theirs = version_kinds(split_title(candidate.name)[1])
    album_only = version_kinds([candidate.album]) - theirs - ours - version_kinds([track.album])
    differing = sorted(ours ^ theirs)
    confidence -= VERSION_PENALTY * len(differing) + ALBUM_VERSION_PENALTY * len(album_only)
    confidence = round(min(1.0, max(0.0, confidence)), 3)

    if differing or album_only:
        # what the candidate is: its first version kind (sorted, so always the same), else studio
        have = sorted(theirs | album_only)
        return Scored(candidate, confidence, "other_version", version=have[0] if have else STUDIO)
    if duration == 0.0:
        seconds = round(abs((track.duration_ms or 0) - (candidate.duration_ms or 0)) / 1000)
        return Scored(candidate, confidence, "duration_differs", seconds=seconds)
    if confidence < threshold:
        return Scored(candidate, confidence, "low_confidence")
    return Scored(candidate, confidence, None)


def best_match(
    track: Wanted, candidates: Sequence[Candidate], *, threshold: float = THRESHOLD
) -> Match | Unmatched:
    """The best candidate at or above ``threshold`` (the platform's order breaks ties), else why none."""
    if not candidates:
        return Unmatched(track.track_id, track.name, track.artists, "not_found")
    scored = [score(track, c, threshold=threshold) for c in candidates]
    # Highest confidence first; among equals the platform's own ranking (stable sort).
    ranked = sorted(scored, key=lambda s: -s.confidence)
    clean = [s for s in ranked if s.problem is None and s.confidence >= threshold]
    if clean:
        return Match(track.track_id, clean[0].candidate.target_id, clean[0].confidence)
    # Say why with the most telling candidate: the same song that fell short, else the first result.
    viable = [s for s in ranked if s.problem not in ("other_artist", "title_differs")]
    telling = viable[0] if viable else scored[0]
    return Unmatched(
        track.track_id,
        track.name,
        track.artists,
        telling.problem or "low_confidence",
        closest=telling.candidate,
        version=telling.version,
        seconds=telling.seconds,
    )


def match_tracks(
    tracks: Sequence[Wanted],
    search: Callable[[Wanted], Sequence[Candidate]],
    *,
    threshold: float = THRESHOLD,
) -> MatchReport:
    """Search for every track (in order) and keep the matches; each target is used at most once."""
    matches: list[Match] = []
    unmatched: list[Unmatched] = []
    used: set[str] = set()
    for track in tracks:
        found = best_match(
            track, [c for c in search(track) if c.target_id not in used], threshold=threshold
        )
        if isinstance(found, Match):
            used.add(found.target_id)
            matches.append(found)
        else:
            unmatched.append(found)
    return MatchReport(tuple(matches), tuple(unmatched))
