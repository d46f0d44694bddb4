"""Self-hosted servers speaking the Subsonic / OpenSubsonic API (Navidrome, Gonic, Airsonic…).

Calls (``{server}/rest/<name>``, JSON with ``f=json``): ``search3``, ``createPlaylist`` (name
and every ``songId`` in one request), ``updatePlaylist`` (the marker in its comment, or the
songs still missing), ``getPlaylists`` and ``getPlaylist`` (finding and completing an
interrupted delivery).

Authentication is token + salt, as the API documents since 1.13: ``t = md5(password + salt)``
with a fresh random ``s`` on every request, so the password never travels. Only a server that
answers error 41 ("token authentication not supported", e.g. LDAP-backed) gets the password,
hex-encoded, and only over HTTPS or to this machine. Errors arrive as HTTP 200 with
``"status": "failed"`` and a numeric code, mapped onto the usual error tree.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from aidj.matching import Candidate, Wanted, search_query
from aidj_service.delivery.errors import (
    DeliveryError,
    PlatformAuthError,
    PlatformForbiddenError,
    PlatformNotConfiguredError,
    PlatformPartialWriteError,
    TargetPlaylist,
)
from aidj_service.delivery.platform import tagged
from aidj_service.delivery.transport import Transport

API_VERSION = "1.16.1"
CLIENT_NAME = "aidj"
SEARCH_RESULTS = 10
# Navidrome's web app; other servers differ, hence AIDJ_SUBSONIC_PLAYLIST_URL.
DEFAULT_PLAYLIST_URL = "{server}/app/#/playlist/{id}"
TOKEN_NOT_SUPPORTED = 41
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _salt() -> str:
    return secrets.token_hex(8)


class Subsonic:
    name = "subsonic"
    label = "Subsonic"

    def __init__(
        self,
        server_url: str,
        username: str,
        password: str,
        *,
        playlist_url: str = DEFAULT_PLAYLIST_URL,
        salt: Callable[[], str] = _salt,
        **transport: Any,
    ) -> None:
        missing = [
            n
            for n, v in (("server URL", server_url), ("username", username), ("password", password))
            if not v
        ]
        if missing:
            raise PlatformNotConfiguredError(
                self.label,
                f"needs the {', '.join(missing)} (AIDJ_SUBSONIC_URL, AIDJ_SUBSONIC_USER, "
                "AIDJ_SUBSONIC_PASSWORD, or in the request)",
            )
        parts = urlsplit(server_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PlatformNotConfiguredError(
                self.label,
                f"the server URL must be http(s)://host[:port][/path], not {server_url!r}",
            )
        self.server_url = server_url.rstrip("/")
        self._secure = parts.scheme == "https" or parts.hostname in _LOOPBACK
        self._username = username
        self._password = password
        self._playlist_url = playlist_url
        self._salt = salt
        self._token_auth = True
        self._http = Transport(self.label, f"{self.server_url}/rest", **transport)

    def __repr__(self) -> str:
        return (
            f"Subsonic(server_url={self.server_url!r}, username={self._username!r}, password='***')"
        )

    def usage(self) -> Mapping[str, int]:
        return {}

    # ------------------------------------------------------------ the one call

    def _auth(self) -> dict[str, str]:
        common = {"u": self._username, "v": API_VERSION, "c": CLIENT_NAME, "f": "json"}
        if self._token_auth:
            salt = self._salt()
            token = hashlib.md5((self._password + salt).encode(), usedforsecurity=False).hexdigest()
            return {**common, "t": token, "s": salt}
        return {**common, "p": "enc:" + self._password.encode().hex()}

    def _call(
        self, method: str, params: Mapping[str, Any] | None = None, *, creates: bool = False
    ) -> dict[str, Any]:
        while True:
            body = self._http.request(
                "GET",
                f"/{method}",
                params={**(params or {}), **self._auth()},
                idempotent=not creates,
            )
            answer = body.get("subsonic-response") if isinstance(body, dict) else None
            if not isinstance(answer, dict):
                raise DeliveryError(
                    self.label, 502, f"the server's answer to {method} is not a Subsonic response"
                )
            if answer.get("status") == "ok":
                return answer
            error = answer.get("error") or {}
            code = error.get("code") if isinstance(error, dict) else None
            message = str(error.get("message") or "") if isinstance(error, dict) else ""
            if code == TOKEN_NOT_SUPPORTED and self._token_auth:
                if not self._secure:
                    raise PlatformNotConfiguredError(
                        self.label,
                        "the server does not take token authentication, and the password is only "
                        "sent over https: use an https:// server URL",
                    )
                self._token_auth = False  # the request was refused, not carried out: resend
                continue
            if code in (40, 41, 42, 43, 44):
                raise PlatformAuthError(self.label, message)
            if code == 50:
                raise PlatformForbiddenError(self.label, message)
            status = 404 if code == 70 else 400
            raise DeliveryError(
                self.label,
                status,
                f"the Subsonic server refused {method} (error {code}: {message})",
            )

    # ------------------------------------------------------------ platform

    def search(self, track: Wanted) -> Sequence[Candidate]:
        answer = self._call(
            "search3",
            {
                "query": search_query(track),
                "songCount": SEARCH_RESULTS,
                "artistCount": 0,
                "albumCount": 0,
            },
        )
        songs = (answer.get("searchResult3") or {}).get("song") or []
        found = []
        for song in songs:
            if not isinstance(song, dict) or not isinstance(song.get("id"), str):
                continue
            # OpenSubsonic lists every artist; plain Subsonic gives one display string.
            names = tuple(
                a["name"]
                for a in song.get("artists") or []
                if isinstance(a, dict) and isinstance(a.get("name"), str)
            )
            duration = song.get("duration")
            found.append(
                Candidate(
                    target_id=song["id"],
                    name=str(song.get("title") or ""),
                    artists=names or (str(song.get("artist") or ""),),
                    duration_ms=int(duration) * 1000
                    if isinstance(duration, int) and duration > 0
                    else None,
                    album=str(song.get("album") or ""),
                )
            )
        return found

    def _target(self, playlist_id: str) -> TargetPlaylist:
        return TargetPlaylist(
            playlist_id, self._playlist_url.format(server=self.server_url, id=playlist_id)
        )

    def find_playlist(self, marker: str) -> TargetPlaylist | None:
        playlists = (self._call("getPlaylists").get("playlists") or {}).get("playlist") or []
        for playlist in playlists:
            if not isinstance(playlist, dict):
                continue
            name, comment = str(playlist.get("name") or ""), str(playlist.get("comment") or "")
            if marker in comment:
                return self._target(str(playlist["id"]))
            suffix = f" [{marker}]"
            if name.endswith(suffix):  # created, but the answer was lost before it was named
                target = self._target(str(playlist["id"]))
                songs = int(playlist.get("songCount") or 0)
                self._name(target, name.removesuffix(suffix), tagged("", marker), songs)
                return target
        return None

    def create_playlist(
        self, name: str, description: str, target_ids: Sequence[str], *, marker: str
    ) -> TargetPlaylist:
        # createPlaylist takes no comment, so the marker rides in the name until updatePlaylist
        # moves it into the comment: a create whose answer is lost is still found by a retry.
        answer = self._call(
            "createPlaylist",
            {"name": f"{name or 'AI DJ Mix'} [{marker}]", "songId": list(target_ids)},
            creates=True,
        )
        playlist = answer.get("playlist")
        if not isinstance(playlist, dict) or not playlist.get("id"):
            raise DeliveryError(
                self.label,
                502,
                "the server did not return the new playlist (it needs Subsonic API 1.14 or later)",
            )
        target = self._target(str(playlist["id"]))
        self._name(target, name or "AI DJ Mix", tagged(description, marker), len(target_ids))
        return target

    def _name(self, target: TargetPlaylist, name: str, comment: str, songs: int) -> None:
        """Give a created playlist its name and marked comment (setting them twice is harmless)."""
        try:
            self._call(
                "updatePlaylist", {"playlistId": target.id, "name": name, "comment": comment}
            )
        except DeliveryError as exc:
            raise PlatformPartialWriteError(
                self.label, playlist=target, added=songs, total=songs, cause=exc
            ) from exc

    def complete_playlist(self, playlist: TargetPlaylist, target_ids: Sequence[str]) -> None:
        entries = (self._call("getPlaylist", {"id": playlist.id}).get("playlist") or {}).get(
            "entry"
        ) or []
        present = {str(e.get("id")) for e in entries if isinstance(e, dict)}
        missing = [song_id for song_id in target_ids if song_id not in present]
        if missing:
            self._call(
                "updatePlaylist", {"playlistId": playlist.id, "songIdToAdd": missing}, creates=True
            )
