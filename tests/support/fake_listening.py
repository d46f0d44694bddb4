"""What the fake Spotify's user has been listening to, served as the Web API serves it.

``GET /v1/me/top/artists`` and ``/me/top/tracks`` (scope ``user-top-read``, ``time_range``
short/medium/long_term, ``limit`` 1..50, ``offset``), ``GET /v1/me/player/recently-played``
(``user-read-recently-played``, ``limit`` 1..50, ``before`` or ``after`` in Unix ms, a cursor
page without ``total``) and ``GET /v1/me/tracks`` (``user-library-read``, a paging object of
saved tracks). All four are kept for development-mode apps after the March 2026 changes; what
those apps lose shows here too: artist objects carry no ``genres``, ``popularity`` or
``followers``, and track objects no ``popularity``. The shapes are checked against the
shared OpenAPI document by :class:`tests.support.fake_spotify.FakeSpotify` like every answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

TIME_RANGES = ("short_term", "medium_term", "long_term")
SCOPES = {
    "top": "user-top-read",
    "recent": "user-read-recently-played",
    "saved": "user-library-read",
}
API = "https://api.spotify.com/v1"
Answer = tuple[int, dict[str, str], Any]


def _error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message}}


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class Listening:
    """The user's listening: ranked artists and tracks per time range, plays, saved tracks.

    Tracks are catalog rows (``track_id`` keys); artists are names. Every list is best or most
    recent first, as Spotify orders it.
    """

    top_artists: dict[str, list[str]] = field(default_factory=dict)
    top_tracks: dict[str, list[str]] = field(default_factory=dict)
    plays: list[tuple[str, int]] = field(default_factory=list)  # (track id, played at, Unix ms)
    saved: list[tuple[str, int]] = field(default_factory=list)  # (track id, added at, Unix ms)
    scopes: set[str] = field(default_factory=lambda: set(SCOPES.values()))

    @classmethod
    def from_tracks(cls, tracks: tuple[dict[str, Any], ...]) -> Listening:
        """A plausible listener drawn from ``tracks``: each time range a different stretch."""
        ids = [row["track_id"] for row in tracks]
        top_tracks = {term: ids[10 * n : 10 * n + 60] for n, term in enumerate(TIME_RANGES)}
        top_artists: dict[str, list[str]] = {}
        by_id = {row["track_id"]: row for row in tracks}
        for term, chosen in top_tracks.items():
            names = [by_id[i]["artists"].split(";")[0] for i in chosen]
            top_artists[term] = list(dict.fromkeys(n for n in names if n))
        start = 1_772_000_000_000  # 2026-02-25, a fixed clock: answers are reproducible
        plays = [(i, start - n * 240_000) for n, i in enumerate(ids[5:75])]
        saved = [(i, start - n * 86_400_000) for n, i in enumerate(ids[100:180])]
        return cls(top_artists, top_tracks, plays, saved)

    # ------------------------------------------------------------ answers

    def top(
        self,
        kind: str,
        query: dict[str, str],
        track: Callable[[str], Any],
        artist: Callable[[str], Any],
    ) -> Answer:
        if SCOPES["top"] not in self.scopes:
            return 403, {}, _error(403, "Insufficient client scope")
        time_range = query.get("time_range", "medium_term")
        if time_range not in TIME_RANGES:
            return 400, {}, _error(400, "Invalid time range")
        page = _limits(query)
        if isinstance(page, str):
            return 400, {}, _error(400, page)
        limit, offset = page
        if kind == "artists":
            items = [artist(name) for name in self.top_artists.get(time_range, [])]
        else:
            items = [track(i) for i in self.top_tracks.get(time_range, [])]
        href = f"{API}/me/top/{kind}?time_range={time_range}"
        return 200, {}, _paging(href, items, limit, offset)

    def saved_tracks(self, query: dict[str, str], track: Callable[[str], Any]) -> Answer:
        if SCOPES["saved"] not in self.scopes:
            return 403, {}, _error(403, "Insufficient client scope")
        page = _limits(query)
        if isinstance(page, str):
            return 400, {}, _error(400, page)
        limit, offset = page
        items = [{"added_at": _iso(at), "track": track(i)} for i, at in self.saved]
        return 200, {}, _paging(f"{API}/me/tracks?", items, limit, offset)

    def recently_played(self, query: dict[str, str], track: Callable[[str], Any]) -> Answer:
        if SCOPES["recent"] not in self.scopes:
            return 403, {}, _error(403, "Insufficient client scope")
        page = _limits(query, offset=False)
        if isinstance(page, str):
            return 400, {}, _error(400, page)
        limit, _ = page
        if "after" in query and "before" in query:
            return 400, {}, _error(400, "after and before cannot both be given")
        try:
            after = int(query["after"]) if "after" in query else None
            before = int(query["before"]) if "before" in query else None
        except ValueError:
            return 400, {}, _error(400, "Invalid cursor: a Unix timestamp in milliseconds")
        plays = [
            (i, at)
            for i, at in self.plays
            if (after is None or at > after) and (before is None or at < before)
        ]
        shown = plays[:limit]
        body: dict[str, Any] = {
            "href": f"{API}/me/player/recently-played?limit={limit}",
            "limit": limit,
            "items": [{"track": track(i), "played_at": _iso(at)} for i, at in shown],
        }
        if shown:
            body["cursors"] = {"after": str(shown[0][1]), "before": str(shown[-1][1])}
        if len(plays) > limit:
            # no "next" at the end: the document types it as a string, so it is left out
            body["next"] = f"{API}/me/player/recently-played?before={shown[-1][1]}&limit={limit}"
        return 200, {}, body


def _limits(query: dict[str, str], *, offset: bool = True) -> tuple[int, int] | str:
    try:
        limit = int(query.get("limit", "20"))
        start = int(query.get("offset", "0")) if offset else 0
    except ValueError:
        return "Invalid limit"
    if not 1 <= limit <= 50:
        return "Invalid limit"
    if start < 0:
        return "Invalid offset"
    return limit, start


def _paging(href: str, items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    page = items[offset : offset + limit]
    more = offset + limit < len(items)
    return {
        "href": f"{href}&offset={offset}&limit={limit}",
        "items": page,
        "limit": limit,
        "next": f"{href}&offset={offset + limit}&limit={limit}" if more else None,
        "offset": offset,
        "previous": f"{href}&offset={max(0, offset - limit)}&limit={limit}" if offset else None,
        "total": len(items),
    }
