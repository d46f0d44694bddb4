"""History: the side list shows this browser's playlists, newest first, and reopens them."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.web.pages import generate, is_create, is_versions, rows

pytestmark = pytest.mark.browser


@pytest.fixture
def page(sized_session):
    """These flows at both sizes, in both colour schemes (see conftest.sized_session)."""
    return sized_session.open()


def test_a_new_playlist_appears_in_the_history(page):
    body = generate(page, "sunny reggae for the beach")
    item = page.locator(f'.history-item[data-playlist-id="{body["playlist_id"]}"]')
    expect(item).to_be_visible()
    expect(item.locator(".h-name")).to_have_text(body["name"])
    expect(item).to_contain_text(f"{body['tracks_count']} tracks")
    assert item.get_attribute("aria-current") == "true"


def test_history_is_newest_first_and_reopens_an_older_playlist(page):
    older = generate(page, "sunny reggae for the beach")
    newer = generate(page, "dark techno for a warehouse party")
    items = page.locator(".history-item")
    expect(items).to_have_count(2)
    assert [items.nth(i).get_attribute("data-playlist-id") for i in range(2)] == [
        newer["playlist_id"],
        older["playlist_id"],
    ]
    with page.expect_response(
        lambda r: r.url.endswith(f"/playlists/{older['playlist_id']}")
    ) as info:
        items.nth(1).click()
    assert info.value.status == 200
    expect(page.locator("#result-title")).to_have_text(older["name"])
    expect(rows(page)).to_have_count(older["tracks_count"])
    assert rows(page).first.get_attribute("data-track-id") == older["tracks"][0]["id"]
    assert items.nth(1).get_attribute("aria-current") == "true"
    assert items.nth(0).get_attribute("aria-current") is None
    # The reopened playlist is refinable like a fresh one.
    with page.expect_request(is_versions) as request:
        page.fill("#refine", "more upbeat")
        page.click("#refine-button")
    assert request.value.url.endswith(f"/playlists/{older['playlist_id']}/versions")
    assert json.loads(request.value.post_data)["prompt"] == "more upbeat"


def test_the_same_browser_keeps_its_history_across_reloads(session):
    page = session.open()
    with page.expect_request(is_create) as request:
        body = generate(page, "sunny reggae for the beach")
    user_id = json.loads(request.value.post_data)["user_id"]
    assert user_id == page.evaluate("localStorage.getItem('aidj.user_id')")
    again = session.open()
    expect(
        again.locator(f'.history-item[data-playlist-id="{body["playlist_id"]}"]')
    ).to_be_visible()


def test_another_browser_does_not_see_this_history(browser, server, session):
    from tests.web.conftest import finish, new_session

    generate(session.open(), "sunny reggae for the beach")
    stranger = new_session(browser, server)
    try:
        page = stranger.open()
        expect(page.locator("#history-empty")).to_be_visible()
        expect(page.locator(".history-item")).to_have_count(0)
    finally:
        finish(stranger)


def test_older_playlists_load_with_show_older(session):
    page = session.open()
    user_id = page.evaluate("localStorage.getItem('aidj.user_id')")
    # 21 playlists made through the API directly: one more than the page's first page of history.
    ids = []
    for n in range(21):
        request = urllib.request.Request(
            f"{session.server.url}/playlist",
            json.dumps({"prompt": f"{5 + n % 3} songs of calm jazz", "user_id": user_id}).encode(),
            {"content-type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:
            ids.append(json.load(response)["playlist_id"])
    page.click("#history-refresh")
    items = page.locator(".history-item")
    expect(items).to_have_count(20)
    more = page.locator("#history-more")
    expect(more).to_be_visible()
    more.click()
    expect(items).to_have_count(21)
    expect(more).to_be_hidden()
    assert items.nth(20).get_attribute("data-playlist-id") == ids[0]


def test_history_lists_a_playlist_once_with_its_versions(page):
    body = generate(page, "sunny reggae for the beach")
    page.fill("#refine", "more upbeat")
    with page.expect_response(is_versions):
        page.click("#refine-button")
    items = page.locator(".history-item")
    expect(items.locator(".h-meta")).to_contain_text(["2 versions"])
    expect(items).to_have_count(1)
    assert items.first.get_attribute("data-playlist-id") == body["playlist_id"]
