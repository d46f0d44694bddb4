"""The Google token client: a sign-in code and its PKCE verifier exchanged for an access token.

Unit tests pin the request Google documents (``responses``); functional ones run the PKCE
round trip against the fake Google on 127.0.0.1, which checks S256(verifier) == challenge.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
import requests
import responses

from aidj_service.clients.google_oauth import (
    DEFAULT_TOKEN_URL,
    GoogleClientRejectedError,
    GoogleCodeRefusedError,
    GoogleOAuthError,
    GoogleUnavailableError,
    exchange_code,
)
from tests.support.fake_google_oauth import (
    CLIENT_ID,
    CLIENT_SECRET,
    SCOPE,
    FakeGoogleOAuth,
    s256,
)
from tests.support.fake_platform import Fault
from tests.support.fake_youtube import ACCESS_TOKEN

VERIFIER = "v" * 43 + "-._~0123456789"
REDIRECT = "http://127.0.0.1:8000/"


def exchange(code: str = "4/0Acode", **overrides) -> object:
    options = {
        "code_verifier": VERIFIER,
        "redirect_uri": REDIRECT,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        **overrides,
    }
    return exchange_code(code, **options)


@responses.activate
def test_the_code_is_sent_form_encoded_with_the_secret_and_the_verifier():
    responses.post(
        DEFAULT_TOKEN_URL,
        json={"access_token": "ya29.x", "expires_in": 3599, "scope": SCOPE, "token_type": "Bearer"},
    )
    exchange()
    sent = responses.calls[0].request
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert {k: v[0] for k, v in parse_qs(sent.body).items()} == {
        "grant_type": "authorization_code",
        "code": "4/0Acode",
        "code_verifier": VERIFIER,
        "redirect_uri": REDIRECT,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }


@responses.activate
def test_the_grant_holds_the_token_its_lifetime_and_scope_and_hides_the_token():
    responses.post(
        DEFAULT_TOKEN_URL,
        json={
            "access_token": "ya29.secret-token",
            "expires_in": 3599,
            "scope": SCOPE,
            "refresh_token": "1//r",
        },
    )
    grant = exchange()
    assert (grant.access_token, grant.expires_in, grant.scope) == ("ya29.secret-token", 3599, SCOPE)
    assert "ya29" not in repr(grant) and not hasattr(grant, "refresh_token")


@responses.activate
def test_invalid_grant_is_a_refused_code_that_asks_to_sign_in_again():
    responses.post(
        DEFAULT_TOKEN_URL, status=400, json={"error": "invalid_grant", "error_description": "Bad"}
    )
    with pytest.raises(GoogleCodeRefusedError, match="sign in to YouTube Music again"):
        exchange()


@responses.activate
def test_invalid_client_blames_this_service_s_settings():
    responses.post(DEFAULT_TOKEN_URL, status=401, json={"error": "invalid_client"})
    with pytest.raises(GoogleClientRejectedError, match="GOOGLE_CLIENT_SECRET"):
        exchange()


@responses.activate
def test_a_server_error_is_unavailable_and_the_code_is_not_resent():
    responses.post(DEFAULT_TOKEN_URL, status=503, body="")
    with pytest.raises(GoogleUnavailableError):
        exchange()
    assert len(responses.calls) == 1


@responses.activate
def test_a_timeout_is_not_resent_since_the_code_may_have_been_spent():
    responses.post(DEFAULT_TOKEN_URL, body=requests.ReadTimeout("slow"))
    with pytest.raises(GoogleUnavailableError, match="timed out"):
        exchange()
    assert len(responses.calls) == 1


@responses.activate
def test_an_answer_without_a_token_is_an_error_not_an_empty_grant():
    responses.post(DEFAULT_TOKEN_URL, json={"expires_in": 3599})
    with pytest.raises(GoogleOAuthError, match="no access token"):
        exchange()


@responses.activate
def test_no_code_verifier_secret_or_token_reaches_the_log(caplog):
    caplog.set_level(logging.DEBUG)
    responses.post(DEFAULT_TOKEN_URL, json={"access_token": "ya29.logged?", "expires_in": 1})
    exchange("4/0Asecret-code")
    logged = caplog.text
    for secret in ("4/0Asecret-code", VERIFIER, CLIENT_SECRET, "ya29.logged?"):
        assert secret not in logged


# ---------------------------------------------------------------- against the fake Google


@pytest.fixture
def google() -> Iterator[FakeGoogleOAuth]:
    with FakeGoogleOAuth(redirect_uris=(REDIRECT,)) as fake:
        yield fake


def test_a_code_bound_to_the_verifier_s_challenge_buys_the_youtube_token(google):
    code = google.issue(s256(VERIFIER), REDIRECT)
    grant = exchange(code, token_url=google.token_url)
    assert grant.access_token == ACCESS_TOKEN and grant.scope == SCOPE


def test_another_verifier_than_the_challenge_s_is_refused(google):
    code = google.issue(s256(VERIFIER), REDIRECT)
    with pytest.raises(GoogleCodeRefusedError, match="invalid_grant"):
        exchange(code, token_url=google.token_url, code_verifier="w" * 43)


def test_a_code_works_once(google):
    code = google.issue(s256(VERIFIER), REDIRECT)
    exchange(code, token_url=google.token_url)
    with pytest.raises(GoogleCodeRefusedError):
        exchange(code, token_url=google.token_url)


def test_a_wrong_secret_is_the_service_s_problem(google):
    code = google.issue(s256(VERIFIER), REDIRECT)
    with pytest.raises(GoogleClientRejectedError):
        exchange(code, token_url=google.token_url, client_secret="not-it")


def test_google_failing_is_reported_as_unavailable(google):
    google.add_fault(Fault(500, path="token"))
    with pytest.raises(GoogleUnavailableError, match="HTTP 500"):
        exchange(google.issue(s256(VERIFIER), REDIRECT), token_url=google.token_url)


def test_a_refused_connection_is_tried_once_more_then_reported():
    with FakeGoogleOAuth() as closed:
        url = closed.token_url
    with pytest.raises(GoogleUnavailableError, match="could not be reached"):
        exchange(token_url=url, timeout_s=1.0)
