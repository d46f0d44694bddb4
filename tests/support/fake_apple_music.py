"""A local Apple Music API for tests (127.0.0.1), in the shapes Apple's documentation shows.

Paths: ``GET /v1/me/storefront``, ``GET /v1/catalog/{storefront}/search?types=songs``,
``GET``/``POST /v1/me/library/playlists``, ``GET``/``POST /v1/me/library/playlists/{id}/tracks``.
Every request must carry a developer token that verifies (ES256 with the fake's key pair, the
right key id and team id, not expired) and library requests a Music User Token; errors come as
``{"errors": [{"status", "code", "title", "detail"}]}``. The catalog is
:func:`tests.support.delivery_playlist.platform_catalog`.
"""

from __future__ import annotations

import base64
import itertools
import json
import time
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from .delivery_playlist import PlatformSong, platform_catalog, search_catalog
from .fake_platform import Answer, FakePlatform, Recorded

TEAM_ID = "TEAM123456"
KEY_ID = "KEY1234567"
USER_TOKEN = "fake-music-user-token-0123456789"


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class FakeAppleMusic(FakePlatform):
    def __init__(self, *, storefront: str = "us") -> None:
        super().__init__()
        self._key = ec.generate_private_key(ec.SECP256R1())
        self.storefront = storefront
        self.songs = {s.id: s for s in platform_catalog()}
        self.playlists: dict[str, dict[str, Any]] = {}
        self.tokens_seen: list[str] = []
        self._ids = itertools.count(1)

    @property
    def private_key_pem(self) -> str:
        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    def error(self, status: int, message: str) -> Any:
        return {
            "errors": [
                {
                    "id": "FAKE",
                    "title": message,
                    "detail": message,
                    "status": str(status),
                    "code": f"{status}00",
                }
            ]
        }

    # ------------------------------------------------------------ auth

    def _developer_token_problem(self, header: str) -> str | None:
        if not header.startswith("Bearer "):
            return "no developer token"
        token = header[len("Bearer ") :]
        self.tokens_seen.append(token)
        try:
            head, claims, signature = token.split(".")
            header_json = json.loads(_unb64(head))
            claims_json = json.loads(_unb64(claims))
            raw = _unb64(signature)
        except ValueError:
            return "malformed developer token"
        if header_json.get("alg") != "ES256" or header_json.get("kid") != KEY_ID:
            return "wrong algorithm or key id"
        if claims_json.get("iss") != TEAM_ID or claims_json.get("exp", 0) <= time.time():
            return "wrong team or expired"
        if len(raw) != 64:
            return "signature is not raw r||s"
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            self._key.public_key().verify(
                der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256())
            )
        except InvalidSignature:
            return "bad signature"
        return None

    def hold(self, songs: list[PlatformSong]) -> None:
        """Add songs to the catalog (a test's own playlist)."""
        with self.lock:
            self.songs.update({s.id: s for s in songs})

    # ------------------------------------------------------------ routes

    def route(self, request: Recorded) -> Answer:
        problem = self._developer_token_problem(request.headers.get("authorization", ""))
        if problem:
            return 401, {}, self.error(401, f"Unauthorized: {problem}")
        path = request.path
        if path.startswith("/v1/me/") and request.headers.get("music-user-token") != USER_TOKEN:
            return 403, {}, self.error(403, "Forbidden: invalid Music User Token")
        if request.method == "GET" and path == "/v1/me/storefront":
            return 200, {}, {"data": [self._storefront_object()]}
        if request.method == "GET" and path == f"/v1/catalog/{self.storefront}/search":
            return self._search(request)
        if path == "/v1/me/library/playlists":
            if request.method == "POST":
                return self._create(request.body)
            return self._list(request)
        parts = path.split("/")
        if (
            len(parts) == 7
            and parts[:5] == ["", "v1", "me", "library", "playlists"]
            and parts[6] == "tracks"
        ):
            playlist = self.playlists.get(parts[5])
            if playlist is None:
                return 404, {}, self.error(404, "Resource Not Found")
            if request.method == "POST":
                return self._add(playlist, request.body)
            return self._tracks(playlist, request)
        return 404, {}, self.error(404, "Resource Not Found")

    def _storefront_object(self) -> dict[str, Any]:
        return {
            "id": self.storefront,
            "type": "storefronts",
            "href": f"/v1/storefronts/{self.storefront}",
            "attributes": {
                "name": "United States",
                "defaultLanguageTag": "en-US",
                "supportedLanguageTags": ["en-US", "es-MX"],
                "explicitContentPolicy": "allowed",
            },
        }

    def _song_object(self, song: PlatformSong) -> dict[str, Any]:
        return {
            "id": song.id,
            "type": "songs",
            "href": f"/v1/catalog/{self.storefront}/songs/{song.id}",
            "attributes": {
                "name": song.title,
                "artistName": song.artist,
                "albumName": song.album,
                "durationInMillis": song.duration_ms,
                "genreNames": ["Pop", "Music"],
                "isrc": "USFAKE0000001",
                "url": f"https://music.apple.com/{self.storefront}/song/{song.id}",
                "playParams": {"id": song.id, "kind": "song"},
                "releaseDate": "2000-01-01",
                "trackNumber": 1,
                "discNumber": 1,
                "hasLyrics": True,
                "artwork": {
                    "width": 3000,
                    "height": 3000,
                    "url": "https://example.invalid/{w}x{h}.jpg",
                },
            },
        }

    def _search(self, request: Recorded) -> Answer:
        term = request.one("term") or ""
        if not term or request.one("types") != "songs":
            return (
                400,
                {},
                self.error(400, "Invalid Parameter Value: term and types=songs required"),
            )
        limit = int(request.one("limit") or 5)
        if not 1 <= limit <= 25:
            return 400, {}, self.error(400, "Invalid Parameter Value: limit")
        hits = search_catalog(term, limit, self.songs.values())
        results: dict[str, Any] = {}
        if hits:
            results["songs"] = {
                "href": f"/v1/catalog/{self.storefront}/search?term={term}&types=songs",
                "data": [self._song_object(s) for s in hits],
            }
        return (
            200,
            {},
            {"results": results, "meta": {"results": {"order": ["songs"], "rawOrder": ["songs"]}}},
        )

    def _playlist_object(self, playlist: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": playlist["id"],
            "type": "library-playlists",
            "href": f"/v1/me/library/playlists/{playlist['id']}",
            "attributes": {
                "name": playlist["name"],
                "description": {"standard": playlist["description"]},
                "canEdit": True,
                "isPublic": False,
                "hasCatalog": False,
                "playParams": {"id": playlist["id"], "kind": "playlist", "isLibrary": True},
                "dateAdded": "2026-12-04T22:00:00Z",
            },
        }

    def _song_ids(self, body: Any) -> list[str] | None:
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list) or not all(
            isinstance(d, dict) and d.get("type") == "songs" and d.get("id") in self.songs
            for d in data
        ):
            return None
        return [d["id"] for d in data]

    def _create(self, body: Any) -> Answer:
        attributes = body.get("attributes") if isinstance(body, dict) else None
        if not isinstance(attributes, dict) or not isinstance(attributes.get("name"), str):
            return 400, {}, self.error(400, "Invalid Request Body: attributes.name required")
        tracks = ((body.get("relationships") or {}).get("tracks")) or {"data": []}
        ids = self._song_ids(tracks)
        if ids is None:
            return 400, {}, self.error(400, "Invalid Request Body: relationships.tracks")
        with self.lock:
            playlist_id = f"p.FAKE{next(self._ids):04d}"
            playlist = {
                "id": playlist_id,
                "name": attributes["name"],
                "description": str(attributes.get("description") or ""),
                "tracks": ids,
            }
            self.playlists[playlist_id] = playlist
        return 201, {}, {"data": [self._playlist_object(playlist)]}

    def _list(self, request: Recorded) -> Answer:
        limit = int(request.one("limit") or 25)
        offset = int(request.one("offset") or 0)
        if not 1 <= limit <= 100:
            return 400, {}, self.error(400, "Invalid Parameter Value: limit")
        items = list(self.playlists.values())
        page = items[offset : offset + limit]
        answer: dict[str, Any] = {
            "data": [self._playlist_object(p) for p in page],
            "meta": {"total": len(items)},
        }
        if offset + limit < len(items):
            answer["next"] = f"/v1/me/library/playlists?offset={offset + limit}"
        return 200, {}, answer

    def _tracks(self, playlist: dict[str, Any], request: Recorded) -> Answer:
        if not playlist["tracks"]:
            return 404, {}, self.error(404, "Resource Not Found")
        limit = int(request.one("limit") or 100)
        offset = int(request.one("offset") or 0)
        ids = playlist["tracks"][offset : offset + limit]
        data = [
            {
                "id": f"i.{song_id}",
                "type": "library-songs",
                "attributes": {
                    "name": self.songs[song_id].title,
                    "artistName": self.songs[song_id].artist,
                    "playParams": {
                        "id": f"i.{song_id}",
                        "kind": "song",
                        "isLibrary": True,
                        "catalogId": song_id,
                    },
                },
            }
            for song_id in ids
        ]
        answer: dict[str, Any] = {"data": data, "meta": {"total": len(playlist["tracks"])}}
        if offset + limit < len(playlist["tracks"]):
            answer["next"] = (
                f"/v1/me/library/playlists/{playlist['id']}/tracks?offset={offset + limit}"
            )
        return 200, {}, answer

    def _add(self, playlist: dict[str, Any], body: Any) -> Answer:
        ids = self._song_ids(body)
        if not ids:
            return 400, {}, self.error(400, "Invalid Request Body: data")
        with self.lock:
            playlist["tracks"].extend(ids)
        return 204, {}, None
