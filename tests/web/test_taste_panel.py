"""The "Your taste" panel: see what AI DJ believes, steer it, set how new, switch it off, forget it."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.web.pages import generate, is_create

pytestmark = pytest.mark.browser


def is_taste(method: str):
    return lambda event: (
        getattr(event, "request", event).method == method and "/me/taste" in event.url
    )


def add_artist(page, name: str) -> None:
    page.fill("#taste-add-name", name)
    with page.expect_response(is_taste("PATCH")):
        page.click("#taste-add button[type=submit]")


def test_a_new_listener_sees_how_to_teach_it(page):
    expect(page.locator("#taste-summary")).to_contain_text("knows nothing about your taste yet")
    expect(page.locator("#taste-artists .taste-row")).to_have_count(0)
    expect(page.locator("#taste-forget")).to_be_hidden()


def test_more_of_an_artist_shows_them_with_more_less_never(page):
    add_artist(page, "Portishead")
    row = page.locator("#taste-artists .taste-row").first
    expect(row.locator(".taste-name")).to_have_text("Portishead")
    expect(row.locator(".taste-weight")).to_have_text("+0.67")
    for label in ("More", "Less", "Never"):
        expect(row.get_by_role("button", name=f"{label} Portishead")).to_be_visible()
    expect(page.locator("#taste-summary")).to_contain_text("Portishead")
    expect(page.locator("#taste-genres .taste-name").first).to_have_text("trip-hop")


def test_never_moves_an_artist_off_the_list_into_never(page):
    add_artist(page, "Portishead")
    with page.expect_response(is_taste("PATCH")) as info:
        page.get_by_role("button", name="Never Portishead").click()
    assert json.loads(info.value.request.post_data or "{}")["never"] == [{"artist": "Portishead"}]
    expect(page.locator("#taste-artists .taste-row")).to_have_count(0)
    expect(page.locator("#taste-never")).to_have_text("Never: Portishead")


def test_the_discover_slider_goes_with_every_playlist(page):
    page.locator("#taste-discover").fill("80")
    expect(page.locator("#taste-discover-value")).to_have_text("80% new")
    with page.expect_request(is_create) as sent:
        generate(page, "trip hop for a late night")
    assert json.loads(sent.value.post_data or "{}")["discover"] == 0.8


def test_the_off_switch_is_kept_by_the_server(page):
    add_artist(page, "Portishead")
    with page.expect_response(is_taste("PATCH")) as info:
        page.locator("#taste-use").uncheck()
    assert info.value.json()["use"] is False
    expect(page.locator("#taste-summary")).to_contain_text("switched off")


def test_forget_me_asks_once_then_leaves_nothing(page):
    add_artist(page, "Portishead")
    page.click("#taste-forget")
    expect(page.locator("#taste-forget-confirm")).to_be_visible()
    with page.expect_response(is_taste("DELETE")) as info:
        page.click("#taste-forget-yes")
    assert info.value.status == 204
    expect(page.locator("#taste-artists .taste-row")).to_have_count(0)
    expect(page.locator("#taste-summary")).to_contain_text("knows nothing about your taste yet")
