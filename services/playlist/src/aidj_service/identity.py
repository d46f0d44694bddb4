"""Who is calling: the one place every operation asks.

Without sign-in, a deployed caller is whoever Spotify says the bearer token belongs to; a local
server (one person's machine) trusts the ``user_id`` the caller names, or ``"local"``; anyone
else is ``"anonymous"``.

With sign-in (``AIDJ_AUTH=cognito``) the caller is the ``sub`` of a Cognito access token in
``Authorization: Bearer``: taken from API Gateway's authorizer claims where the gateway checked
the token, checked here (:mod:`aidj_service.clients.cognito`) wherever no authorizer ran. Spotify
is then only the music account: its access token travels in ``X-Spotify-Token`` (or the body's
``spotify_access_token``) and never decides who the caller is.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import requests

from aidj_service.clients.cognito import CognitoVerifier, KeysUnavailable, TokenRejected
from aidj_service.config import Settings
from aidj_service.edge.http import Request, ServiceUnavailable, Unauthorized, UnprocessableEntity
from aidj_service.edge.spotify_errors import spotify_http_error
from aidj_service.models import TOKEN_RE, TOKEN_RULE, USER_ID_RULE, valid_user_id

if TYPE_CHECKING:
    from aidj_service.clients.spotify import SpotifyClient

ANONYMOUS = "anonymous"  # the user of a deployed request without a sign-in


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


# Where the Spotify access token travels while Authorization carries the sign-in.
SPOTIFY_TOKEN_HEADER = "x-spotify-token"


def sign_in_token(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>`` as sent, for the sign-in check to judge."""
    value = (request.header("authorization") or "").strip()
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "Authorization must be 'Bearer <access token from signing in>'",
            code="invalid_authorization",
        )
    return token.strip()


class Identity:
    """Spotify clients for a caller's token, and the user id a request acts for."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._sessions = threading.local()  # one HTTP connection pool per worker thread
        self.verifier: CognitoVerifier | None = None
        if settings.signs_in:
            assert settings.cognito_issuer and settings.cognito_client_id  # Settings checks
            self.verifier = CognitoVerifier(
                settings.cognito_issuer,
                settings.cognito_client_id,
                jwks_url=settings.cognito_jwks_url,
            )

    def spotify_token(self, request: Request) -> str | None:
        """The caller's Spotify access token from the headers, or None.

        ``Authorization`` without sign-in; ``X-Spotify-Token`` with it (Authorization then
        carries the sign-in).
        """
        if self.verifier is None:
            return bearer_token(request)
        token = (request.header(SPOTIFY_TOKEN_HEADER) or "").strip()
        if not token:
            return None
        if not TOKEN_RE.match(token):
            raise Unauthorized(f"X-Spotify-Token {TOKEN_RULE}", code="invalid_spotify_token")
        return token

    def signed_in(self, request: Request) -> str | None:
        """The signed-in caller's Cognito ``sub``; None without sign-in or without a token."""
        if self.verifier is None:
            return None
        try:
            if request.claims is not None:  # API Gateway's authorizer checked the token
                return self.verifier.user_from_claims(request.claims, check_time=False).sub
            token = sign_in_token(request)
            return None if token is None else self.verifier.verify(token).sub
        except TokenRejected as exc:
            raise Unauthorized(
                f"the sign-in was refused: {exc}. Authorization carries the access token from "
                "signing in; a Spotify token goes in X-Spotify-Token",
                code="invalid_token",
            ) from None
        except KeysUnavailable:
            raise ServiceUnavailable(
                "sign-ins cannot be checked right now (the user pool's keys did not load): "
                "retry in a moment",
                code="sign_in_unavailable",
                headers={"retry-after": "5"},
            ) from None

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

    def user(
        self, spotify: SpotifyClient | None, body_user: str | None, request: Request | None = None
    ) -> str:
        """The user a request acts for: the signed-in ``sub`` (with sign-in on), else Spotify's
        account id, a local server's named user, or anonymous."""
        if self.verifier is not None:
            return (self.signed_in(request) if request is not None else None) or "anonymous"
        if spotify is not None:
            from aidj_service.clients.spotify import SpotifyError

            try:
                return spotify.current_user().id
            except SpotifyError as exc:
                raise spotify_http_error(exc) from None
        if self.settings.trusts_body_user:
            return body_user.strip() if body_user and body_user.strip() else "local"
        return ANONYMOUS

    def signed_in_user(self, request: Request, needed_for: str, *, check_user_id: bool) -> str:
        """The caller of a route that acts on "my" data: a bearer token, or a local server's ``?user_id``.

        Deployed and without a token, the answer is a 401 saying ``needed_for`` needs a sign-in.
        """
        if self.verifier is not None:
            user = self.signed_in(request)
            if user is None:
                raise Unauthorized(
                    f"{needed_for} needs you to sign in: send Authorization: Bearer <access token>",
                    code="authentication_required",
                )
            return user
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
