"""Spotify sign-in (Authorization Code with PKCE) done by the page itself.

accounts.spotify.com is never reached: the test answers the browser's two requests to it (the
authorize redirect and the token exchange) inside Chromium, the way Spotify would, and checks the
page sent exactly what the PKCE flow requires.
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.web.conftest import TEST_CLIENT_ID, finish, new_session
from tests.web.pages import is_create

pytestmark = pytest.mark.browser

TOKEN = "BQ-test-access-token"


@dataclass
class FakeSpotifyAccounts:
    """Answers /authorize with a redirect back to the page and /api/token with a token."""

    callback: str = "code"  # "code", "forged-state" or "denied"
    authorize: dict[str, str] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def install(self, context) -> None:
        context.route("https://accounts.spotify.com/authorize?*", self._authorize)
        context.route("https://accounts.spotify.com/api/token", self._token)

    def _authorize(self, route) -> None:
        self.authorize = dict(parse_qsl(urlsplit(route.request.url).query))
        state = "forged" if self.callback == "forged-state" else self.authorize["state"]
        answer = {"error": "access_denied"} if self.callback == "denied" else {"code": "test-code"}
        location = f"{self.authorize['redirect_uri']}?{urlencode({**answer, 'state': state})}"
        route.fulfill(status=302, headers={"location": location})

    def _token(self, route) -> None:
        self.token_requests.append(dict(parse_qsl(route.request.post_data or "")))
        route.fulfill(
            status=200,
            headers={"access-control-allow-origin": "*"},
            content_type="application/json",
            body=json.dumps({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}),
        )


def sign_in(session, callback: str = "code"):
    accounts = FakeSpotifyAccounts(callback)
    accounts.install(session.context)
    page = session.open()
    expect(page.locator("#spotify-connect")).to_be_enabled()
    page.click("#spotify-connect")
    page.wait_for_url(f"{session.server.url}/")  # back from "Spotify", code and state removed
    page.wait_for_selector("html[data-ready=true]")
    return page, accounts


def s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def test_without_a_client_id_sign_in_is_hidden_and_explained(browser, server_without_spotify):
    s = new_session(browser, server_without_spotify)
    try:
        page = s.open()
        expect(page.locator("#spotify-connect")).to_be_hidden()
        expect(page.locator("#spotify-status")).to_contain_text(
            "Saving to Spotify is not set up here"
        )
        assert "SPOTIFY_CLIENT_ID" not in page.locator("#spotify-status").inner_text()
        # Everything else still works.
        page.fill("#prompt", "calm acoustic music for reading")
        with page.expect_response(is_create) as info:
            page.click("#generate")
        assert info.value.status == 200
        assert "spotify_access_token" not in json.loads(info.value.request.post_data)
        page.wait_for_selector("#tracks tbody tr")
        expect(page.locator("#open-spotify")).to_be_hidden()
        # Saving is off here, so the page never suggests connecting to save.
        expect(page.locator("#status")).to_contain_text("Ready:")
        assert "Connect Spotify" not in page.locator("#status").inner_text()
    finally:
        finish(s)


def test_sign_in_sends_a_pkce_request_for_the_configured_app(session):
    with urllib.request.urlopen(f"{session.server.url}/config") as response:
        config = json.load(response)
    _, accounts = sign_in(session)
    sent = accounts.authorize
    assert sent["client_id"] == TEST_CLIENT_ID == config["spotify_client_id"]
    assert sent["response_type"] == "code"
    assert sent["scope"] == config["spotify_scopes"]
    assert sent["redirect_uri"] == f"{session.server.url}/"
    assert sent["code_challenge_method"] == "S256"
    assert len(sent["state"]) >= 16


def test_the_code_is_exchanged_with_the_verifier_behind_the_challenge(session):
    _, accounts = sign_in(session)
    [exchange] = accounts.token_requests
    assert exchange["grant_type"] == "authorization_code"
    assert exchange["code"] == "test-code"
    assert exchange["client_id"] == TEST_CLIENT_ID
    assert exchange["redirect_uri"] == accounts.authorize["redirect_uri"]
    assert 43 <= len(exchange["code_verifier"]) <= 128
    assert s256(exchange["code_verifier"]) == accounts.authorize["code_challenge"]
    assert "client_secret" not in exchange


def test_the_token_stays_in_this_tab_only(session):
    page, _ = sign_in(session)
    expect(page.locator("#spotify-disconnect")).to_be_visible()
    expect(page.locator("#spotify-connect")).to_be_hidden()
    assert "code=" not in page.url and "state=" not in page.url
    stored = page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
    assert TOKEN in stored
    local = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert TOKEN not in local and "verifier" not in local


def test_the_token_goes_with_new_playlists_and_history_requests(session):
    page, _ = sign_in(session)
    page.fill("#prompt", "energetic music for working out")
    with page.expect_response(is_create) as info:
        page.click("#generate")
    assert json.loads(info.value.request.post_data)["spotify_access_token"] == TOKEN
    # The test server's Spotify API address is closed, so the service answers with an error:
    # the page must show it as a sentence.
    assert info.value.status >= 400
    error = page.locator("#error")
    expect(error).to_be_visible()
    assert "{" not in error.inner_text()
    error.locator("summary").click()
    expect(error.locator("details")).to_contain_text(info.value.json()["error"]["message"])
    with page.expect_request(lambda r: "/playlists?" in r.url) as listing:
        page.click("#history-refresh")
    assert listing.value.headers.get("authorization") == f"Bearer {TOKEN}"


def test_disconnect_forgets_the_token(session):
    page, _ = sign_in(session)
    page.click("#spotify-disconnect")
    expect(page.locator("#spotify-connect")).to_be_visible()
    assert TOKEN not in page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
    page.fill("#prompt", "calm acoustic music for reading")
    with page.expect_request(is_create) as request:
        page.click("#generate")
    assert "spotify_access_token" not in json.loads(request.value.post_data)


def test_a_callback_with_a_foreign_state_is_refused_without_exchanging_the_code(session):
    page, accounts = sign_in(session, callback="forged-state")
    assert accounts.token_requests == []
    expect(page.locator("#error")).to_contain_text("could not be verified")
    expect(page.locator("#spotify-connect")).to_be_visible()
    assert TOKEN not in page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")


def test_refusing_access_on_spotify_is_explained(session):
    page, accounts = sign_in(session, callback="denied")
    assert accounts.token_requests == []
    expect(page.locator("#error")).to_contain_text("not granted")
    expect(page.locator("#spotify-connect")).to_be_enabled()


def signed_in_with_a_playlist(session):
    """A playlist made before connecting, then Spotify connected: the sign-in returns to that playlist."""
    page = session.open()
    page.fill("#prompt", "energetic music for working out")
    with page.expect_response(is_create) as info:
        page.click("#generate")
    body = info.value.json()
    FakeSpotifyAccounts().install(session.context)
    expect(page.locator("#play-now")).to_be_hidden()
    page.click("#spotify-connect")
    page.wait_for_url(f"{session.server.url}/#playlist={body['playlist_id']}")
    page.wait_for_selector("html[data-ready=true]")
    expect(page.locator("#result-title")).to_have_text(body["name"])
    return page, body


def test_play_on_spotify_queues_the_tracks_with_the_sign_in(session):
    page, body = signed_in_with_a_playlist(session)
    with page.expect_response(
        lambda r: r.url.endswith(f"/playlists/{body['playlist_id']}/play")
    ) as info:
        page.click("#play-now")
    assert info.value.request.headers.get("authorization") == f"Bearer {TOKEN}"
    # This server's Spotify address is closed: the failure reads as a sentence.
    assert info.value.status >= 500
    error = page.locator("#edit-error")
    expect(error).to_contain_text("Could not play it on Spotify")
    assert "{" not in error.inner_text()


def test_play_without_an_active_device_says_what_to_do(session):
    page, _body = signed_in_with_a_playlist(session)
    answer = {
        "error": {"code": "no_active_device", "message": "no active device", "request_id": "r1"}
    }
    page.route(
        "**/play",
        lambda route: route.fulfill(
            status=409, content_type="application/json", body=json.dumps(answer)
        ),
    )
    page.click("#play-now")
    expect(page.locator("#edit-error")).to_contain_text(
        "Open Spotify on your phone or computer, start any song, then press Play again."
    )


def test_play_on_spotify_reports_the_queued_tracks(session):
    page, body = signed_in_with_a_playlist(session)
    total = len(body["tracks"])
    answer = {"queued": total, "total": total, "message": "queued"}
    page.route(
        "**/play",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(answer)
        ),
    )
    page.click("#play-now")
    expect(page.locator("#changes-text")).to_have_text(
        f"Sent all {total} tracks to your Spotify queue."
    )


def test_edits_carry_the_sign_in_so_a_deployed_server_knows_the_owner(session):
    page, _body = signed_in_with_a_playlist(session)
    with page.expect_request(lambda r: r.url.endswith("/versions")) as request:
        page.locator("#tracks tr.track").first.locator('[data-action="menu"]').click()
        page.click('.track-menu [data-action="lock"]')
    assert request.value.headers.get("authorization") == f"Bearer {TOKEN}"
