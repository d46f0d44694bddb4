"""Who is calling: the one place every operation asks.

Deployed, a caller is whoever Spotify says the bearer token belongs to; a local server (one
person's machine) trusts the ``user_id`` the caller names, or ``"local"``; anyone else is
``"anonymous"``. A future sign-in (a Cognito claim, say) is one more branch in
:meth:`Identity.user`, and no operation changes.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import requests

from aidj_service.config import Settings
from aidj_service.edge.http import Request, Unauthorized, UnprocessableEntity
from aidj_service.edge.spotify_errors import spotify_http_error
from aidj_service.models import TOKEN_RE, TOKEN_RULE, USER_ID_RULE, valid_user_id

if TYPE_CHECKING:
    from aidj_service.clients.spotify import SpotifyClient


def bearer_token(request: Request) -> str | None:
    """The Spotify access token of ``Authorization: Bearer <token>``; None without the header."""
    value = request.header("authorization")
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(
            "Authorization must be 'Bearer <Spotify access token>'", code="invalid_authorization"
        )
    if not TOKEN_RE.match(token):
        raise Unauthorized(f"the bearer token {TOKEN_RULE}", code="invalid_authorization")
    return token


class Identity:
    """Spotify clients for a caller's token, and the user id a request acts for."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._sessions = threading.local()  # one HTTP connection pool per worker thread

    def spotify(self, token: str, request: Request) -> SpotifyClient:
        """A Spotify client for the caller's ``token``, bounded by the request's deadline."""
        from aidj_service.clients.spotify import SpotifyClient, SpotifyError

        session = getattr(self._sessions, "session", None)
        if session is None:
            session = self._sessions.session = requests.Session()
        deadline = request.deadline
        if deadline is None:
            deadline = time.monotonic() + self.settings.request_timeout_s
        try:
            return SpotifyClient(
                token, base_url=self.settings.spotify_api_url, deadline=deadline, session=session
            )
        except SpotifyError as exc:  # e.g. a token the client refuses outright
            raise spotify_http_error(exc) from None

    def spotify_for_job(self, token: str) -> SpotifyClient:
        """A Spotify client for work with no request behind it (a scheduled refresh)."""
        from aidj_service.clients.spotify import SpotifyClient

        deadline = time.monotonic() + self.settings.request_timeout_s
        return SpotifyClient(token, base_url=self.settings.spotify_api_url, deadline=deadline)

    def user(self, spotify: SpotifyClient | None, body_user: str | None) -> str:
        """The user a request acts for: Spotify's account id, a local server's named user, or anonymous."""
        if spotify is not None:
            from aidj_service.clients.spotify import SpotifyError

            try:
                return spotify.current_user().id
            except SpotifyError as exc:
                raise spotify_http_error(exc) from None
        if self.settings.trusts_body_user:
            return body_user.strip() if body_user and body_user.strip() else "local"
        return "anonymous"

    def signed_in_user(self, request: Request, needed_for: str, *, check_user_id: bool) -> str:
        """The caller of a route that acts on "my" data: a bearer token, or a local server's ``?user_id``.

        Deployed and without a token, the answer is a 401 saying ``needed_for`` needs a sign-in.
        """
        token = bearer_token(request)
        if token:
            return self.user(self.spotify(token, request), None)
        if self.settings.trusts_body_user:
            user = (request.query.get("user_id") or "").strip() or "local"
            if check_user_id and not valid_user_id(user):
                raise UnprocessableEntity(f"user_id: {USER_ID_RULE}")
            return user
        raise Unauthorized(
            f"{needed_for} needs your Spotify sign-in: send Authorization: Bearer <Spotify access token>",
            code="authentication_required",
        )
