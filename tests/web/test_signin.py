"""Signing in to a deployment with Cognito, done by the page (hosted UI, Authorization Code + PKCE).

The hosted UI is never reached: the test answers the browser's two requests to it (the authorize
redirect and the token exchange) inside Chromium, handing out a real token moto's cognito-idp
issued; the real ``aidj serve`` checks it against keys served on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from playwright.sync_api import expect

from tests.support.fake_cognito import UserPool, user_pool  # noqa: F401  (fixture)
from tests.web.conftest import finish, new_session, start_server, stop_server
from tests.web.pages import generate, is_create

pytestmark = pytest.mark.browser

DOMAIN = "https://aidj-test.auth.eu-west-1.amazoncognito.com"
ANA = "ana@example.com"


class FakeHostedUI:
    def __init__(self, token: str) -> None:
        self.token = token
        self.authorize: dict[str, str] = {}
        self.token_requests: list[dict[str, str]] = []

    def install(self, context) -> None:
        context.route(f"{DOMAIN}/oauth2/authorize?*", self._authorize)
        context.route(f"{DOMAIN}/oauth2/token", self._token)

    def _authorize(self, route) -> None:
        self.authorize = dict(parse_qsl(urlsplit(route.request.url).query))
        back = {"code": "test-code", "state": self.authorize["state"]}
        route.fulfill(
            status=302, headers={"location": f"{self.authorize['redirect_uri']}?{urlencode(back)}"}
        )

    def _token(self, route) -> None:
        self.token_requests.append(dict(parse_qsl(route.request.post_data or "")))
        route.fulfill(
            status=200,
            headers={"access-control-allow-origin": "*"},
            content_type="application/json",
            body=json.dumps(
                {"access_token": self.token, "token_type": "Bearer", "expires_in": 3600}
            ),
        )


@pytest.fixture
def signed_in_server(tmp_path, catalog_path, catalog_cache_dir, user_pool: UserPool):
    server = start_server(
        tmp_path,
        catalog_path,
        catalog_cache_dir,
        {
            "AIDJ_AUTH": "cognito",
            "AIDJ_COGNITO_ISSUER": user_pool.issuer,
            "AIDJ_COGNITO_CLIENT_ID": user_pool.client_id,
            "AIDJ_COGNITO_DOMAIN": DOMAIN,
            "AIDJ_COGNITO_JWKS_URL": user_pool.jwks_url,
        },
    )
    yield server
    stop_server(server)


def test_the_page_signs_in_with_pkce_and_its_playlists_belong_to_the_user(
    browser, signed_in_server, user_pool
):
    token = user_pool.token(ANA)
    hosted = FakeHostedUI(token)
    s = new_session(browser, signed_in_server)
    try:
        hosted.install(s.context)
        page = s.open()
        expect(page.locator("#signin")).to_be_visible()
        page.click("#signin")
        page.wait_for_url(f"{signed_in_server.url}/")  # back from the hosted UI, code removed
        page.wait_for_selector("html[data-ready=true]")
        expect(page.locator("#signout")).to_be_visible()
        expect(page.locator("#signin-status")).to_contain_text("Signed in")

        sent = hosted.authorize
        assert (sent["response_type"], sent["client_id"]) == ("code", user_pool.client_id)
        assert (sent["scope"], sent["code_challenge_method"]) == ("openid email", "S256")
        (exchange,) = hosted.token_requests
        verifier = exchange["code_verifier"]
        digest = hashlib.sha256(verifier.encode()).digest()
        assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == sent["code_challenge"]
        assert exchange["grant_type"] == "authorization_code" and "client_secret" not in exchange

        with page.expect_request(is_create) as request:
            made = generate(page, "calm jazz for reading")
        assert request.value.headers["authorization"] == f"Bearer {token}"
        mine = requests.get(
            f"{signed_in_server.url}/playlists",
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        assert [item["playlist_id"] for item in mine["items"]] == [made["playlist_id"]]
    finally:
        finish(s)


def test_a_sign_in_lasts_the_tab_through_a_reload(browser, signed_in_server, user_pool):
    hosted = FakeHostedUI(user_pool.token(ANA))
    s = new_session(browser, signed_in_server)
    try:
        hosted.install(s.context)
        page = s.open()
        page.click("#signin")
        page.wait_for_url(f"{signed_in_server.url}/")
        page.wait_for_selector("html[data-ready=true]")
        expect(page.locator("#signout")).to_be_visible()

        page.reload()
        page.wait_for_selector("html[data-ready=true]")
        expect(page.locator("#signout")).to_be_visible()
        expect(page.locator("#signin")).to_be_hidden()
        assert len(hosted.token_requests) == 1  # kept in sessionStorage, not signed in again
    finally:
        finish(s)


def test_without_sign_in_configured_the_page_offers_none(browser, server):
    s = new_session(browser, server)
    try:
        page = s.open()
        expect(page.locator("#signin")).to_be_hidden()
        expect(page.locator("#signout")).to_be_hidden()
    finally:
        finish(s)
