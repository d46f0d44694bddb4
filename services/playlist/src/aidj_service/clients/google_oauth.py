"""Google's OAuth 2.0 token endpoint, for the one call AI DJ makes: a sign-in code for a token.

The page signs a listener in to YouTube with Authorization Code + PKCE; Google's token endpoint
demands the client secret of a *Web application* client even then, and a page cannot keep one,
so the page hands the code and its PKCE verifier to the service, which adds the secret here
(``POST https://oauth2.googleapis.com/token``, form-encoded, ``grant_type=authorization_code``).

One request path (:func:`exchange_code`): a timeout on every attempt, a resend only when the
request never left (a code works once: a request that may have arrived is never sent again),
and the small error tree below instead of HTTP details. Neither the code, the verifier, the
secret nor a token reaches a log line, an exception message or ``repr``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests

from aidj_service.clients.retry import request_not_sent

log = logging.getLogger(__name__)

DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token"
# Google's error codes (RFC 6749 §5.2) that mean this service's client is set up wrong, not
# that the listener's code is bad: the operator has to fix the settings.
_CLIENT_PROBLEMS = ("invalid_client", "unauthorized_client")


class GoogleOAuthError(Exception):
    """Any failure of the exchange. ``status`` is Google's HTTP status (0: no answer arrived)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message


class GoogleCodeRefusedError(GoogleOAuthError):
    """Google refused the code (``invalid_grant``: used, expired, or its PKCE verifier is wrong):
    the listener signs in again."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(
            status,
            f"Google did not accept the sign-in ({error}): sign in to YouTube Music again",
        )
        self.error = error


class GoogleClientRejectedError(GoogleOAuthError):
    """Google rejected this service's OAuth client: its id or secret is wrong (an operator's fix)."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(
            status,
            f"Google rejected this service's OAuth client ({error}): check GOOGLE_CLIENT_ID and "
            "GOOGLE_CLIENT_SECRET (a Web application client of the same project)",
        )
        self.error = error


class GoogleUnavailableError(GoogleOAuthError):
    """No answer, a 5xx or a 429: try again in a moment."""


@dataclass(frozen=True, slots=True)
class GoogleGrant:
    """What the page gets back. A refresh token is never kept: the page asks for online access."""

    access_token: str
    expires_in: int
    scope: str

    def __repr__(self) -> str:
        return (
            f"GoogleGrant(access_token='***', expires_in={self.expires_in}, scope={self.scope!r})"
        )


def _post(
    http: requests.Session, url: str, form: dict[str, str], timeout_s: float, attempts: int
) -> requests.Response:
    for attempt in range(attempts):
        try:
            return http.post(
                url,
                data=form,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
                timeout=timeout_s,
            )
        except requests.RequestException as exc:
            # a code is single-use: resend only what provably never left this machine
            if not request_not_sent(exc) or attempt + 1 >= attempts:
                kind = "timed out" if isinstance(exc, requests.Timeout) else "could not be reached"
                raise GoogleUnavailableError(
                    0, f"Google's sign-in service {kind}: sign in to YouTube Music again"
                ) from None
            log.warning("google token endpoint not reached (%s); retrying", type(exc).__name__)
    raise AssertionError("unreachable: attempts >= 1")


def _error_code(body: Any) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) and error else "no error code"


def exchange_code(
    code: str,
    *,
    code_verifier: str,
    redirect_uri: str,
    client_id: str,
    client_secret: str,
    token_url: str = DEFAULT_TOKEN_URL,
    session: requests.Session | None = None,
    timeout_s: float = 5.0,
    attempts: int = 2,
) -> GoogleGrant:
    """The access token Google issues for ``code`` (Authorization Code + PKCE, RFC 7636).

    ``redirect_uri`` must be the one the authorize request named, and ``code_verifier`` the
    secret whose S256 challenge it sent; Google checks both.
    """
    response = _post(
        session or requests.Session(),
        token_url,
        {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": code_verifier,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": client_secret,
        },
        timeout_s,
        max(1, attempts),
    )
    status = response.status_code
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if status >= 500 or status == 429:
        raise GoogleUnavailableError(
            status, f"Google's sign-in service is unavailable (HTTP {status}): try again later"
        )
    error = _error_code(body)
    if status in (400, 401) and error in _CLIENT_PROBLEMS:
        raise GoogleClientRejectedError(status, error)
    if status != 200:
        raise GoogleCodeRefusedError(status, error)
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise GoogleOAuthError(502, "Google's token answer held no access token: try again")
    try:
        expires_in = int(body.get("expires_in") or 3600)
    except (TypeError, ValueError):
        expires_in = 3600
    scope = body.get("scope")
    return GoogleGrant(token, expires_in, scope if isinstance(scope, str) else "")
