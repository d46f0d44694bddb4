"""Per-track actions and versions: remove, swap, lock, more like this, move (keyboard and drag), undo,
rename, and one history entry per playlist with its versions."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.pages import generate, open_menu, rows, track_ids

pytestmark = pytest.mark.browser

PROMPT = "party music that keeps building up, 12 songs"


def wait_for_change(page) -> None:
    expect(page.locator("#changes")).to_be_visible()


def test_remove_takes_out_one_track_and_says_so(screen):
    page = screen.open()
    body = generate(page, PROMPT)
    before = track_ids(page)
    open_menu(page, 3).locator('[data-action="remove"]').click()
    wait_for_change(page)
    assert track_ids(page) == before[:3] + before[4:]
    expect(page.locator("#changes-text")).to_have_text(f"Removed “{body['tracks'][3]['name']}”.")
    expect(page.locator("#result-meta")).to_contain_text(f"{len(before) - 1} tracks")


def test_undo_brings_the_previous_version_back(screen):
    page = screen.open()
    generate(page, PROMPT)
    before = track_ids(page)
    open_menu(page, 0).locator('[data-action="remove"]').click()
    wait_for_change(page)
    page.click("#undo")
    expect(page.locator("#status")).to_have_text("Undone.")
    assert track_ids(page) == before


def test_the_arrow_keys_on_a_handle_move_a_track(screen):
    page = screen.open()
    generate(page, PROMPT)
    before = track_ids(page)
    rows(page).nth(2).locator('[data-action="grip"]').focus()
    page.keyboard.press("ArrowUp")
    wait_for_change(page)
    assert track_ids(page)[:3] == [before[0], before[2], before[1]]
    # Focus stays on the moved track's handle, so pressing again keeps moving it.
    focused = page.evaluate("document.activeElement.closest('tr').dataset.trackId")
    assert focused == before[2]
    expect(page.locator("#status")).to_contain_text("to position 2.")
    page.keyboard.press("ArrowUp")
    expect(rows(page).first).to_have_attribute("data-track-id", before[2])


def test_a_track_can_be_dragged_to_a_new_place(page):
    generate(page, PROMPT)
    before = track_ids(page)
    grip = rows(page).nth(0).locator('[data-action="grip"]').bounding_box()
    target = rows(page).nth(3).bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + 30, steps=4)
    page.mouse.move(grip["x"] + grip["width"] / 2, target["y"] + target["height"] * 0.75, steps=6)
    page.mouse.up()
    wait_for_change(page)
    assert track_ids(page)[:4] == [before[1], before[2], before[3], before[0]]


def test_move_up_and_down_from_the_menu(page):
    generate(page, PROMPT)
    before = track_ids(page)
    open_menu(page, 1).locator('[data-action="down"]').click()
    wait_for_change(page)
    assert track_ids(page)[:3] == [before[0], before[2], before[1]]
    assert open_menu(page, 0).locator('[data-action="up"]').count() == 0, "the first track cannot go higher"


def test_a_locked_track_shows_it_and_cannot_be_removed_until_unlocked(screen):
    page = screen.open()
    generate(page, PROMPT)
    open_menu(page, 2).locator('[data-action="lock"]').click()
    wait_for_change(page)
    row = rows(page).nth(2)
    expect(row.locator(".locked-badge")).to_have_text("Locked")
    menu = open_menu(page, 2)
    assert menu.locator('[data-action="remove"]').count() == 0
    menu.locator('[data-action="unlock"]').click()
    expect(rows(page).nth(2).locator(".locked-badge")).to_have_count(0)


def test_the_menu_closes_with_escape_and_focus_returns_to_its_button(page):
    generate(page, PROMPT)
    menu = open_menu(page, 0)
    expect(menu.locator(".menu-item").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    expect(rows(page).first.locator('[data-action="menu"]')).to_be_focused()
    expect(rows(page).first.locator('[data-action="menu"]')).to_have_attribute("aria-expanded", "false")


def test_rename_changes_the_title_and_the_history_entry(screen):
    page = screen.open()
    body = generate(page, PROMPT)
    page.click("#rename")
    page.fill("#rename-input", "Friday warm-up")
    page.keyboard.press("Enter")
    expect(page.locator("#result-title")).to_have_text("Friday warm-up")
    item = page.locator(f'.history-item[data-playlist-id="{body["playlist_id"]}"] .h-name')
    expect(item).to_have_text("Friday warm-up")
    again = screen.open(f"/#playlist={body['playlist_id']}")
    expect(again.locator("#result-title")).to_have_text("Friday warm-up")


def test_the_title_follows_the_number_of_tracks(page):
    body = generate(page, PROMPT)
    assert "12 songs" in body["name"]
    open_menu(page, 0).locator('[data-action="remove"]').click()
    wait_for_change(page)
    expect(page.locator("#result-title")).to_contain_text("11 songs")
