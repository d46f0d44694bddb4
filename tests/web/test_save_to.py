""" "Save to …": the page delivers the playlist on screen to another platform.

The platforms are the fakes on 127.0.0.1 (a Subsonic server, the YouTube Data API); Google's
sign-in page is answered inside Chromium, the way Google answers a page without a server secret
(a redirect back with the token in the fragment), and never reached.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.delivery_playlist import songs_for
from tests.support.fake_subsonic import PASSWORD, USER, FakeSubsonic
from tests.support.fake_youtube import ACCESS_TOKEN, FakeYouTube
from tests.web.conftest import Server, finish, new_session, start_server, stop_server
from tests.web.pages import generate

pytestmark = pytest.mark.browser

GOOGLE_CLIENT = "aidj-test.apps.googleusercontent.com"


@pytest.fixture(scope="module")
def platforms() -> Iterator[tuple[FakeSubsonic, FakeYouTube]]:
    with FakeSubsonic() as subsonic, FakeYouTube() as youtube:
        yield subsonic, youtube


@pytest.fixture(scope="module")
def delivering_server(
    tmp_path_factory: pytest.TempPathFactory,
    catalog_path: Path,
    catalog_cache_dir: Path,
    platforms: tuple[FakeSubsonic, FakeYouTube],
) -> Iterator[Server]:
    subsonic, youtube = platforms
    srv = start_server(
        tmp_path_factory.mktemp("aidj-serve-deliver"),
        catalog_path,
        catalog_cache_dir,
        {
            "AIDJ_SUBSONIC_URL": subsonic.url,
            "AIDJ_SUBSONIC_USER": USER,
            "AIDJ_SUBSONIC_PASSWORD": PASSWORD,
            "GOOGLE_CLIENT_ID": GOOGLE_CLIENT,
            "AIDJ_YOUTUBE_API_URL": youtube.url,
        },
    )
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
    expect(page.locator("#save-to-menu button")).to_have_text(["YouTube Music", "my music server"])
    finish(session)


def test_a_playlist_is_saved_to_the_music_server_saying_what_was_left_out(
    browser, delivering_server, platforms
):
    subsonic, _ = platforms
    session = new_session(browser, delivering_server)
    page = session.open()
    body = generate(page, "90s rock, 10 tracks")
    tracks = stored_tracks(delivering_server, body["playlist_id"])
    subsonic.hold(songs_for(tracks[1:]))  # the server lacks the first track
    open_save_menu(page)
    page.click('#save-to-menu button[data-platform="subsonic"]')
    expect(page.locator("#status")).to_have_text(
        f"Saved {len(tracks) - 1} of {len(tracks)} tracks to my music server."
    )
    expect(page.locator("#save-to-left li")).to_have_count(1)
    expect(page.locator("#save-to-left li")).to_contain_text(tracks[0]["name"])
    expect(page.locator("#open-saved")).to_have_attribute(
        "href", f"{subsonic.url}/app/#/playlist/1"
    )
    finish(session)


def test_youtube_music_signs_in_by_redirect_and_finishes_the_save(
    browser, delivering_server, platforms
):
    _, youtube = platforms
    session = new_session(browser, delivering_server)
    asked: dict[str, str] = {}

    def google(route) -> None:
        asked.update(parse_qsl(urlsplit(route.request.url).query))
        fragment = urlencode(
            {
                "access_token": ACCESS_TOKEN,
                "token_type": "Bearer",
                "expires_in": "3599",
                "state": asked["state"],
            }
        )
        route.fulfill(status=302, headers={"location": f"{asked['redirect_uri']}#{fragment}"})

    session.context.route("https://accounts.google.com/o/oauth2/v2/auth?*", google)
    page = session.open()
    body = generate(page, "upbeat funk for cooking, 6 tracks")
    youtube.hold(songs_for(stored_tracks(delivering_server, body["playlist_id"])))
    open_save_menu(page)
    page.click('#save-to-menu button[data-platform="youtube_music"]')
    expect(page.locator("#status")).to_have_text(
        f"Saved {len(body['tracks'])} of {len(body['tracks'])} tracks to YouTube Music."
    )
    assert asked["client_id"] == GOOGLE_CLIENT and asked["response_type"] == "token"
    assert asked["scope"] == "https://www.googleapis.com/auth/youtube"
    assert f"#playlist={body['playlist_id']}" in page.url
    finish(session)
