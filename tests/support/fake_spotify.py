"""A local Spotify Web API for tests: a real HTTP server on 127.0.0.1 with programmable faults.

It speaks the paths and JSON shapes of the Spotify OpenAPI document in ../shared/reference
(the API as it is since March 2026, as seen by a development-mode app): ``GET /v1/me``,
``POST /v1/me/playlists``, ``POST /v1/playlists/{id}/items`` (at most 100 URIs),
``GET /v1/search`` (``limit`` at most 10, tracks without ``popularity``),
``GET /v1/audio-features`` (403 unless :attr:`FakeSpotify.audio_features_allowed`),
``PUT /v1/playlists/{id}/items`` (replace, at most 100 URIs), ``POST /v1/me/player/queue``
(404 ``NO_ACTIVE_DEVICE`` unless :attr:`FakeSpotify.active_device`) and the accounts service's
``POST /api/token`` refresh grant (:meth:`FakeSpotify.issue_refresh_token`,
:meth:`FakeSpotify.revoke_refresh_token`), and what the user listens to: ``GET /v1/me/top/{type}``,
``/v1/me/player/recently-played`` and ``/v1/me/tracks`` (:attr:`FakeSpotify.listening`, see
``fake_listening.py``).

Every JSON body it sends is validated against the document's response schema; problems are
collected in :attr:`FakeSpotify.schema_errors` so tests can prove the fake stays honest.
Tracks come from the real catalog in ../shared/data when it is there.

Usage::

    with FakeSpotify() as fake:
        client = SpotifyClient(fake.token, base_url=fake.url)
        fake.rate_limit(times=2, retry_after=1)
        ...
        assert [r.path for r in fake.requests] == [...]
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support import openapi_schemas
from tests.support.fake_listening import Listening

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("AIDJ_SHARED_DIR", REPO.parent / "shared"))
OPENAPI_PATH = SHARED / "reference" / "spotify-web-api.openapi.yml"
CATALOG_PATH = SHARED / "data" / "spotify_tracks_114k.csv"

NOT_REGISTERED_MESSAGE = (
    "Check settings on developer.spotify.com/dashboard, the user may not be registered."
)
_ID_RE = re.compile(r"^[0-9A-Za-z]{22}$")


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query string, e.g. /v1/playlists/abc/items
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass
class Fault:
    """Answer matching requests with ``status`` (and/or after ``delay`` seconds) ``times`` times.

    ``after`` matching requests pass untouched first; ``times=None`` means for ever.
    """

    status: int | None = None
    method: str | None = None
    path: str | None = None  # regular expression searched in the path
    times: int | None = 1
    after: int = 0
    delay: float = 0.0
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    seen: int = 0
    fired: int = 0

    def take(self, method: str, path: str) -> bool:
        if self.method and self.method != method:
            return False
        if self.path and not re.search(self.path, path):
            return False
        self.seen += 1
        if self.seen <= self.after:
            return False
        if self.times is not None and self.fired >= self.times:
            return False
        self.fired += 1
        return True


@lru_cache(maxsize=2)
def catalog_sample(path: str = str(CATALOG_PATH), every: int = 25) -> tuple[dict[str, Any], ...]:
    """Every ``every``-th row of the real catalog (40 per genre), deduplicated by track id."""
    if not Path(path).exists():
        return _SYNTHETIC
    rows: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in itertools.islice(csv.DictReader(handle), 0, None, every):
            if row["track_id"] not in rows and _ID_RE.match(row["track_id"]):
                rows[row["track_id"]] = row
    return tuple(rows.values())


_SYNTHETIC = tuple(
    {
        "track_id": f"{i:022d}",
        "artists": f"Artist {i % 7}",
        "album_name": f"Album {i % 5}",
        "track_name": f"Song {i}",
        "popularity": str(i % 100),
        "duration_ms": str(180000 + i * 1000),
        "explicit": "False",
        "danceability": "0.5",
        "energy": str(round((i % 10) / 10, 1)),
        "key": "1",
        "loudness": "-6.0",
        "mode": "1",
        "speechiness": "0.05",
        "acousticness": "0.1",
        "instrumentalness": "0.0",
        "liveness": "0.1",
        "valence": "0.5",
        "tempo": "120.0",
        "time_signature": "4",
        "track_genre": ("pop", "rock", "jazz")[i % 3],
    }
    for i in range(60)
)


class FakeSpotify:
    """The server plus its state, its request log and its fault knobs (thread-safe)."""

    def __init__(
        self,
        *,
        token: str = "fake-user-token-0123456789",
        user_id: str = "fakeuser",
        account_id: str | None = "aB3dE5fG7h",
        display_name: str = "Fake User",
        tracks: tuple[dict[str, Any], ...] | None = None,
        openapi_path: Path = OPENAPI_PATH,
    ) -> None:
        self.token = token
        self.user_id = user_id
        self.account_id = account_id
        self.display_name = display_name
        self.tracks = tracks if tracks is not None else catalog_sample()
        self._by_id = {row["track_id"]: row for row in self.tracks}
        # top artists and tracks, plays, saved tracks (GET /me/top/..., /me/player/..., /me/tracks)
        self.listening = Listening.from_tracks(self.tracks)
        self.playlists: dict[str, dict[str, Any]] = {}
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.schema_errors: list[str] = []
        self.request_errors: list[
            str
        ] = []  # request bodies the document would refuse (answered 400)
        self.validated = 0
        self.audio_features_allowed = False
        self.token_expires_after: int | None = None
        self.user_registered = True
        self.active_device = False
        self.queued: list[str] = []
        self.refresh_tokens: dict[str, bool] = {}  # refresh token -> still valid
        self._authorized_calls = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._openapi = (
            openapi_schemas.load_openapi(openapi_path) if Path(openapi_path).exists() else None
        )
        self._validators: dict[tuple[str, str, int], dict[str, Any] | None] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def accounts_url(self) -> str:
        """Where the accounts service (``/api/token``) lives; Spotify's is accounts.spotify.com."""
        return f"http://127.0.0.1:{self.port}"

    def issue_refresh_token(self) -> str:
        """A refresh token as the PKCE sign-in hands out; refreshing it yields :attr:`token`."""
        with self._lock:
            token = f"fake-refresh-{len(self.refresh_tokens) + 1:04d}-0123456789"
            self.refresh_tokens[token] = True
        return token

    def revoke_refresh_token(self, token: str) -> None:
        """The user removed the app's access: the token now answers 400 invalid_grant."""
        with self._lock:
            self.refresh_tokens[token] = False

    def start(self) -> FakeSpotify:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-spotify",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSpotify:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ fault knobs

    def add_fault(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def rate_limit(
        self, *, times: int | None = 1, retry_after: float = 1, path: str | None = None
    ) -> Fault:
        """429 with ``Retry-After`` for the next ``times`` matching requests."""
        return self.add_fault(
            Fault(
                status=429,
                path=path,
                times=times,
                message="API rate limit exceeded",
                headers={"Retry-After": f"{retry_after:g}"},
            )
        )

    def server_error(
        self,
        *,
        times: int | None = 1,
        status: int = 503,
        path: str | None = None,
        method: str | None = None,
        after: int = 0,
    ) -> Fault:
        """A burst of ``times`` 5xx answers."""
        return self.add_fault(
            Fault(
                status=status,
                path=path,
                method=method,
                times=times,
                after=after,
                message="Service unavailable",
            )
        )

    def slow(
        self,
        delay: float,
        *,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Hold the next ``times`` matching answers for ``delay`` seconds (client timeouts)."""
        return self.add_fault(Fault(delay=delay, path=path, method=method, times=times))

    def expire_token_after(self, calls: int) -> None:
        """Accept the token for ``calls`` requests, then answer 401 as for an expired token."""
        self.token_expires_after = calls

    def unregister_user(self) -> None:
        """Answer 403 as a development-mode app does for a user missing from its dashboard."""
        self.user_registered = False

    def fail_adding_items(
        self, *, after_batches: int = 0, status: int = 502, times: int | None = None
    ) -> Fault:
        """Let the playlist be created, then fail adding items after ``after_batches`` good batches."""
        return self.server_error(
            times=times,
            status=status,
            path=r"^/v1/playlists/[^/]+/items$",
            method="POST",
            after=after_batches,
        )

    # ------------------------------------------------------------ queries for tests

    def requests_to(self, method: str, path_pattern: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and re.search(path_pattern, r.path)]

    def track_uri(self, index: int) -> str:
        return f"spotify:track:{self.tracks[index]['track_id']}"

    # ------------------------------------------------------------ request handling

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], raw_body: bytes
    ) -> tuple[int, dict[str, str], Any]:
        parts = urlsplit(raw_path)
        path = parts.path
        query = {
            key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()
        }
        body: Any = None
        if raw_body:
            try:
                body = json.loads(raw_body)
            except ValueError:
                body = raw_body.decode("utf-8", "replace")
        with self._lock:
            self.requests.append(RecordedRequest(method, path, query, body, dict(headers)))
            fault = next((f for f in self.faults if f.take(method, path)), None)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status is not None:
                return (
                    fault.status,
                    dict(fault.headers),
                    _error(fault.status, fault.message or "Fault"),
                )

        if method == "POST" and path == "/api/token":
            return self._token_grant(raw_body)
        auth = headers.get("authorization", "")
        if auth != f"Bearer {self.token}":
            return 401, {}, _error(401, "Invalid access token")
        with self._lock:
            self._authorized_calls += 1
            expired = (
                self.token_expires_after is not None
                and self._authorized_calls > self.token_expires_after
            )
        if expired:
            return 401, {}, _error(401, "The access token expired")
        if not self.user_registered:
            return 403, {}, _error(403, NOT_REGISTERED_MESSAGE)

        if not path.startswith("/v1/"):
            return 404, {}, _error(404, "Service not found")
        route = path[3:]
        problems = self.check_request(method, route, body)
        if problems:
            return 400, {}, _error(400, f"Invalid request body: {problems[0]}")
        if method == "GET" and route == "/me":
            return 200, {}, self._me()
        if method == "POST" and route == "/me/playlists":
            return self._create_playlist(body)
        match = re.fullmatch(r"/playlists/([^/]+)/items", route)
        if method == "POST" and match:
            return self._add_items(match.group(1), body, query)
        if method == "PUT" and match:
            return self._replace_items(match.group(1), body, query)
        if method == "POST" and route == "/me/player/queue":
            return self._queue(query)
        if method == "GET" and route == "/search":
            return self._search(query)
        if method == "GET" and route == "/audio-features":
            return self._audio_features(query)
        top = re.fullmatch(r"/me/top/(artists|tracks)", route)
        if method == "GET" and top:
            return self.listening.top(top.group(1), query, self._track_by_id, self._artist_object)
        if method == "GET" and route == "/me/player/recently-played":
            return self.listening.recently_played(query, self._track_by_id)
        if method == "GET" and route == "/me/tracks":
            return self.listening.saved_tracks(query, self._track_by_id)
        if re.fullmatch(r"/users/[^/]+/playlists", route) and method == "POST":
            # Removed for development-mode apps in the 2026 changes.
            return 403, {}, _error(403, "Forbidden")
        return 404, {}, _error(404, "Service not found")

    def _me(self) -> dict[str, Any]:
        me: dict[str, Any] = {
            "display_name": self.display_name,
            "external_urls": {"spotify": f"https://open.spotify.com/user/{self.user_id}"},
            "href": f"https://api.spotify.com/v1/users/{self.user_id}",
            "id": self.user_id,
            "images": [],
            "type": "user",
            "uri": f"spotify:user:{self.user_id}",
        }
        if self.account_id:
            me["account_id"] = self.account_id
        return me

    def _create_playlist(self, body: Any) -> tuple[int, dict[str, str], Any]:
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"]:
            return 400, {}, _error(400, "Missing required field: name")
        with self._lock:
            playlist_id = f"{next(self._ids):022d}".replace("0", "P", 1)
            playlist = {
                "id": playlist_id,
                "name": body["name"],
                "description": body.get("description")
                if isinstance(body.get("description"), str)
                else None,
                "public": bool(body.get("public", True)),
                "collaborative": bool(body.get("collaborative", False)),
                "items": [],
                "snapshots": 1,
            }
            self.playlists[playlist_id] = playlist
        return 201, {}, self._playlist_object(playlist)

    def _playlist_object(self, playlist: dict[str, Any]) -> dict[str, Any]:
        playlist_id = playlist["id"]
        href = f"https://api.spotify.com/v1/playlists/{playlist_id}"
        return {
            "collaborative": playlist["collaborative"],
            "description": playlist["description"],
            "external_urls": {"spotify": f"https://open.spotify.com/playlist/{playlist_id}"},
            "href": href,
            "id": playlist_id,
            "images": [],
            "name": playlist["name"],
            "owner": {
                "external_urls": {"spotify": f"https://open.spotify.com/user/{self.user_id}"},
                "href": f"https://api.spotify.com/v1/users/{self.user_id}",
                "id": self.user_id,
                "type": "user",
                "uri": f"spotify:user:{self.user_id}",
                "display_name": self.display_name,
            },
            "public": playlist["public"],
            "snapshot_id": f"snap{playlist['snapshots']}",
            "items": {
                "href": f"{href}/items",
                "limit": 100,
                "next": None,
                "offset": 0,
                "previous": None,
                "total": len(playlist["items"]),
                "items": [],
            },
            "type": "playlist",
            "uri": f"spotify:playlist:{playlist_id}",
        }

    def _add_items(
        self, playlist_id: str, body: Any, query: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        playlist = self.playlists.get(playlist_id)
        if playlist is None:
            return 404, {}, _error(404, "Resource not found")
        uris, problem = _uris(body, query, allow_empty=False)
        if problem:
            return 400, {}, _error(400, problem)
        with self._lock:
            playlist["items"].extend(uris)
            playlist["snapshots"] += 1
            snapshot = f"snap{playlist['snapshots']}"
        return 201, {}, {"snapshot_id": snapshot}

    def _replace_items(
        self, playlist_id: str, body: Any, query: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        playlist = self.playlists.get(playlist_id)
        if playlist is None:
            return 404, {}, _error(404, "Resource not found")
        uris, problem = _uris(body, query, allow_empty=True)  # an empty list empties the playlist
        if problem:
            return 400, {}, _error(400, problem)
        with self._lock:
            playlist["items"] = list(uris)
            playlist["snapshots"] += 1
            snapshot = f"snap{playlist['snapshots']}"
        return 200, {}, {"snapshot_id": snapshot}

    def _queue(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        uri = query.get("uri", "")
        if not re.fullmatch(r"spotify:(track|episode):[0-9A-Za-z]{22}", uri):
            return 400, {}, _error(400, "Invalid uri")
        if not self.active_device:
            error = _error(404, "Player command failed: No active device found")
            error["error"]["reason"] = "NO_ACTIVE_DEVICE"
            return 404, {}, error
        with self._lock:
            self.queued.append(uri)
        return 204, {}, None

    def _token_grant(self, raw_body: bytes) -> tuple[int, dict[str, str], Any]:
        form = {k: v[-1] for k, v in parse_qs(raw_body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "refresh_token" or not form.get("client_id"):
            return (
                400,
                {},
                {
                    "error": "invalid_request",
                    "error_description": "grant_type and client_id required",
                },
            )
        with self._lock:
            valid = self.refresh_tokens.get(form.get("refresh_token", ""))
        if not valid:
            return 400, {}, {"error": "invalid_grant", "error_description": "Refresh token revoked"}
        return (
            200,
            {},
            {
                "access_token": self.token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": "playlist-modify-private playlist-modify-public user-modify-playback-state",
            },
        )

    def _search(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        q = query.get("q", "").strip()
        if not q:
            return 400, {}, _error(400, "No search query")
        if "track" not in query.get("type", "").split(","):
            return 400, {}, _error(400, "Missing parameter type")
        try:
            limit = int(query.get("limit", "5"))
            offset = int(query.get("offset", "0"))
        except ValueError:
            return 400, {}, _error(400, "Invalid limit")
        if not 1 <= limit <= 10:
            return 400, {}, _error(400, "Invalid limit")
        if not 0 <= offset <= 1000:
            return 400, {}, _error(400, "Invalid offset")
        genres = [g.strip('"').lower() for g in re.findall(r'genre:("[^"]+"|\S+)', q)]
        words = [
            w.lower() for w in re.sub(r'genre:("[^"]+"|\S+)', " ", q).split() if w.upper() != "OR"
        ]
        hits = [
            row
            for row in self.tracks
            if all(g == row["track_genre"] for g in genres)
            and all(
                w in f"{row['track_name']} {row['artists']} {row['album_name']}".lower()
                for w in words
            )
        ]
        page = hits[offset : offset + limit]
        base = f"https://api.spotify.com/v1/search?query={q}&type=track"
        paging = {
            "href": f"{base}&offset={offset}&limit={limit}",
            "limit": limit,
            "next": f"{base}&offset={offset + limit}&limit={limit}"
            if offset + limit < len(hits)
            else None,
            "offset": offset,
            "previous": f"{base}&offset={max(0, offset - limit)}&limit={limit}" if offset else None,
            "total": len(hits),
            "items": [self._track_object(row) for row in page],
        }
        return 200, {}, {"tracks": paging}

    def _track_by_id(self, track_id: str) -> dict[str, Any]:
        return self._track_object(self._by_id[track_id])

    @staticmethod
    def _artist_object(name: str, *, full: bool = True) -> dict[str, Any]:
        """An artist object; ``full`` (top artists) adds images. Never ``genres``, ``popularity``
        or ``followers``: development-mode apps no longer get them."""
        artist: dict[str, Any] = {
            "external_urls": {"spotify": f"https://open.spotify.com/artist/{_fake_id(name)}"},
            "href": f"https://api.spotify.com/v1/artists/{_fake_id(name)}",
            "id": _fake_id(name),
            "name": name,
            "type": "artist",
            "uri": f"spotify:artist:{_fake_id(name)}",
        }
        if full:
            artist["images"] = []
        return artist

    def _track_object(self, row: dict[str, Any]) -> dict[str, Any]:
        track_id = row["track_id"]
        artists = [name for name in row["artists"].split(";") if name] or ["Unknown"]
        artist_objects = [self._artist_object(name, full=False) for name in artists]
        album_id = _fake_id(row["album_name"] + row["artists"])
        # No "popularity" and no artist "genres": development-mode apps do not get them.
        return {
            "album": {
                "album_type": "album",
                "total_tracks": 10,
                "available_markets": [],  # required by the schema, emptied for development-mode apps
                "external_urls": {"spotify": f"https://open.spotify.com/album/{album_id}"},
                "href": f"https://api.spotify.com/v1/albums/{album_id}",
                "id": album_id,
                "images": [],
                "name": row["album_name"],
                "release_date": "2020-01-01",
                "release_date_precision": "day",
                "type": "album",
                "uri": f"spotify:album:{album_id}",
                "artists": artist_objects,
            },
            "artists": artist_objects,
            "disc_number": 1,
            "duration_ms": int(row["duration_ms"]),
            "explicit": row["explicit"] == "True",
            "external_urls": {"spotify": f"https://open.spotify.com/track/{track_id}"},
            "href": f"https://api.spotify.com/v1/tracks/{track_id}",
            "id": track_id,
            "is_playable": True,
            "name": row["track_name"],
            "track_number": 1,
            "type": "track",
            "uri": f"spotify:track:{track_id}",
            "is_local": False,
        }

    def _audio_features(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if not self.audio_features_allowed:
            return 403, {}, _error(403, "Forbidden")
        ids = [i for i in query.get("ids", "").split(",") if i]
        if not ids or len(ids) > 100:
            return 400, {}, _error(400, "Invalid ids")
        features = []
        for track_id in ids:
            row = self._by_id.get(track_id)
            if row is None:
                continue  # Spotify sends null for unknown ids; the schema forbids null items, so omit them
            features.append(
                {
                    "acousticness": float(row["acousticness"]),
                    "analysis_url": f"https://api.spotify.com/v1/audio-analysis/{track_id}",
                    "danceability": float(row["danceability"]),
                    "duration_ms": int(row["duration_ms"]),
                    "energy": float(row["energy"]),
                    "id": track_id,
                    "instrumentalness": float(row["instrumentalness"]),
                    "key": int(row["key"]),
                    "liveness": float(row["liveness"]),
                    "loudness": float(row["loudness"]),
                    "mode": int(row["mode"]),
                    "speechiness": float(row["speechiness"]),
                    "tempo": float(row["tempo"]),
                    "time_signature": min(7, max(3, int(row["time_signature"]))),
                    "track_href": f"https://api.spotify.com/v1/tracks/{track_id}",
                    "type": "audio_features",
                    "uri": f"spotify:track:{track_id}",
                    "valence": float(row["valence"]),
                }
            )
        return 200, {}, {"audio_features": features}

    # ------------------------------------------------------------ honesty

    def check_request(self, method: str, route: str, body: Any) -> list[str]:
        """Problems with a JSON request body, judged by the operation's requestBody schema."""
        if self._openapi is None or method not in ("POST", "PUT", "DELETE"):
            return []
        template = openapi_schemas.path_template(self._openapi, route)
        schema = (
            openapi_schemas.request_schema(self._openapi, template, method) if template else None
        )
        if schema is None:
            return []
        problems = openapi_schemas.validation_errors(schema, body)
        with self._lock:
            self.request_errors.extend(f"{method} {route}: {p}" for p in problems)
        return problems

    def check_schema(self, method: str, path: str, status: int, body: Any) -> None:
        """Validate one answer against the OpenAPI document; record what does not match."""
        if self._openapi is None or not path.startswith("/v1/"):
            return
        template = openapi_schemas.path_template(self._openapi, path[3:])
        key = (template or "", method, status)
        with self._lock:
            if key not in self._validators:
                schema = None
                if template is not None:
                    schema = openapi_schemas.response_schema(
                        self._openapi, template, method, status
                    )
                if schema is None and status >= 400:
                    schema = openapi_schemas.error_schema(self._openapi)
                self._validators[key] = schema
            schema = self._validators[key]
        if schema is None:
            with self._lock:
                self.schema_errors.append(f"{method} {path} -> {status}: no schema in the document")
            return
        errors = openapi_schemas.validation_errors(schema, body)
        with self._lock:
            self.validated += 1
            self.schema_errors.extend(f"{method} {path} -> {status}: {e}" for e in errors)


def _uris(body: Any, query: dict[str, str], *, allow_empty: bool) -> tuple[list[str], str | None]:
    """The URIs of an items request (query string first, as Spotify reads them) or what is wrong with them."""
    uris = (
        query["uris"].split(",")
        if "uris" in query
        else (body or {}).get("uris")
        if isinstance(body, dict)
        else None
    )
    if not isinstance(uris, list) or (not uris and not allow_empty):
        return [], "No uris provided"
    if len(uris) > 100:
        return [], "You can add a maximum of 100 tracks per request."
    if not all(
        isinstance(u, str) and re.fullmatch(r"spotify:(track|episode):[0-9A-Za-z]{22}", u)
        for u in uris
    ):
        return [], "Invalid track uri"
    return uris, None


def _error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message}}


def _fake_id(text: str) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    number = int.from_bytes(hashlib.sha256(text.encode()).digest(), "big") % (62**22)
    out = []
    for _ in range(22):
        number, digit = divmod(number, 62)
        out.append(alphabet[digit])
    return "".join(out)


def _handler_for(fake: FakeSpotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle plus delayed ACKs add ~40 ms.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, body = fake.handle(self.command, self.path, headers, raw)
            if status != 204:  # "Command received": no body to check
                fake.check_schema(self.command, urlsplit(self.path).path, status, body)
            payload = json.dumps(body).encode() if status != 204 else b""
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def fake_spotify():
    """A running :class:`FakeSpotify`; fails the test if any request or answer strayed from the OpenAPI schemas."""
    with FakeSpotify() as fake:
        yield fake
        assert not fake.schema_errors, (
            "fake Spotify answers do not match the OpenAPI document:\n"
            + "\n".join(fake.schema_errors[:20])
        )
        assert not fake.request_errors, "requests the OpenAPI document refuses:\n" + "\n".join(
            fake.request_errors[:20]
        )
