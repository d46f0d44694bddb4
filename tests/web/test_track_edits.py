"""Per-track actions and versions: remove, swap, lock, more like this, move (keyboard and drag), undo,
rename, and one history entry per playlist with its versions."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.web.pages import generate, is_versions, open_menu, rows, track_ids

pytestmark = pytest.mark.browser

PROMPT = "party music that keeps building up, 12 songs"


def wait_for_change(page) -> None:
    expect(page.locator("#changes")).to_be_visible()


def act(page, index: int, action: str) -> None:
    """Pick ``action`` in the menu of the track at ``index`` and wait for the change to show."""
    open_menu(page, index).locator(f'[data-action="{action}"]').click()
    wait_for_change(page)


def test_remove_takes_out_one_track_and_says_so(screen):
    page = screen.open()
    body = generate(page, PROMPT)
    before = track_ids(page)
    act(page, 3, "remove")
    assert track_ids(page) == before[:3] + before[4:]
    expect(page.locator("#changes-text")).to_have_text(f"Removed “{body['tracks'][3]['name']}”.")
    expect(page.locator("#result-meta")).to_contain_text(f"{len(before) - 1} tracks")


def test_undo_brings_the_previous_version_back(screen):
    page = screen.open()
    generate(page, PROMPT)
    before = track_ids(page)
    act(page, 0, "remove")
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
    act(page, 1, "down")
    assert track_ids(page)[:3] == [before[0], before[2], before[1]]
    assert open_menu(page, 0).locator('[data-action="up"]').count() == 0, (
        "the first track cannot go higher"
    )


def test_a_locked_track_shows_it_and_cannot_be_removed_until_unlocked(screen):
    page = screen.open()
    generate(page, PROMPT)
    act(page, 2, "lock")
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
    expect(rows(page).first.locator('[data-action="menu"]')).to_have_attribute(
        "aria-expanded", "false"
    )


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
    act(page, 0, "remove")
    expect(page.locator("#result-title")).to_contain_text("11 songs")


def test_the_title_follows_the_number_of_tracks_in_any_packs_words(page):
    body = generate(page, "feestmuziek voor vanavond, 12 nummers")
    assert "12 nummers" in body["name"]
    act(page, 0, "remove")
    expect(page.locator("#result-title")).to_contain_text("11 nummers")


def test_an_edit_is_sent_to_the_versions_api_as_one_op(page):
    body = generate(page, PROMPT)
    with page.expect_request(is_versions) as request:
        open_menu(page, 4).locator('[data-action="remove"]').click()
    assert json.loads(request.value.post_data) == {
        "edits": [{"op": "remove", "track_id": body["tracks"][4]["id"]}]
    }
    assert request.value.url.endswith(f"/playlists/{body['playlist_id']}/versions")


def test_swap_puts_the_next_best_track_in_the_same_place(screen):
    page = screen.open()
    body = generate(page, PROMPT)
    before = track_ids(page)
    with page.expect_response(is_versions) as info:
        open_menu(page, 5).locator('[data-action="swap"]').click()
    after = info.value.json()
    wait_for_change(page)
    now = track_ids(page)
    assert now[5] not in before and now[:5] == before[:5] and now[6:] == before[6:]
    newcomer = next(t for t in after["tracks"] if t["id"] == now[5])
    expect(page.locator("#changes-text")).to_have_text(
        f"Swapped “{body['tracks'][5]['name']}” for “{newcomer['name']}”."
    )
    expect(rows(page).nth(5).locator(".new-badge")).to_have_text("New")


def test_more_like_this_adds_similar_tracks_right_after_it(page):
    generate(page, PROMPT)
    before = track_ids(page)
    with page.expect_response(is_versions) as info:
        open_menu(page, 2).locator('[data-action="more_like"]').click()
    added = info.value.json()["added"]
    wait_for_change(page)
    now = track_ids(page)
    assert len(now) == len(before) + len(added) and added
    assert now[3 : 3 + len(added)] == added
    expect(page.locator("#changes-text")).to_contain_text(f"Added {len(added)} tracks like")


def test_a_locked_track_survives_a_refine(page):
    generate(page, PROMPT)
    locked = track_ids(page)[0]
    act(page, 0, "lock")
    page.fill("#refine", "calm acoustic folk instead")
    with page.expect_response(is_versions) as info:
        page.click("#refine-button")
    answer = info.value.json()
    assert locked in [t["id"] for t in answer["tracks"]] and answer["locked"] == [locked]
    row = page.locator(f'#tracks tr.track[data-track-id="{locked}"]')
    expect(row.locator(".locked-badge")).to_be_visible()


def test_add_five_more_tracks_continues_the_playlist(page):
    generate(page, PROMPT)
    before = track_ids(page)
    with page.expect_response(lambda r: r.url.endswith("/extend")) as info:
        page.click("#extend")
    assert json.loads(info.value.request.post_data) == {"count": 5}
    wait_for_change(page)
    now = track_ids(page)
    assert len(now) == len(before) + 5 and len(set(now)) == len(now)
    expect(page.locator("#changes-text")).to_have_text("Added 5 tracks at the end.")


def test_versions_are_listed_and_an_older_one_can_be_viewed_and_restored(screen):
    page = screen.open()
    body = generate(page, PROMPT)
    first = track_ids(page)
    act(page, 0, "remove")
    rows(page).nth(1).locator('[data-action="grip"]').focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".version-item")).to_have_count(3)
    expect(page.locator(".version-item .v-cause")).to_have_text(
        [f"Moved “{body['tracks'][2]['name']}”", "Removed a track", "First version"]
    )
    page.locator('.version-item[data-version="1"]').click()
    expect(page.locator("#version-banner-text")).to_have_text(
        "You are looking at version 1 of 3. Restore it to keep editing from here."
    )
    assert track_ids(page) == first
    expect(page.locator("#refine-panel")).to_be_hidden()
    with page.expect_response(lambda r: r.url.endswith("/revert")) as info:
        page.click("#version-restore")
    assert info.value.json()["version"] == 4
    expect(page.locator("#version-banner")).to_be_hidden()
    assert track_ids(page) == first
    expect(page.locator(".version-item")).to_have_count(4)


def test_fresh_tracks_can_be_scheduled_and_stopped(page):
    body = generate(page, PROMPT)
    with page.expect_response(lambda r: r.url.endswith("/schedule")) as info:
        page.select_option("#schedule", "week")
    assert info.value.request.method == "PUT" and info.value.json()["schedule"]["every"] == "week"
    expect(page.locator("#status")).to_contain_text("fresh tracks every week")
    again = page.context.new_page()
    again.goto(f"{page.url.split('#')[0]}#playlist={body['playlist_id']}")
    expect(again.locator("#schedule")).to_have_value("week")
    with page.expect_response(lambda r: r.url.endswith("/schedule")) as info:
        page.select_option("#schedule", "")
    assert info.value.request.method == "DELETE" and info.value.json()["schedule"] is None


def test_undo_steps_back_one_change_at_a_time(page):
    generate(page, PROMPT)
    first = track_ids(page)
    act(page, 0, "remove")
    second = track_ids(page)
    open_menu(page, 0).locator('[data-action="remove"]').click()
    expect(rows(page)).to_have_count(len(first) - 2)
    page.click("#undo")
    expect(rows(page)).to_have_count(len(second))
    assert track_ids(page) == second
    expect(page.locator("#undo")).to_be_focused()
    page.click("#undo")
    expect(rows(page)).to_have_count(len(first))
    assert track_ids(page) == first
    expect(page.locator("#undo")).to_be_hidden()


def test_after_removing_from_the_keyboard_focus_lands_on_undo(page):
    generate(page, PROMPT)
    menu = open_menu(page, 1)
    menu.locator('[data-action="remove"]').focus()
    page.keyboard.press("Enter")
    wait_for_change(page)
    expect(page.locator("#undo")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text("Undone.")
