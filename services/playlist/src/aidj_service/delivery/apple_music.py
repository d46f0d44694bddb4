"""Apple Music: catalog search and library playlists (the Apple Music API, ``/v1``).

Every call carries the developer token (``Authorization: Bearer``, an ES256 JWT from
:mod:`aidj_service.delivery.apple_token`); calls on the listener's library also carry their
Music User Token (``Music-User-Token``, from MusicKit JS on the page). Neither is logged.

Calls: ``GET /v1/me/storefront`` (which country's catalog to search, unless configured),
``GET /v1/catalog/{storefront}/search?types=songs``, ``GET /v1/me/library/playlists``
(finding an interrupted delivery by its marker), ``POST /v1/me/library/playlists`` (created
with its tracks in one request), ``GET``/``POST /v1/me/library/playlists/{id}/tracks``
(completing one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aidj.matching import Candidate, Wanted, search_query
from aidj_service.delivery.apple_token import DeveloperToken
from aidj_service.delivery.errors import (
    DeliveryError,
    PlatformNotConfiguredError,
    TargetPlaylist,
)
from aidj_service.delivery.platform import tagged
from aidj_service.delivery.transport import Transport

DEFAULT_API_URL = "https://api.music.apple.com"
LIBRARY_PLAYLIST_URL = "https://music.apple.com/library/playlist/{id}"
SEARCH_LIMIT = 10  # Apple allows up to 25; the right song is in the first few or not there
PAGE = 100


def _data(body: Any) -> list[dict[str, Any]]:
    data = body.get("data") if isinstance(body, dict) else None
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


class AppleMusic:
    name = "apple_music"
    label = "Apple Music"

    def __init__(
        self,
        developer_token: DeveloperToken,
        music_user_token: str,
        *,
        api_url: str = DEFAULT_API_URL,
        storefront: str | None = None,
        **transport: Any,
    ) -> None:
        if not music_user_token or not music_user_token.strip():
            raise PlatformNotConfiguredError(
                self.label, "no Music User Token: sign in to Apple Music on the page first"
            )
        self._developer = developer_token
        self._user_token = music_user_token.strip()
        self._storefront = storefront
        self._http = Transport(self.label, api_url, headers=self._headers, **transport)

    def __repr__(self) -> str:
        return f"AppleMusic(api_url={self._http.base_url!r}, tokens='***')"

    def _headers(self) -> Mapping[str, str]:
        return {
            "Authorization": f"Bearer {self._developer.token()}",
            "Music-User-Token": self._user_token,
        }

    def usage(self) -> Mapping[str, int]:
        return {}

    # ------------------------------------------------------------ catalog

    def storefront(self) -> str:
        """The listener's storefront ("us", "fr"…): their catalog is the one they can play."""
        if self._storefront is None:
            data = _data(self._http.request("GET", "/v1/me/storefront"))
            if not data or not isinstance(data[0].get("id"), str):
                raise DeliveryError(
                    self.label, 502, "Apple Music did not say the account's storefront"
                )
            self._storefront = data[0]["id"]
        return self._storefront

    def search(self, track: Wanted) -> Sequence[Candidate]:
        body = self._http.request(
            "GET",
            f"/v1/catalog/{self.storefront()}/search",
            params={"term": search_query(track), "types": "songs", "limit": SEARCH_LIMIT},
        )
        songs = ((body or {}).get("results") or {}).get("songs") or {}
        found = []
        for item in _data(songs):
            attributes = item.get("attributes") or {}
            if not isinstance(item.get("id"), str) or not isinstance(attributes.get("name"), str):
                continue
            found.append(
                Candidate(
                    target_id=item["id"],
                    name=attributes["name"],
                    artists=(str(attributes.get("artistName") or ""),),
                    duration_ms=attributes.get("durationInMillis") or None,
                    album=str(attributes.get("albumName") or ""),
                )
            )
        return found

    # ------------------------------------------------------------ library playlists

    def find_playlist(self, marker: str) -> TargetPlaylist | None:
        offset = 0
        while True:
            body = self._http.request(
                "GET", "/v1/me/library/playlists", params={"limit": PAGE, "offset": offset}
            )
            items = _data(body)
            for item in items:
                description = (item.get("attributes") or {}).get("description") or {}
                text = description.get("standard") if isinstance(description, dict) else None
                if isinstance(text, str) and marker in text and isinstance(item.get("id"), str):
                    return TargetPlaylist(item["id"], LIBRARY_PLAYLIST_URL.format(id=item["id"]))
            if not items or not (isinstance(body, dict) and body.get("next")):
                return None
            offset += len(items)

    def create_playlist(
        self, name: str, description: str, target_ids: Sequence[str], *, marker: str
    ) -> TargetPlaylist:
        payload = {
            "attributes": {
                "name": name[:100] or "AI DJ Mix",
                "description": tagged(description, marker),
            },
            "relationships": {
                "tracks": {"data": [{"id": song_id, "type": "songs"} for song_id in target_ids]}
            },
        }
        # A POST is never resent by the transport: a second one would be a second playlist.
        data = _data(self._http.request("POST", "/v1/me/library/playlists", json=payload))
        if not data or not isinstance(data[0].get("id"), str):
            raise DeliveryError(
                self.label, 502, "Apple Music did not return the new playlist: check your library"
            )
        playlist_id = data[0]["id"]
        return TargetPlaylist(playlist_id, LIBRARY_PLAYLIST_URL.format(id=playlist_id))

    def complete_playlist(self, playlist: TargetPlaylist, target_ids: Sequence[str]) -> None:
        present = set(self._catalog_ids(playlist.id))
        missing = [song_id for song_id in target_ids if song_id not in present]
        if missing:
            self._http.request(
                "POST",
                f"/v1/me/library/playlists/{playlist.id}/tracks",
                json={"data": [{"id": song_id, "type": "songs"} for song_id in missing]},
            )

    def _catalog_ids(self, playlist_id: str) -> list[str]:
        """The catalog ids of the library playlist's songs, in order."""
        ids: list[str] = []
        offset = 0
        while True:
            try:
                body = self._http.request(
                    "GET",
                    f"/v1/me/library/playlists/{playlist_id}/tracks",
                    params={"limit": PAGE, "offset": offset},
                )
            except DeliveryError as exc:
                if exc.status == 404:  # Apple answers 404 for a playlist with no tracks yet
                    return ids
                raise
            items = _data(body)
            for item in items:
                play = (item.get("attributes") or {}).get("playParams") or {}
                catalog_id = play.get("catalogId") if isinstance(play, dict) else None
                if isinstance(catalog_id, str):
                    ids.append(catalog_id)
            if not items or not (isinstance(body, dict) and body.get("next")):
                return ids
            offset += len(items)
