"""A local Google OAuth 2.0 server for tests (127.0.0.1): the authorize page and the token endpoint,
as Google documents them for web server apps with PKCE.

- ``GET /o/oauth2/v2/auth`` checks the client id, the registered redirect URI,
  ``response_type=code``, ``code_challenge_method=S256`` and a challenge, then sends the browser
  back (302) to ``redirect_uri?state=…&code=…&scope=…``, or ``?error=access_denied&state=…`` while
  :attr:`FakeGoogleOAuth.refuse` is set (the listener pressed Cancel). The code is bound to the
  challenge, the redirect URI and the client, and works once.
- ``POST /token`` (form-encoded, ``grant_type=authorization_code``) wants the client secret and a
  verifier whose S256 equals the bound challenge; it answers ``{access_token, expires_in, scope,
  token_type}`` (a refresh token only for ``access_type=offline``), or Google's errors: 400
  ``invalid_grant`` (unknown, used or mismatched code, wrong verifier), 401 ``invalid_client``.

The access token is :data:`tests.support.fake_youtube.ACCESS_TOKEN`, so the fake YouTube API
accepts it.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from .fake_platform import Answer, FakePlatform, Recorded
from .fake_youtube import ACCESS_TOKEN

CLIENT_ID = "aidj-test.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-fake-client-secret"
SCOPE = "https://www.googleapis.com/auth/youtube"
REFRESH_TOKEN = "1//fake-google-refresh-token"


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class Issued:
    challenge: str
    redirect_uri: str
    client_id: str
    scope: str
    offline: bool
    used: bool = False


class FakeGoogleOAuth(FakePlatform):
    def __init__(self, *, redirect_uris: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.redirect_uris = set(redirect_uris)  # registered on the client ("Web application")
        self.refuse = False
        self.codes: dict[str, Issued] = {}
        self._ids = itertools.count(1)

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    @property
    def authorize_url(self) -> str:
        return f"{self.url}/o/oauth2/v2/auth"

    def register(self, redirect_uri: str) -> None:
        with self.lock:
            self.redirect_uris.add(redirect_uri)

    def error(self, status: int, message: str) -> Any:
        return {"error": "server_error", "error_description": message}

    def issue(
        self, challenge: str, redirect_uri: str, *, scope: str = SCOPE, offline: bool = False
    ) -> str:
        """A code as the authorize page would hand it out (for tests without a browser)."""
        with self.lock:
            code = f"4/0Afake{next(self._ids):06d}"
            self.codes[code] = Issued(challenge, redirect_uri, CLIENT_ID, scope, offline)
        return code

    def route(self, request: Recorded) -> Answer:
        if request.method == "GET" and request.path == "/o/oauth2/v2/auth":
            return self._authorize(request)
        if request.method == "POST" and request.path == "/token":
            return self._token(request)
        return 404, {}, {"error": "not_found"}

    def _authorize(self, request: Recorded) -> Answer:
        redirect = request.one("redirect_uri") or ""
        if request.one("client_id") != CLIENT_ID:
            return (
                401,
                {},
                {"error": "invalid_client", "error_description": "The OAuth client was not found."},
            )
        if redirect not in self.redirect_uris:
            return 400, {}, {"error": "redirect_uri_mismatch"}
        problem = None
        if request.one("response_type") != "code":
            problem = "unsupported_response_type"
        elif request.one("code_challenge_method") != "S256" or not request.one("code_challenge"):
            problem = "invalid_request"
        state = request.one("state") or ""
        if problem or self.refuse:
            query = {"error": problem or "access_denied", "state": state}
            return 302, {"location": f"{redirect}?{urlencode(query)}"}, None
        scope = request.one("scope") or ""
        code = self.issue(
            request.one("code_challenge") or "",
            redirect,
            scope=scope,
            offline=request.one("access_type") == "offline",
        )
        query = {"state": state, "code": code, "scope": scope}
        return 302, {"location": f"{redirect}?{urlencode(query)}"}, None

    def _token(self, request: Recorded) -> Answer:
        raw = request.body if isinstance(request.body, str) else ""
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return 400, {}, {"error": "invalid_request", "error_description": "form body expected"}
        form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {}, {"error": "invalid_client", "error_description": "Unauthorized"}
        if form.get("grant_type") != "authorization_code":
            return (
                400,
                {},
                {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"},
            )
        with self.lock:
            issued = self.codes.get(form.get("code", ""))
            if (
                issued is None
                or issued.used
                or issued.redirect_uri != form.get("redirect_uri")
                or issued.client_id != form.get("client_id")
            ):
                return 400, {}, {"error": "invalid_grant", "error_description": "Bad Request"}
            if s256(form.get("code_verifier", "")) != issued.challenge:
                return (
                    400,
                    {},
                    {"error": "invalid_grant", "error_description": "Invalid code verifier."},
                )
            issued.used = True
        answer = {
            "access_token": ACCESS_TOKEN,
            "expires_in": 3599,
            "scope": issued.scope,
            "token_type": "Bearer",
        }
        if issued.offline:
            answer["refresh_token"] = REFRESH_TOKEN
        return 200, {}, answer
