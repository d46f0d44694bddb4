"""Phone layout, keyboard use, focus, and an automated WCAG check (axe-core) of the page."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.node_packages import not_installed
from tests.web.conftest import SCREENS, finish, new_session
from tests.web.pages import generate, is_create, rows

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AXE_JS = Path(
    os.environ.get("AXE_CORE_JS", REPO / "tests/support/node/node_modules/axe-core/axe.min.js")
)


def overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_phone_screen_never_scrolls_sideways(phone_session):
    page = phone_session.open()
    assert overflow(page) <= 0
    generate(page, "Partymusik zum Tanzen, immer schneller")
    page.fill(
        "#refine", "a much longer refinement sentence to check that nothing pushes the layout wider"
    )
    assert overflow(page) <= 0
    width = page.viewport_size["width"]
    for selector in ("#chart svg", "#tracks", ".actions", "#params", ".history"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, selector


def test_on_a_phone_each_track_is_a_card_with_labelled_numbers(phone_session):
    page = phone_session.open()
    generate(page, "energetic music for working out")
    assert page.locator("#tracks thead").bounding_box()["height"] <= 1
    first = rows(page).first
    box = first.bounding_box()
    assert box["width"] <= page.viewport_size["width"]
    label = page.eval_on_selector(
        "#tracks tbody tr .bpm", "td => getComputedStyle(td, '::after').content"
    )
    assert "BPM" in label
    assert first.locator(".name").is_visible() and first.locator(".why").is_visible()


def test_everything_works_from_the_keyboard(page):
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "prompt":
            break
    else:
        pytest.fail("Tab never reached the prompt box")
    page.keyboard.type("calm acoustic music for reading")
    with page.expect_response(is_create):
        page.keyboard.press("Enter")
    page.wait_for_selector("#tracks tbody tr")
    # Focus moves to the new playlist's heading so a screen reader starts there.
    page.wait_for_function(
        "() => document.activeElement.id === 'result-title'"
    )  # function form: no eval under the CSP
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "refine":
            break
    else:
        pytest.fail("Tab never reached the refine box")
    page.keyboard.type("shorter")
    with page.expect_response(lambda r: r.request.method == "POST" and r.ok) as info:
        page.keyboard.press("Enter")
    expect(rows(page)).to_have_count(info.value.json()["tracks_count"])


def test_shift_enter_adds_a_line_instead_of_sending(page):
    page.focus("#prompt")
    page.keyboard.type("calm music")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("for reading")
    assert page.locator("#prompt").input_value() == "calm music\nfor reading"
    assert page.locator("#result").is_hidden()


def test_keyboard_focus_is_clearly_visible(page):
    page.focus("#prompt")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement, s = getComputedStyle(el);
            return {id: el.id, style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
        }"""
    )
    assert focused["id"] == "generate"
    assert focused["style"] != "none" and focused["width"] >= 2


def test_status_is_announced_politely(page):
    body = generate(page, "calm acoustic music for reading")
    status = page.locator("#status")
    assert status.get_attribute("aria-live") == "polite"
    expect(status).to_have_text(
        f"Ready: {body['name']}, {body['tracks_count']} tracks. Connect Spotify to save it there."
    )


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )


@pytest.mark.parametrize("screen_name", list(SCREENS))
def test_axe_finds_no_wcag_violations(browser, server, screen_name):
    if not AXE_JS.exists():
        pytest.skip(not_installed("axe-core", AXE_JS))
    # bypass_csp: axe is injected as an inline script, which the page's own policy rightly refuses.
    s = new_session(browser, server, bypass_csp=True, **SCREENS[screen_name])
    s.context.route(
        "https://open.spotify.com/embed/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><html lang=en><title>player</title></html>",
        ),
    )
    try:
        page = s.open()
        page.click(".options summary")  # check the option controls too
        assert _axe(page) == []
        page.route("**/playlist", _with_notice)
        generate(page, "energetic music for working out")
        # The main states at once: a notice, a change with undo, a preview, an open menu, an error.
        rows(page).nth(1).locator('[data-action="grip"]').focus()
        page.keyboard.press("ArrowUp")
        page.locator("#changes").wait_for(state="visible")
        rows(page).nth(0).locator('[data-action="preview"]').click()
        rows(page).nth(2).locator('[data-action="menu"]').click()
        page.fill("#refine", "   ")
        page.click("#refine-button")
        page.locator("#refine-error").wait_for(state="visible")
        # Let the spinner and smooth scroll settle so contrast is measured on the final colours.
        page.wait_for_timeout(300)
        violations = _axe(page)
        assert violations == [], "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations
        )
        # An older version on screen: the banner, the versions list, the schedule control.
        page.keyboard.press("Escape")
        page.locator('.version-item[data-version="1"]').click()
        page.locator("#version-banner").wait_for(state="visible")
        page.wait_for_timeout(300)
        violations = _axe(page)
        assert violations == [], "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations
        )
    finally:
        finish(s)


def _with_notice(route) -> None:
    response = route.fetch()
    body = response.json()
    body["notices"] = ["Only 4 tracks matched every wish, so the rest are the closest fits."]
    for i, track in enumerate(body.get("tracks", [])):
        track["year"] = 2000 + i
        track["transition"] = "" if i == 0 else "8A → 9A, 124 → 126 BPM, energy +0.05"
    route.fulfill(response=response, body=json.dumps(body))


def test_focus_returns_to_the_refine_box_after_a_refine_chip(page):
    generate(page, "calm acoustic music for reading")
    with page.expect_response(lambda r: r.request.method == "POST" and r.ok):
        page.click(".refine-example[data-prompt='calmer']")
    expect(page.locator("#refine-button")).to_be_enabled()
    expect(page.locator("#refine")).to_be_focused()
