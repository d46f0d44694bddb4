"""YouTube Music through the YouTube Data API v3 (the only public API YouTube Music has).

With the listener's Google OAuth access token (scope ``youtube``, from the page's PKCE
sign-in): ``search.list`` restricted to music videos (``type=video``, ``videoCategoryId=10``),
``videos.list`` for their durations, ``playlists.insert`` and one ``playlistItems.insert`` per
track; ``playlists.list`` (``mine=true``) and ``playlistItems.list`` find and complete an
interrupted delivery.

Every call costs quota units from the app's daily allowance (10,000 by default), counted
here per delivery (:meth:`YouTubeMusic.usage`): a search costs 100, an insert 50, a list 1.
A 20-track playlist costs 20 x (100 + 1) + 50 + 20 x 50 = 3,070 units.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aidj.matching import Candidate, Wanted, search_query
from aidj_service.delivery.errors import (
    DeliveryError,
    PlatformNotConfiguredError,
    PlatformPartialWriteError,
    PlatformQuotaError,
    PlatformRateLimitedError,
    TargetPlaylist,
)
from aidj_service.delivery.platform import tagged
from aidj_service.delivery.transport import Transport

DEFAULT_API_URL = "https://www.googleapis.com"
PLAYLIST_URL = "https://music.youtube.com/playlist?list={id}"
MUSIC_CATEGORY = "10"  # YouTube's video category "Music"
SEARCH_RESULTS = 5
PAGE = 50
# Quota units per call, as YouTube's quota calculator lists them.
COSTS = {"search": 100, "insert": 50, "list": 1}

_DURATION = re.compile(r"^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
_CHANNEL_SUFFIX = re.compile(r"\s*(?:-\s*topic|vevo|official)\s*$", re.IGNORECASE)


def iso_duration_ms(value: object) -> int | None:
    """'PT3M45S' -> 225000; None for anything else (live streams say 'P0D')."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    return total * 1000 or None


def video_candidate(
    video_id: str, snippet: Mapping[str, Any], duration_ms: int | None
) -> Candidate:
    """A search result as a song: "Artist - Title (Official Video)" on an artist's channel, or
    the bare title on its auto-generated "Artist - Topic" channel."""
    title = html.unescape(str(snippet.get("title") or ""))
    channel = _CHANNEL_SUFFIX.sub("", html.unescape(str(snippet.get("channelTitle") or "")))
    artists = [channel] if channel else []
    if " - " in title:
        left, right = title.split(" - ", 1)
        title, artists = right, [left, *artists]
    return Candidate(video_id, title.strip(), tuple(artists), duration_ms)


def _quota_error(status: int, body: Any) -> DeliveryError | None:
    error = body.get("error") if isinstance(body, dict) else None
    errors = error.get("errors") if isinstance(error, dict) else None
    reason = (
        errors[0].get("reason")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict)
        else None
    )
    if reason in ("quotaExceeded", "dailyLimitExceeded"):
        return PlatformQuotaError(
            "YouTube Music", f"{reason}: the app's 10,000 daily units are the default"
        )
    if reason in ("rateLimitExceeded", "userRateLimitExceeded"):
        return PlatformRateLimitedError("YouTube Music", 60.0)
    return None


class YouTubeMusic:
    name = "youtube_music"
    label = "YouTube Music"

    def __init__(
        self, access_token: str, *, api_url: str = DEFAULT_API_URL, **transport: Any
    ) -> None:
        if not access_token or not access_token.strip():
            raise PlatformNotConfiguredError(
                self.label, "no Google access token: sign in to YouTube on the page first"
            )
        self._token = access_token.strip()
        self._http = Transport(
            self.label,
            api_url,
            headers=lambda: {"Authorization": f"Bearer {self._token}"},
            classify=_quota_error,
            **transport,
        )
        self.quota_units = 0

    def __repr__(self) -> str:
        return f"YouTubeMusic(api_url={self._http.base_url!r}, access_token='***')"

    def usage(self) -> Mapping[str, int]:
        return {"quota_units": self.quota_units}

    def _call(self, cost: str, method: str, path: str, **kwargs: Any) -> Any:
        self.quota_units += COSTS[cost]  # YouTube bills a call whether or not it succeeds
        return self._http.request(method, f"/youtube/v3/{path}", **kwargs)

    def search(self, track: Wanted) -> Sequence[Candidate]:
        body = self._call(
            "search",
            "GET",
            "search",
            params={
                "part": "snippet",
                "q": search_query(track),
                "type": "video",
                "videoCategoryId": MUSIC_CATEGORY,
                "maxResults": SEARCH_RESULTS,
            },
        )
        hits = [
            (item["id"]["videoId"], item.get("snippet") or {})
            for item in (body or {}).get("items") or []
            if isinstance(item.get("id"), dict) and isinstance(item["id"].get("videoId"), str)
        ]
        if not hits:
            return []
        durations = self._durations([video_id for video_id, _ in hits])
        return [video_candidate(v, snippet, durations.get(v)) for v, snippet in hits]

    def _durations(self, video_ids: Sequence[str]) -> dict[str, int | None]:
        body = self._call(
            "list", "GET", "videos", params={"part": "contentDetails", "id": ",".join(video_ids)}
        )
        return {
            item["id"]: iso_duration_ms((item.get("contentDetails") or {}).get("duration"))
            for item in (body or {}).get("items") or []
            if isinstance(item.get("id"), str)
        }

    def find_playlist(self, marker: str) -> TargetPlaylist | None:
        page: str | None = None
        while True:
            params = {"part": "snippet", "mine": "true", "maxResults": PAGE}
            body = self._call(
                "list",
                "GET",
                "playlists",
                params={**params, **({"pageToken": page} if page else {})},
            )
            for item in (body or {}).get("items") or []:
                description = (item.get("snippet") or {}).get("description") or ""
                if marker in description and isinstance(item.get("id"), str):
                    return TargetPlaylist(item["id"], PLAYLIST_URL.format(id=item["id"]))
            page = (body or {}).get("nextPageToken")
            if not page:
                return None

    def create_playlist(
        self, name: str, description: str, target_ids: Sequence[str], *, marker: str
    ) -> TargetPlaylist:
        body = self._call(
            "insert",
            "POST",
            "playlists",
            params={"part": "snippet,status"},
            json={
                "snippet": {
                    "title": name[:150] or "AI DJ Mix",
                    "description": tagged(description, marker),
                },
                "status": {"privacyStatus": "private"},
            },
        )
        playlist_id = (body or {}).get("id")
        if not isinstance(playlist_id, str) or not playlist_id:
            raise DeliveryError(self.label, 502, "YouTube did not return the new playlist's id")
        playlist = TargetPlaylist(playlist_id, PLAYLIST_URL.format(id=playlist_id))
        self._insert(playlist, target_ids, already=0, total=len(target_ids))
        return playlist

    def complete_playlist(self, playlist: TargetPlaylist, target_ids: Sequence[str]) -> None:
        present = self._video_ids(playlist.id)
        missing = [v for v in target_ids if v not in present]
        self._insert(
            playlist, missing, already=len(target_ids) - len(missing), total=len(target_ids)
        )

    def _insert(
        self, playlist: TargetPlaylist, video_ids: Sequence[str], *, already: int, total: int
    ) -> None:
        """One ``playlistItems.insert`` per video, in order (the API takes one item per call)."""
        added = already
        for video_id in video_ids:
            try:
                self._call(
                    "insert",
                    "POST",
                    "playlistItems",
                    params={"part": "snippet"},
                    json={
                        "snippet": {
                            "playlistId": playlist.id,
                            "resourceId": {"kind": "youtube#video", "videoId": video_id},
                        }
                    },
                )
            except DeliveryError as exc:
                raise PlatformPartialWriteError(
                    self.label, playlist=playlist, added=added, total=total, cause=exc
                ) from exc
            added += 1

    def _video_ids(self, playlist_id: str) -> set[str]:
        ids: set[str] = set()
        page: str | None = None
        while True:
            params: dict[str, Any] = {
                "part": "snippet",
                "playlistId": playlist_id,
                "maxResults": PAGE,
            }
            if page:
                params["pageToken"] = page
            body = self._call("list", "GET", "playlistItems", params=params)
            for item in (body or {}).get("items") or []:
                resource = (item.get("snippet") or {}).get("resourceId") or {}
                if isinstance(resource.get("videoId"), str):
                    ids.add(resource["videoId"])
            page = (body or {}).get("nextPageToken")
            if not page:
                return ids
