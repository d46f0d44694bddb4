"""A local YouTube Data API v3 for tests (127.0.0.1), in the shapes of its reference pages.

Paths under ``/youtube/v3``: ``GET search`` (``type=video`` required with ``videoCategoryId``),
``GET videos?part=contentDetails``, ``GET``/``POST playlists``, ``GET``/``POST playlistItems``.
It bills quota units as YouTube does (search 100, insert 50, list 1; :attr:`units_used`) and
answers 403 ``quotaExceeded`` past :attr:`daily_quota`. Songs appear as YouTube shows them:
even ones as "Artist - Title (Official Video)" on the artist's VEVO channel, odd ones as the bare
title on the auto-generated "Artist - Topic" channel; titles are HTML-escaped.
"""

from __future__ import annotations

import html
import itertools
from typing import Any

from .delivery_playlist import PlatformSong, platform_catalog, search_catalog
from .fake_platform import Answer, FakePlatform, Recorded

ACCESS_TOKEN = "fake-google-access-token-0123456789"
COSTS = {("GET", "search"): 100, ("POST", "playlists"): 50, ("POST", "playlistItems"): 50}


def _iso(ms: int) -> str:
    minutes, seconds = divmod(ms // 1000, 60)
    return f"PT{minutes}M{seconds}S"


class FakeYouTube(FakePlatform):
    def __init__(self, *, daily_quota: int = 10_000) -> None:
        super().__init__()
        self.daily_quota = daily_quota
        self.units_used = 0
        self.songs = {s.id: s for s in platform_catalog()}
        self._order = list(self.songs)
        self.playlists: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)

    def error(
        self, status: int, message: str, reason: str = "backendError", domain: str = "global"
    ) -> Any:
        return {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": domain, "reason": reason}],
            }
        }

    def hold(self, songs: list[PlatformSong]) -> None:
        """Add songs as videos (a test's own playlist)."""
        with self.lock:
            self.songs.update({s.id: s for s in songs})
            self._order.extend(s.id for s in songs)

    def route(self, request: Recorded) -> Answer:
        if request.headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
            return (
                401,
                {},
                self.error(401, "Request had invalid authentication credentials.", "authError"),
            )
        if not request.path.startswith("/youtube/v3/"):
            return 404, {}, self.error(404, "Not Found", "notFound")
        resource = request.path[len("/youtube/v3/") :]
        cost = COSTS.get((request.method, resource), 1)
        with self.lock:
            if self.units_used + cost > self.daily_quota:
                return (
                    403,
                    {},
                    self.error(
                        403,
                        "The request cannot be completed because you have exceeded your quota.",
                        "quotaExceeded",
                        "youtube.quota",
                    ),
                )
            self.units_used += cost
        handler = {
            ("GET", "search"): self._search,
            ("GET", "videos"): self._videos,
            ("GET", "playlists"): self._list_playlists,
            ("POST", "playlists"): self._insert_playlist,
            ("GET", "playlistItems"): self._list_items,
            ("POST", "playlistItems"): self._insert_item,
        }.get((request.method, resource))
        if handler is None:
            return 404, {}, self.error(404, "Not Found", "notFound")
        return handler(request)

    # ------------------------------------------------------------ search and videos

    def _snippet(self, song: PlatformSong) -> dict[str, Any]:
        topic = self._order.index(song.id) % 2 == 1
        title = song.title if topic else f"{song.artist} - {song.title} (Official Video)"
        channel = f"{song.artist} - Topic" if topic else f"{song.artist.replace(' ', '')}VEVO"
        return {
            "publishedAt": "2009-10-25T06:57:33Z",
            "channelId": "UCfakeartistchannel00000",
            "title": html.escape(title),
            "description": "",
            "thumbnails": {},
            "channelTitle": channel,
            "liveBroadcastContent": "none",
            "publishTime": "2009-10-25T06:57:33Z",
        }

    def _search(self, request: Recorded) -> Answer:
        if request.one("videoCategoryId") and request.one("type") != "video":
            return (
                400,
                {},
                self.error(400, "Invalid combination of search filters", "invalidSearchFilter"),
            )
        q = request.one("q") or ""
        limit = int(request.one("maxResults") or 5)
        if not 0 <= limit <= 50:
            return 400, {}, self.error(400, "Invalid value for maxResults", "invalidParameter")
        hits = search_catalog(q, limit, self.songs.values())
        return (
            200,
            {},
            {
                "kind": "youtube#searchListResponse",
                "etag": "fake",
                "regionCode": "US",
                "pageInfo": {"totalResults": len(hits), "resultsPerPage": limit},
                "items": [
                    {
                        "kind": "youtube#searchResult",
                        "etag": "fake",
                        "id": {"kind": "youtube#video", "videoId": s.id},
                        "snippet": self._snippet(s),
                    }
                    for s in hits
                ],
            },
        )

    def _videos(self, request: Recorded) -> Answer:
        ids = [i for i in (request.one("id") or "").split(",") if i]
        if len(ids) > 50 or "contentDetails" not in (request.one("part") or ""):
            return 400, {}, self.error(400, "Invalid request", "invalidParameter")
        items = [
            {
                "kind": "youtube#video",
                "etag": "fake",
                "id": i,
                "contentDetails": {
                    "duration": _iso(self.songs[i].duration_ms),
                    "dimension": "2d",
                    "definition": "hd",
                    "caption": "false",
                    "licensedContent": True,
                    "contentRating": {},
                    "projection": "rectangular",
                },
            }
            for i in ids
            if i in self.songs
        ]
        return (
            200,
            {},
            {
                "kind": "youtube#videoListResponse",
                "etag": "fake",
                "items": items,
                "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
            },
        )

    # ------------------------------------------------------------ playlists

    def _playlist_object(self, playlist: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": "youtube#playlist",
            "etag": "fake",
            "id": playlist["id"],
            "snippet": {
                "publishedAt": "2026-12-04T22:00:00Z",
                "channelId": "UCfakechannel0000000000",
                "title": playlist["title"],
                "description": playlist["description"],
                "thumbnails": {},
                "channelTitle": "Fake Listener",
                "localized": {"title": playlist["title"], "description": playlist["description"]},
            },
            "status": {"privacyStatus": playlist["privacy"]},
        }

    def _insert_playlist(self, request: Recorded) -> Answer:
        body = request.body if isinstance(request.body, dict) else {}
        snippet = body.get("snippet") or {}
        if "snippet" not in (request.one("part") or "") or not isinstance(
            snippet.get("title"), str
        ):
            return 400, {}, self.error(400, "Playlist title is required", "playlistTitleRequired")
        with self.lock:
            playlist = {
                "id": f"PLfake{next(self._ids):010d}",
                "title": snippet["title"],
                "description": str(snippet.get("description") or ""),
                "privacy": (body.get("status") or {}).get("privacyStatus", "public"),
                "items": [],
            }
            self.playlists[playlist["id"]] = playlist
        return 200, {}, self._playlist_object(playlist)

    def _list_playlists(self, request: Recorded) -> Answer:
        if request.one("mine") != "true":
            return 400, {}, self.error(400, "No filter selected", "missingRequiredParameter")
        limit = int(request.one("maxResults") or 5)
        start = int(request.one("pageToken") or 0)
        items = list(self.playlists.values())
        answer: dict[str, Any] = {
            "kind": "youtube#playlistListResponse",
            "etag": "fake",
            "pageInfo": {"totalResults": len(items), "resultsPerPage": limit},
            "items": [self._playlist_object(p) for p in items[start : start + limit]],
        }
        if start + limit < len(items):
            answer["nextPageToken"] = str(start + limit)
        return 200, {}, answer

    def _item_object(
        self, playlist: dict[str, Any], position: int, video_id: str
    ) -> dict[str, Any]:
        return {
            "kind": "youtube#playlistItem",
            "etag": "fake",
            "id": f"{playlist['id']}.{position}",
            "snippet": {
                "publishedAt": "2026-12-04T22:00:00Z",
                "channelId": "UCfakechannel0000000000",
                "title": html.escape(self.songs[video_id].title),
                "description": "",
                "thumbnails": {},
                "channelTitle": "Fake Listener",
                "playlistId": playlist["id"],
                "position": position,
                "resourceId": {"kind": "youtube#video", "videoId": video_id},
            },
        }

    def _insert_item(self, request: Recorded) -> Answer:
        snippet = (request.body or {}).get("snippet") if isinstance(request.body, dict) else None
        resource = (snippet or {}).get("resourceId") or {}
        playlist = self.playlists.get(str((snippet or {}).get("playlistId")))
        if playlist is None:
            return 404, {}, self.error(404, "Playlist not found", "playlistNotFound")
        if resource.get("kind") != "youtube#video" or resource.get("videoId") not in self.songs:
            return 404, {}, self.error(404, "Video not found", "videoNotFound")
        with self.lock:
            playlist["items"].append(resource["videoId"])
            position = len(playlist["items"]) - 1
        return 200, {}, self._item_object(playlist, position, resource["videoId"])

    def _list_items(self, request: Recorded) -> Answer:
        playlist = self.playlists.get(request.one("playlistId") or "")
        if playlist is None:
            return 404, {}, self.error(404, "Playlist not found", "playlistNotFound")
        limit = int(request.one("maxResults") or 5)
        start = int(request.one("pageToken") or 0)
        ids = playlist["items"]
        answer: dict[str, Any] = {
            "kind": "youtube#playlistItemListResponse",
            "etag": "fake",
            "pageInfo": {"totalResults": len(ids), "resultsPerPage": limit},
            "items": [
                self._item_object(playlist, n, v)
                for n, v in enumerate(ids)
                if start <= n < start + limit
            ],
        }
        if start + limit < len(ids):
            answer["nextPageToken"] = str(start + limit)
        return 200, {}, answer
