"""A thin Spotify Web API client for the few calls AI DJ makes (the API as it is since March 2026).

Every call goes through one request path (:meth:`SpotifyClient._request`) that adds the bearer
token, bounds each attempt by a timeout and by the caller's deadline, retries what is safe to
retry, and maps every failure onto the small exception tree below, so callers handle a handful
of typed errors instead of HTTP details.

Development-mode apps (the default for new Spotify apps) see less than the catalog does: track
objects arrive without ``popularity``, artists without ``genres``, and ``/audio-features`` answers
403. AI DJ therefore ranks and filters on its local catalog, which supplies popularity, genres
and audio features; Spotify is only asked who the user is, to create the playlist and to add
the tracks.

The access token never reaches a log line, an exception message or ``repr``.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from aidj_service.clients.retry import backoff_delay, request_not_sent, retry_after_s

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.spotify.com/v1"
MAX_ITEMS_PER_ADD = 100  # Spotify rejects more than 100 URIs in one add request
TASTE_PAGE = 50  # the most items one page of top items, plays or saved tracks holds
OPEN_PLAYLIST_URL = "https://open.spotify.com/playlist/{id}"
DEFAULT_ACCOUNTS_URL = "https://accounts.spotify.com"

# A development-mode app answers 403 with this hint when the signed-in user is not on the
# app's user list in the dashboard.
_NOT_REGISTERED_HINTS = (
    "may not be registered",
    "not registered",
    "developer.spotify.com/dashboard",
)


# ---------------------------------------------------------------- errors


class SpotifyError(Exception):
    """Any Spotify failure. ``status`` is the HTTP status (0 when no response arrived)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message


class SpotifyAuthError(SpotifyError):
    """401: the token expired or was revoked; the user has to connect Spotify again."""

    def __init__(self, detail: str = "") -> None:
        message = "Spotify token expired or invalid: reconnect Spotify"
        super().__init__(401, f"{message} ({detail})" if detail else message)
        self.detail = detail


class SpotifyRevokedError(SpotifyError):
    """The refresh token no longer works (the user revoked the app, or it expired): sign in again."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            400, f"Spotify no longer accepts this sign-in{': ' + detail if detail else ''}"
        )


class SpotifyNoDeviceError(SpotifyError):
    """Playback commands need a Spotify app that is open and active on some device."""

    def __init__(self) -> None:
        super().__init__(
            404,
            "no Spotify device is active: open Spotify on a phone or computer, play anything, then try again",
        )


@dataclass(frozen=True, slots=True)
class TokenGrant:
    access_token: str
    refresh_token: str | None  # Spotify may rotate it: store the new one when present
    expires_in: int

    def __repr__(self) -> str:
        return f"TokenGrant(access_token='***', refresh_token='***', expires_in={self.expires_in})"


def refresh_access_token(
    refresh_token: str,
    *,
    client_id: str,
    accounts_url: str = DEFAULT_ACCOUNTS_URL,
    session: requests.Session | None = None,
    timeout_s: float = 5.0,
) -> TokenGrant:
    """A new access token from a PKCE refresh token (``POST /api/token``, grant_type=refresh_token).

    A public PKCE client sends its client id and no secret, as Spotify documents. 400
    ``invalid_grant`` means the token was revoked: :class:`SpotifyRevokedError`.
    """
    http = session or requests.Session()
    try:
        response = http.post(
            f"{accounts_url.rstrip('/')}/api/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": client_id,
            },
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            timeout=timeout_s,
        )
    except requests.RequestException as exc:
        raise SpotifyUnavailableError(
            0, f"Spotify's sign-in service could not be reached ({type(exc).__name__})"
        ) from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code == 400 and body.get("error") in ("invalid_grant", "invalid_client"):
        raise SpotifyRevokedError(str(body.get("error_description") or body.get("error")))
    if response.status_code >= 500 or response.status_code == 429:
        raise SpotifyUnavailableError(
            response.status_code, "Spotify's sign-in service is unavailable: try again later"
        )
    token = body.get("access_token") if isinstance(body, dict) else None
    if response.status_code != 200 or not isinstance(token, str) or not token:
        raise SpotifyError(
            response.status_code or 502, "Spotify refused to refresh the sign-in: sign in again"
        )
    rotated = body.get("refresh_token")
    return TokenGrant(
        token,
        rotated if isinstance(rotated, str) and rotated else None,
        int(body.get("expires_in") or 3600),
    )


class SpotifyForbiddenError(SpotifyError):
    """403: the token is valid but the app or user may not do this."""

    def __init__(self, message: str, *, user_not_registered: bool = False) -> None:
        super().__init__(403, message)
        self.user_not_registered = user_not_registered


class SpotifyRateLimitedError(SpotifyError):
    """429 that could not be waited out within the deadline; retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(
            429, f"Spotify is rate limiting this app: try again in {retry_after:g} seconds"
        )
        self.retry_after = retry_after


class SpotifyUnavailableError(SpotifyError):
    """Spotify kept failing (5xx, timeouts, connection errors) or the deadline ran out."""


class SpotifyPartialWriteError(SpotifyError):
    """A playlist was created but not every track could be added.

    The playlist exists on Spotify (``playlist_id``, ``url``) holding the first ``added`` of
    ``total`` tracks; ``cause`` is the error that stopped the adding.
    """

    def __init__(
        self, *, playlist_id: str, url: str, added: int, total: int, cause: SpotifyError
    ) -> None:
        super().__init__(
            cause.status,
            f"Spotify playlist {playlist_id} was created but only {added} of {total} tracks were added "
            f"({cause.message}); open {url} to check it, or delete it and try again",
        )
        self.playlist_id = playlist_id
        self.url = url
        self.added = added
        self.total = total
        self.cause = cause


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class SpotifyUser:
    id: str
    display_name: str | None


@dataclass(frozen=True, slots=True)
class CreatedPlaylist:
    id: str
    url: str


# ---------------------------------------------------------------- client


def _error_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return (response.text or response.reason or "").strip()[:200]
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"]
        if isinstance(
            error, str
        ):  # the accounts service shape: {"error": "...", "error_description": "..."}
            return str(body.get("error_description") or error)
    return ""


class SpotifyClient:
    """Spotify Web API calls with one user's access token.

    ``deadline`` is a :func:`time.monotonic` value by which every call on this client must have
    ended (e.g. the Lambda's remaining time minus a margin): per-attempt timeouts shrink to fit it,
    and retries or ``Retry-After`` waits that would cross it fail fast instead.

    ``sleep``, ``clock`` and ``jitter`` exist so tests can run the retry logic without waiting.
    """

    def __init__(
        self,
        access_token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        deadline: float | None = None,
        session: requests.Session | None = None,
        max_retries: int = 3,
        timeout_s: float = 5.0,
        max_retry_after_s: float = 10.0,
        backoff_base_s: float = 0.25,
        backoff_max_s: float = 4.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if not access_token or not access_token.strip():
            raise SpotifyAuthError("no access token")
        self._token = access_token.strip()
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline
        self._session = session or requests.Session()
        self.max_retries = max(0, max_retries)
        self.timeout_s = timeout_s
        self.max_retry_after_s = max_retry_after_s
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter

    def __repr__(self) -> str:
        return f"SpotifyClient(base_url={self.base_url!r}, access_token='***')"

    # ------------------------------------------------------------ public calls

    def current_user(self) -> SpotifyUser:
        """``GET /me``. The id is the stable ``account_id`` when Spotify sends it, else ``id``."""
        body = self._request("GET", "/me")
        user_id = body.get("account_id") or body.get("id")
        if not isinstance(user_id, str) or not user_id:
            raise SpotifyError(502, "Spotify returned a profile without an id: try again later")
        name = body.get("display_name")
        return SpotifyUser(id=user_id, display_name=name if isinstance(name, str) else None)

    def create_playlist(
        self, name: str, description: str = "", public: bool = False
    ) -> CreatedPlaylist:
        """``POST /me/playlists`` (``/users/{id}/playlists`` is gone for development-mode apps).

        A timed-out create is not retried: the playlist may exist already and a second one would
        be a duplicate.
        """
        payload: dict[str, Any] = {"name": name[:100] or "AI DJ Mix", "public": bool(public)}
        if description:
            payload["description"] = description[:300]
        body = self._request("POST", "/me/playlists", json=payload)
        playlist_id = body.get("id")
        if not isinstance(playlist_id, str) or not playlist_id:
            raise SpotifyError(
                502, "Spotify did not return the new playlist's id: check your Spotify library"
            )
        url = (body.get("external_urls") or {}).get("spotify") or OPEN_PLAYLIST_URL.format(
            id=playlist_id
        )
        return CreatedPlaylist(id=playlist_id, url=url)

    def add_items(self, playlist_id: str, uris: Sequence[str], *, url: str | None = None) -> int:
        """``POST /playlists/{id}/items`` in batches of at most 100 URIs, in order.

        Returns how many were added. When a batch fails, raises :class:`SpotifyPartialWriteError`
        saying how many made it, so a half-built playlist is never left silently.
        """
        return self._append(playlist_id, list(uris), 0, url)

    def replace_items(
        self, playlist_id: str, uris: Sequence[str], *, url: str | None = None
    ) -> int:
        """Make the playlist hold exactly ``uris``, in place: ``PUT /playlists/{id}/items`` sets the
        first 100 (replacing everything), ``POST`` appends the rest in batches of 100.

        The PUT is idempotent (safe to retry); a failed append raises :class:`SpotifyPartialWriteError`.
        """
        uris = list(uris)
        self._request(
            "PUT", f"/playlists/{playlist_id}/items", json={"uris": uris[:MAX_ITEMS_PER_ADD]}
        )
        return self._append(playlist_id, uris, min(len(uris), MAX_ITEMS_PER_ADD), url)

    def _append(self, playlist_id: str, uris: list[str], start: int, url: str | None) -> int:
        """``POST`` ``uris[start:]`` in batches of 100; how many of ``uris`` the playlist then holds.
        A failed batch raises :class:`SpotifyPartialWriteError` saying how many made it."""
        added = start
        for first in range(start, len(uris), MAX_ITEMS_PER_ADD):
            batch = uris[first : first + MAX_ITEMS_PER_ADD]
            try:
                self._request("POST", f"/playlists/{playlist_id}/items", json={"uris": batch})
            except SpotifyError as exc:
                raise SpotifyPartialWriteError(
                    playlist_id=playlist_id,
                    url=url or OPEN_PLAYLIST_URL.format(id=playlist_id),
                    added=added,
                    total=len(uris),
                    cause=exc,
                ) from exc
            added += len(batch)
        return added

    def queue(self, uri: str) -> None:
        """``POST /me/player/queue``: play ``uri`` after what is playing; :class:`SpotifyNoDeviceError` when nothing is."""
        try:
            self._request("POST", "/me/player/queue", params={"uri": uri})
        except SpotifyError as exc:
            if exc.status == 404:
                raise SpotifyNoDeviceError() from None
            raise

    # ------------------------------------------------------------ what the user listens to

    def top(self, kind: str, time_range: str, limit: int = TASTE_PAGE) -> list[dict[str, Any]]:
        """``GET /me/top/{artists|tracks}`` (scope user-top-read): artist or track objects,
        best first. ``time_range``: short_term (~4 weeks), medium_term (~6 months), long_term."""
        return self._items(f"/me/top/{kind}", {"time_range": time_range, "limit": limit})

    def recently_played(self, limit: int = TASTE_PAGE) -> list[dict[str, Any]]:
        """``GET /me/player/recently-played`` (user-read-recently-played): ``{track, played_at}``."""
        return self._items("/me/player/recently-played", {"limit": limit})

    def saved_tracks(self, limit: int = TASTE_PAGE) -> list[dict[str, Any]]:
        """``GET /me/tracks`` (user-library-read): ``{added_at, track}``, newest first."""
        return self._items("/me/tracks", {"limit": limit})

    def _items(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        items = self._request("GET", path, params=params).get("items")
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    # ------------------------------------------------------------ the one request path

    def _remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - self._clock()

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        url = f"{self.base_url}{path}"
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        idempotent = method.upper() in ("GET", "HEAD", "PUT", "DELETE")
        attempt = 0
        while True:
            remaining = self._remaining()
            if remaining is not None and remaining <= 0.05:
                raise SpotifyUnavailableError(0, "Ran out of time waiting for Spotify: try again")
            timeout = self.timeout_s if remaining is None else min(self.timeout_s, remaining)
            try:
                response = self._session.request(
                    method, url, params=params, json=json, headers=headers, timeout=timeout
                )
            except requests.RequestException as exc:
                kind = "timed out" if isinstance(exc, requests.Timeout) else "could not be reached"
                if not (idempotent or request_not_sent(exc)):
                    raise SpotifyUnavailableError(
                        0,
                        f"Spotify {kind} during {method} {path}; the change may or may not have been "
                        "applied: check Spotify before trying again",
                    ) from None
                if attempt >= self.max_retries or not self._backoff(attempt):
                    raise SpotifyUnavailableError(
                        0,
                        f"Spotify {kind} ({method} {path}) after {attempt + 1} attempts: try again later",
                    ) from None
                log.warning(
                    "Spotify %s %s %s; retrying (attempt %d)", method, path, kind, attempt + 1
                )
                attempt += 1
                continue

            status = response.status_code
            if status < 300:
                if not response.content:
                    return {}
                try:
                    body = response.json()
                except ValueError:
                    raise SpotifyError(
                        502, f"Spotify sent a non-JSON answer to {method} {path}"
                    ) from None
                return body if isinstance(body, dict) else {}

            message = _error_message(response)
            if status == 429:
                retry_after = retry_after_s(response.headers.get("Retry-After"), default=1.0)
                remaining = self._remaining()
                if (
                    attempt >= self.max_retries
                    or retry_after > self.max_retry_after_s
                    or (remaining is not None and retry_after >= remaining - 0.05)
                ):
                    raise SpotifyRateLimitedError(retry_after)
                log.warning("Spotify rate limited %s %s; waiting %.1fs", method, path, retry_after)
                self._sleep(retry_after)
                attempt += 1
                continue
            if status >= 500:
                # A 503 may say when to come back; otherwise back off exponentially.
                hinted = response.headers.get("Retry-After")
                wait = (
                    None
                    if hinted is None
                    else min(retry_after_s(hinted, 1.0), self.max_retry_after_s)
                )
                if attempt >= self.max_retries or not self._backoff(attempt, wait):
                    raise SpotifyUnavailableError(
                        status,
                        f"Spotify is unavailable (HTTP {status} on {method} {path}"
                        f"{': ' + message if message else ''}): try again later",
                    )
                log.warning(
                    "Spotify %s %s answered %d; retrying (attempt %d)",
                    method,
                    path,
                    status,
                    attempt + 1,
                )
                attempt += 1
                continue
            if status == 401:
                raise SpotifyAuthError(message)
            if status == 403:
                raise self._forbidden(message, path)
            raise SpotifyError(
                status,
                f"Spotify rejected {method} {path} (HTTP {status}){': ' + message if message else ''}",
            )

    def _backoff(self, attempt: int, delay: float | None = None) -> bool:
        """Sleep ``delay`` or a jittered exponential one; False (without sleeping) if it would cross the deadline."""
        if delay is None:
            delay = backoff_delay(attempt, self.backoff_base_s, self.backoff_max_s, self._jitter)
        remaining = self._remaining()
        if remaining is not None and delay >= remaining - 0.05:
            return False
        self._sleep(delay)
        return True

    @staticmethod
    def _forbidden(message: str, path: str) -> SpotifyForbiddenError:
        lowered = message.lower()
        if any(hint in lowered for hint in _NOT_REGISTERED_HINTS):
            return SpotifyForbiddenError(
                "This Spotify account is not allowed to use the app yet: the app is in development mode, "
                "so the app owner must add the user's Spotify email under User Management in the Spotify "
                f"developer dashboard (Spotify said: {message})",
                user_not_registered=True,
            )
        detail = f": {message}" if message else ""
        return SpotifyForbiddenError(
            f"Spotify refused {path}{detail}; reconnect Spotify and grant the playlist permissions"
        )
