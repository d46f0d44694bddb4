"""Messages are plain sentences for people; technical detail waits behind a "Details" disclosure."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import finish, new_session
from tests.web.pages import generate

pytestmark = pytest.mark.browser


@pytest.fixture
def page(sized_session):
    """These flows at both sizes, in both colour schemes (see conftest.sized_session)."""
    return sized_session.open()


# What a developer writes and a listener should never have to read.
JARGON = re.compile(
    r"POST /|GET /|SPOTIFY_CLIENT_ID|aidj serve|`|AWS|credentials|prompt: |request_id|[0-9a-f]{24,}"
)


def visible_text(page) -> str:
    """The page's visible text, without closed <details> contents."""
    return page.evaluate("document.body.innerText")


def test_an_error_from_the_server_reads_as_a_sentence_with_details_behind_a_disclosure(page):
    answer = {
        "error": {
            "code": "internal_error",
            "message": "engine: KeyError 'tempo' in sequencing",
            "request_id": "0f3c9a1e8b7d4c2a9e6f5b4a3c2d1e0f",
        }
    }
    page.route(
        "**/playlist",
        lambda route: route.fulfill(
            status=500, content_type="application/json", body=json.dumps(answer)
        ),
    )
    page.fill("#prompt", "calm piano for studying")
    page.click("#generate")
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error.locator("p").first).to_have_text(
        "Something went wrong on our side. Try again in a moment."
    )
    assert not JARGON.search(visible_text(page)), visible_text(page)
    error.locator("summary").click()
    expect(error.locator("details")).to_contain_text("engine: KeyError 'tempo' in sequencing")
    expect(error.locator("details")).to_contain_text("Reference: 0f3c9a1e8b7d4c2a9e6f5b4a3c2d1e0f")


def test_a_lost_connection_says_what_to_do(page):
    page.route("**/playlist", lambda route: route.abort())
    page.fill("#prompt", "calm piano for studying")
    page.click("#generate")
    expect(page.locator("#error")).to_contain_text(
        "Could not reach AI DJ. Check your connection, then try again."
    )
    assert not JARGON.search(visible_text(page))


def test_a_normal_session_shows_no_developer_words(page):
    generate(page, "energetic music for working out")
    page.click(".options summary")
    assert not JARGON.search(visible_text(page)), visible_text(page)


def test_the_interpreter_choice_sits_under_advanced_options_with_a_plain_explanation(page):
    expect(page.locator("#interpreter")).to_be_hidden()
    page.click(".options summary")
    expect(page.locator("#interpreter")).to_be_visible()
    assert page.locator("#interpreter option").all_inner_texts() == [
        "Automatic",
        "Built-in rules",
        "AI language model",
    ]
    hint = page.locator("#interpreter-hint").inner_text()
    assert "work offline" in hint and "take over" in hint
    assert page.locator("#interpreter").get_attribute("aria-describedby") == "interpreter-hint"


def test_without_spotify_saving_the_page_never_suggests_connecting(browser, server_without_spotify):
    s = new_session(browser, server_without_spotify, viewport={"width": 1440, "height": 900})
    try:
        page = s.open()
        body = generate(page, "calm piano for studying")
        assert "Connect Spotify" in body["message"], "the API still mentions it; the page must not"
        expect(page.locator("#status")).to_have_text(
            f"Ready: {body['name']}, {body['tracks_count']} tracks."
        )
        assert "Connect Spotify" not in visible_text(page)
        assert not JARGON.search(visible_text(page)), visible_text(page)
    finally:
        finish(s)


def test_a_fallback_interpreter_is_explained_and_its_reason_kept_in_details(page):
    def handle(route) -> None:
        response = route.fetch()
        body = response.json()
        body["interpreter"] = {
            "name": "local",
            "requested": "bedrock",
            "fallback_reason": "no AWS credentials",
            "cached": False,
        }
        route.fulfill(response=response, body=json.dumps(body))

    page.route("**/playlist", handle)
    generate(page, "calm piano for studying")
    note = page.locator("#interpreter-note")
    expect(note).to_contain_text(
        "The AI language model was not available, so the built-in rules read your sentence."
    )
    assert "AWS" not in visible_text(page)
    note.locator("summary").click()
    expect(note.locator("details")).to_contain_text("no AWS credentials")


def test_with_spotify_saving_on_the_page_says_how_to_save_once_beside_the_playlist(page):
    generate(page, "calm piano for studying")
    expect(page.locator("#save-hint")).to_be_visible()
    expect(page.locator("#save-hint")).to_contain_text("Connect Spotify")
    # Said once: the status line repeating it is left to screen readers (1 px, clipped).
    expect(page.locator("#status")).to_contain_text("Connect Spotify to save it there.")
    box = page.locator("#status").bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1
