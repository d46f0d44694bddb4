"""A local Subsonic / OpenSubsonic server for tests (127.0.0.1), as the API documents it.

``/rest/{search3,createPlaylist,updatePlaylist,getPlaylists,getPlaylist}`` (with or without the
``.view`` suffix), JSON when ``f=json``: every answer is ``{"subsonic-response": {"status",
"version", ...}}`` with HTTP 200, failures carry ``{"error": {"code", "message"}}``.
Authentication: ``u`` + ``t = md5(password + s)``; with :attr:`token_auth` False (an
LDAP-backed server) tokens fail with error 41 and only ``p`` (plain or ``enc:`` hex) works.
:attr:`passwords_seen` records every password that travelled. Songs carry OpenSubsonic's
``artists`` list when :attr:`open_subsonic` is on.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

from .delivery_playlist import PlatformSong, platform_catalog, search_catalog
from .fake_platform import Answer, FakePlatform, Recorded

USER = "listener"
PASSWORD = "s3cret-passw0rd"
VERSION = "1.16.1"


class FakeSubsonic(FakePlatform):
    def __init__(self, *, token_auth: bool = True, open_subsonic: bool = True) -> None:
        super().__init__()
        self.token_auth = token_auth
        self.open_subsonic = open_subsonic
        self.songs = {s.id: s for s in platform_catalog()}
        self.playlists: dict[str, dict[str, Any]] = {}
        self.passwords_seen: list[str] = []
        self._ids = itertools.count(1)

    def error(self, status: int, message: str) -> Any:
        return self._failed(0, message)

    def _ok(self, **content: Any) -> Answer:
        answer: dict[str, Any] = {"status": "ok", "version": VERSION}
        if self.open_subsonic:
            answer.update(type="fake", serverVersion="0.1", openSubsonic=True)
        return 200, {}, {"subsonic-response": {**answer, **content}}

    def _failed(self, code: int, message: str) -> Any:
        return {
            "subsonic-response": {
                "status": "failed",
                "version": VERSION,
                "error": {"code": code, "message": message},
            }
        }

    def _auth_problem(self, request: Recorded) -> tuple[int, str] | None:
        user, token, salt, password = (request.one(k) for k in ("u", "t", "s", "p"))
        if not user or not request.one("v") or not request.one("c"):
            return 10, "Required parameter is missing."
        if password is not None:
            plain = (
                bytes.fromhex(password[4:]).decode() if password.startswith("enc:") else password
            )
            self.passwords_seen.append(plain)
            return (
                None if (user, plain) == (USER, PASSWORD) else (40, "Wrong username or password.")
            )
        if token is None or salt is None:
            return 10, "Required parameter is missing."
        if not self.token_auth:
            return 41, "Token authentication not supported for LDAP users."
        expected = hashlib.md5((PASSWORD + salt).encode()).hexdigest()
        return None if (user, token) == (USER, expected) else (40, "Wrong username or password.")

    def route(self, request: Recorded) -> Answer:
        if not request.path.startswith("/rest/"):
            return 404, {}, None
        if request.one("f") != "json":
            return 400, {}, None  # this fake speaks JSON only
        problem = self._auth_problem(request)
        if problem:
            return 200, {}, self._failed(*problem)
        method = request.path[len("/rest/") :].removesuffix(".view")
        handler = {
            "search3": self._search3,
            "createPlaylist": self._create,
            "updatePlaylist": self._update,
            "getPlaylists": self._list,
            "getPlaylist": self._get,
        }.get(method)
        if handler is None:
            return 200, {}, self._failed(0, f"Unknown method {method}")
        return handler(request)

    def hold(self, songs: list[PlatformSong]) -> None:
        """Add songs to the server's library (a test's own playlist)."""
        with self.lock:
            self.songs.update({s.id: s for s in songs})

    def _song(self, song: PlatformSong) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": song.id,
            "parent": f"al-{song.id}",
            "isDir": False,
            "title": song.title,
            "album": song.album,
            "artist": song.artist,
            "duration": song.duration_ms // 1000,
            "type": "music",
            "suffix": "flac",
            "contentType": "audio/flac",
        }
        if self.open_subsonic:
            entry["artists"] = [{"id": f"ar-{n}", "name": n} for n in song.artist.split(" & ")]
            entry["mediaType"] = "song"
        return entry

    def _search3(self, request: Recorded) -> Answer:
        query = request.one("query")
        if query is None:
            return 200, {}, self._failed(10, "Required parameter is missing: query")
        hits = search_catalog(query, int(request.one("songCount") or 20), self.songs.values())
        return self._ok(searchResult3={"song": [self._song(s) for s in hits]} if hits else {})

    def _playlist(self, playlist: dict[str, Any], entries: bool = False) -> dict[str, Any]:
        out = {
            "id": playlist["id"],
            "name": playlist["name"],
            "comment": playlist["comment"],
            "owner": USER,
            "public": False,
            "songCount": len(playlist["songs"]),
            "duration": sum(self.songs[s].duration_ms // 1000 for s in playlist["songs"]),
            "created": "2026-12-04T22:00:00.000Z",
            "changed": "2026-12-04T22:00:00.000Z",
        }
        if entries:
            out["entry"] = [self._song(self.songs[s]) for s in playlist["songs"]]
        return out

    def _create(self, request: Recorded) -> Answer:
        name = request.one("name")
        songs = request.query.get("songId", [])
        if not name:
            return 200, {}, self._failed(10, "Required parameter is missing: name")
        if any(s not in self.songs for s in songs):
            return 200, {}, self._failed(70, "Song not found")
        with self.lock:
            playlist = {
                "id": str(next(self._ids)),
                "name": name,
                "comment": "",
                "songs": list(songs),
            }
            self.playlists[playlist["id"]] = playlist
        return self._ok(playlist=self._playlist(playlist, entries=True))

    def _update(self, request: Recorded) -> Answer:
        playlist = self.playlists.get(request.one("playlistId") or "")
        if playlist is None:
            return 200, {}, self._failed(70, "Playlist not found")
        added = request.query.get("songIdToAdd", [])
        if any(s not in self.songs for s in added):
            return 200, {}, self._failed(70, "Song not found")
        with self.lock:
            if request.one("comment") is not None:
                playlist["comment"] = request.one("comment")
            if request.one("name") is not None:
                playlist["name"] = request.one("name")
            playlist["songs"].extend(added)
        return self._ok()

    def _list(self, request: Recorded) -> Answer:
        return self._ok(
            playlists={"playlist": [self._playlist(p) for p in self.playlists.values()]}
        )

    def _get(self, request: Recorded) -> Answer:
        playlist = self.playlists.get(request.one("id") or "")
        if playlist is None:
            return 200, {}, self._failed(70, "Playlist not found")
        return self._ok(playlist=self._playlist(playlist, entries=True))
