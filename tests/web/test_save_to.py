""" "Save to …": the page delivers the playlist on screen to another platform.

The platforms are the fakes on 127.0.0.1 (a Subsonic server, the YouTube Data API, the Apple Music
API). Google's sign-in page is the fake Google on 127.0.0.1: the page's redirect to
accounts.google.com is answered by the fake's authorize endpoint (a code bound to the PKCE
challenge), and the server exchanges the code at the fake's token endpoint. MusicKit JS is a
fake script the server's settings name (AIDJ_MUSICKIT_URL). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from tests.support import fake_apple_music
from tests.support.delivery_playlist import songs_for
from tests.support.fake_apple_music import FakeAppleMusic
from tests.support.fake_google_oauth import CLIENT_ID, CLIENT_SECRET, FakeGoogleOAuth, s256
from tests.support.fake_musickit import FakeMusicKit
from tests.support.fake_subsonic import PASSWORD, USER, FakeSubsonic
from tests.support.fake_youtube import FakeYouTube
from tests.web.conftest import Server, finish, new_session, start_server, stop_server
from tests.web.pages import generate

pytestmark = pytest.mark.browser


@dataclass
class Platforms:
    subsonic: FakeSubsonic
    youtube: FakeYouTube
    google: FakeGoogleOAuth
    apple: FakeAppleMusic
    musickit: FakeMusicKit


@pytest.fixture(scope="module")
def platforms() -> Iterator[Platforms]:
    with (
        FakeSubsonic() as subsonic,
        FakeYouTube() as youtube,
        FakeGoogleOAuth() as google,
        FakeAppleMusic() as apple,
        FakeMusicKit() as musickit,
    ):
        yield Platforms(subsonic, youtube, google, apple, musickit)


@pytest.fixture(scope="module")
def delivering_server(
    tmp_path_factory: pytest.TempPathFactory,
    catalog_path: Path,
    catalog_cache_dir: Path,
    platforms: Platforms,
) -> Iterator[Server]:
    srv = start_server(
        tmp_path_factory.mktemp("aidj-serve-deliver"),
        catalog_path,
        catalog_cache_dir,
        {
            "AIDJ_SUBSONIC_URL": platforms.subsonic.url,
            "AIDJ_SUBSONIC_USER": USER,
            "AIDJ_SUBSONIC_PASSWORD": PASSWORD,
            "GOOGLE_CLIENT_ID": CLIENT_ID,
            "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
            "AIDJ_GOOGLE_TOKEN_URL": platforms.google.token_url,
            "AIDJ_YOUTUBE_API_URL": platforms.youtube.url,
            "AIDJ_APPLE_MUSIC_TEAM_ID": fake_apple_music.TEAM_ID,
            "AIDJ_APPLE_MUSIC_KEY_ID": fake_apple_music.KEY_ID,
            "AIDJ_APPLE_MUSIC_PRIVATE_KEY": platforms.apple.private_key_pem,
            "AIDJ_APPLE_MUSIC_API_URL": platforms.apple.url,
            "AIDJ_MUSICKIT_URL": platforms.musickit.url,
        },
    )
    # the page's address, registered on the Google client as its redirect URI
    platforms.google.register(f"{srv.url}/")
    yield srv
    stop_server(srv)


def stored_tracks(server: Server, playlist_id: str) -> list[dict]:
    with urllib.request.urlopen(f"{server.url}/playlists/{playlist_id}", timeout=10) as answer:
        return json.load(answer)["tracks"]


def open_save_menu(page) -> None:
    page.click("#save-to summary")
    expect(page.locator("#save-to-menu")).to_be_visible()


def test_the_menu_offers_the_platforms_the_server_is_set_up_for(browser, delivering_server):
    session = new_session(browser, delivering_server)
    page = session.open()
    generate(page, "calm piano for reading, 8 tracks")
    open_save_menu(page)
    expect(page.locator("#save-to-menu button")).to_have_text(
        ["Apple Music", "YouTube Music", "my music server"]
    )
    finish(session)


def test_a_playlist_is_saved_to_the_music_server_saying_what_was_left_out(
    browser, delivering_server, platforms
):
    session = new_session(browser, delivering_server)
    page = session.open()
    body = generate(page, "90s rock, 10 tracks")
    tracks = stored_tracks(delivering_server, body["playlist_id"])
    platforms.subsonic.hold(songs_for(tracks[1:]))  # the server lacks the first track
    open_save_menu(page)
    page.click('#save-to-menu button[data-platform="subsonic"]')
    expect(page.locator("#status")).to_have_text(
        f"Saved {len(tracks) - 1} of {len(tracks)} tracks to my music server."
    )
    expect(page.locator("#save-to-left li")).to_have_count(1)
    expect(page.locator("#save-to-left li")).to_contain_text(tracks[0]["name"])
    expect(page.locator("#open-saved")).to_have_attribute(
        "href", f"{platforms.subsonic.url}/app/#/playlist/1"
    )
    finish(session)


# ---------------------------------------------------------------- YouTube Music


def through_fake_google(session, google: FakeGoogleOAuth, asked: dict[str, str]) -> None:
    """Google's authorize page, answered by the fake's: the code it issues is bound to the challenge."""

    def authorize(route) -> None:
        query = urlsplit(route.request.url).query
        asked.update(parse_qsl(query))
        answer = route.fetch(url=f"{google.authorize_url}?{query}", max_redirects=0)
        route.fulfill(response=answer)

    session.context.route("https://accounts.google.com/o/oauth2/v2/auth?*", authorize)


def test_youtube_music_signs_in_with_pkce_and_finishes_the_save(
    browser, delivering_server, platforms
):
    session = new_session(browser, delivering_server)
    asked: dict[str, str] = {}
    through_fake_google(session, platforms.google, asked)
    page = session.open()
    body = generate(page, "upbeat funk for cooking, 6 tracks")
    platforms.youtube.hold(songs_for(stored_tracks(delivering_server, body["playlist_id"])))
    open_save_menu(page)
    page.click('#save-to-menu button[data-platform="youtube_music"]')
    expect(page.locator("#status")).to_have_text(
        f"Saved {len(body['tracks'])} of {len(body['tracks'])} tracks to YouTube Music."
    )
    assert asked["client_id"] == CLIENT_ID and asked["response_type"] == "code"
    assert asked["code_challenge_method"] == "S256" and asked["access_type"] == "online"
    assert asked["scope"] == "https://www.googleapis.com/auth/youtube"
    assert asked["redirect_uri"] == f"{delivering_server.url}/"
    (exchange,) = platforms.google.requests_to("POST", "/token")
    sent = dict(parse_qsl(exchange.body))
    assert s256(sent["code_verifier"]) == asked["code_challenge"]
    assert f"#playlist={body['playlist_id']}" in page.url and "code=" not in page.url
    # Google's ?code=&state= was not mistaken for Spotify's sign-in coming back
    expect(page.locator("#error")).to_be_hidden()
    finish(session)


def test_a_youtube_sign_in_the_listener_declines_saves_nothing_and_says_so(
    browser, delivering_server, platforms
):
    session = new_session(browser, delivering_server)
    through_fake_google(session, platforms.google, {})
    page = session.open()
    body = generate(page, "mellow jazz for a rainy day, 5 tracks")
    created = len(platforms.youtube.playlists)
    exchanges = len(platforms.google.requests_to("POST", "/token"))
    platforms.google.refuse = True
    try:
        open_save_menu(page)
        page.click('#save-to-menu button[data-platform="youtube_music"]')
        expect(page.locator("#error")).to_contain_text(
            "YouTube access was not granted, so nothing was saved there."
        )
    finally:
        platforms.google.refuse = False
    assert len(platforms.youtube.playlists) == created
    assert len(platforms.google.requests_to("POST", "/token")) == exchanges
    assert f"#playlist={body['playlist_id']}" in page.url
    finish(session)


# ---------------------------------------------------------------- Apple Music


def test_apple_music_asks_musickit_for_the_listener_s_token_and_saves(
    browser, delivering_server, platforms
):
    session = new_session(browser, delivering_server)
    page = session.open()
    body = generate(page, "soft acoustic songs for a sunday morning, 6 tracks")
    tracks = stored_tracks(delivering_server, body["playlist_id"])
    platforms.apple.hold(songs_for(tracks[1:]))  # Apple lacks the first track
    open_save_menu(page)
    page.click('#save-to-menu button[data-platform="apple_music"]')
    expect(page.locator("#status")).to_have_text(
        f"Saved {len(tracks) - 1} of {len(tracks)} tracks to Apple Music."
    )
    expect(page.locator("#save-to-left li")).to_have_count(1)
    expect(page.locator("#save-to-left li")).to_contain_text(tracks[0]["name"])
    (playlist_id,) = platforms.apple.playlists
    expect(page.locator("#open-saved")).to_have_attribute(
        "href", f"https://music.apple.com/library/playlist/{playlist_id}"
    )
    # MusicKit was configured with the server's developer token: its key id and team id
    token = page.evaluate("window.fakeMusicKitConfigured.developerToken")
    header, claims = (
        json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        for part in token.split(".")[:2]
    )
    assert header["kid"] == fake_apple_music.KEY_ID and claims["iss"] == fake_apple_music.TEAM_ID
    finish(session)


def test_apple_music_declined_in_musickit_sends_nothing_and_says_so(
    browser, delivering_server, platforms
):
    session = new_session(browser, delivering_server)
    page = session.open()
    generate(page, "classic soul for a road trip, 5 tracks")
    before = len(platforms.apple.requests)
    platforms.musickit.refuse = True
    try:
        open_save_menu(page)
        page.click('#save-to-menu button[data-platform="apple_music"]')
        expect(page.locator("#edit-error")).to_contain_text(
            "Apple Music access was not granted, so nothing was saved there."
        )
    finally:
        platforms.musickit.refuse = False
    assert len(platforms.apple.requests) == before
    finish(session)


# ---------------------------------------------------------------- the maker, on a deployed server


def test_on_a_deployed_server_the_maker_s_save_is_remembered_on_the_playlist(
    browser, tmp_path_factory, catalog_path, catalog_cache_dir, platforms
):
    """The page proves ownership on a save as on an edit (the kept edit key), so a second save is
    answered from the playlist's own record: the music server is not searched again."""
    srv = start_server(
        tmp_path_factory.mktemp("aidj-serve-deliver-deployed"),
        catalog_path,
        catalog_cache_dir,
        {
            "AIDJ_LOCAL_MODE": "false",
            "AIDJ_SUBSONIC_URL": platforms.subsonic.url,
            "AIDJ_SUBSONIC_USER": USER,
            "AIDJ_SUBSONIC_PASSWORD": PASSWORD,
        },
    )
    session = new_session(browser, srv)
    try:
        page = session.open()
        body = generate(page, "calm piano for reading, 8 tracks")
        assert body["edit_key"]
        platforms.subsonic.hold(songs_for(stored_tracks(srv, body["playlist_id"])))
        searched = []
        for _ in range(2):
            open_save_menu(page)
            page.click('#save-to-menu button[data-platform="subsonic"]')
            expect(page.locator("#status")).to_contain_text("Saved 8 of 8 tracks")
            page.locator("#status").evaluate("node => { node.textContent = '' }")
            searched.append(len(platforms.subsonic.requests_to("GET", "/rest/search3")))
        assert searched[1] == searched[0]  # the second save came from the record, unsearched
    finally:
        finish(session)
        stop_server(srv)
