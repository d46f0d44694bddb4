"""The page's YouTube sign-in, server side: the bodies of ``POST /auth/google/token`` and which
redirect URIs it may exchange a code for.

The page runs Authorization Code + PKCE against Google and hands the code, its verifier and the
redirect URI here; the service adds the client secret (``clients/google_oauth.py``). Only the
page's own address (or a configured one) is accepted as the redirect URI, so the route is not a
token-exchange proxy for codes issued to anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

YOUTUBE_SCOPE = "https://www.googleapis.com/auth/youtube"
# RFC 7636 §4.1: 43-128 characters of the unreserved set.
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
# Google's codes ("4/0AeanS...") are printable ASCII without spaces.
_CODE = re.compile(r"^[\x21-\x7e]+$")


class GoogleCodeExchange(BaseModel):
    """``POST /auth/google/token``: what Google sent the page back with, and the PKCE secret."""

    model_config = ConfigDict(extra="forbid")

    code: StrictStr = Field(
        min_length=1, max_length=2048, description="The code Google sent the page back with"
    )
    code_verifier: StrictStr = Field(
        description="The PKCE verifier whose S256 challenge the authorize request sent (RFC 7636)"
    )
    redirect_uri: StrictStr = Field(
        max_length=2048,
        description="The redirect URI the authorize request named: the page's own address",
    )

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not _CODE.match(value):
            raise ValueError("is not a Google sign-in code (printable characters, no spaces)")
        return value

    @field_validator("code_verifier")
    @classmethod
    def _verifier(cls, value: str) -> str:
        if not _VERIFIER.match(value):
            raise ValueError(
                "is not a PKCE code verifier (43-128 letters, digits and -._~, RFC 7636)"
            )
        return value

    @field_validator("redirect_uri")
    @classmethod
    def _redirect(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
            raise ValueError("is not an http(s) address without a fragment")
        return value


class GoogleAccess(BaseModel):
    """The listener's YouTube access, for this tab only: no refresh token ever leaves Google's answer."""

    access_token: str = Field(description="Send it as google_access_token when delivering")
    expires_in: int = Field(ge=0, description="Seconds until it expires (about an hour)")
    scope: str = Field(description="What Google granted, space-separated")


def page_address(origin: str | None, host: str | None) -> str | None:
    """The page's own redirect URI (``<origin>/``) when the request's Origin names the server
    it reached (its Host); None when it does not (a non-browser caller, another site)."""
    if not origin or not host:
        return None
    parts = urlsplit(origin.strip().lower())
    if parts.scheme not in ("http", "https") or parts.netloc != host.strip().lower():
        return None
    return f"{parts.scheme}://{parts.netloc}/"


def allowed_redirect(
    uri: str, *, page: str | None, origins: Iterable[str] = (), uris: Iterable[str] = ()
) -> bool:
    """Whether a code issued for ``uri`` may be exchanged here: the page's own address, the page
    at an origin the service serves (its CORS origins, each as ``<origin>/``) or a listed URI."""
    allowed = {f"{o.rstrip('/')}/" for o in origins if o and o != "*"} | set(uris)
    if page:
        allowed.add(page)
    return uri in allowed
