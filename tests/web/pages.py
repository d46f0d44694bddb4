"""What a person does on the AI DJ page, as small helpers the browser tests share."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect


def is_create(event) -> bool:
    """A POST /playlist request or response (for expect_request and expect_response alike)."""
    request = getattr(event, "request", event)
    return request.method == "POST" and request.url.endswith("/playlist")


def generate(page, prompt: str) -> dict[str, Any]:
    """Type ``prompt``, press Generate, wait for the table; returns the API's answer."""
    page.fill("#prompt", prompt)
    with page.expect_response(is_create) as info:
        page.click("#generate")
    body = info.value.json()
    assert info.value.status == 200, body
    expect(page.locator("#result-title")).to_have_text(body["name"])
    return body


def refine(page, sentence: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Send a refinement (a new version of the playlist on screen); returns (request body sent, API answer)."""
    page.fill("#refine", sentence)
    with page.expect_response(is_versions) as info:
        page.click("#refine-button")
    response = info.value
    sent = json.loads(response.request.post_data or "{}")
    body = response.json()
    assert response.status == 200, body
    expect(page.locator("#changes")).to_be_visible()
    page.wait_for_function("() => document.querySelector('#refine-button').disabled === false")
    return sent, body


def chip_value(page, param: str) -> str | None:
    chip = page.locator(f'#params [data-param="{param}"]')
    return chip.get_attribute("data-value") if chip.count() else None


def rows(page):
    return page.locator("#tracks tbody tr.track")


def chip_text(page, param: str) -> str:
    """The chip as read aloud: "Energy: 87%"."""
    return " ".join(page.locator(f'#params [data-param="{param}"]').text_content().split())


def track_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#tracks tbody tr.track", "rows => rows.map(r => r.dataset.trackId)"
    )


def open_menu(page, index: int):
    """Open the actions menu of the track at ``index``; returns the menu."""
    row = page.locator("#tracks tbody tr.track").nth(index)
    row.locator('[data-action="menu"]').click()
    menu = row.locator(".track-menu")
    expect(menu).to_be_visible()
    return menu


def is_versions(event) -> bool:
    """A POST /playlists/{id}/versions request or response."""
    request = getattr(event, "request", event)
    return request.method == "POST" and request.url.endswith("/versions")


def open_downloads(page) -> None:
    if page.locator("#downloads").get_attribute("open") is None:
        page.click("#downloads summary")
