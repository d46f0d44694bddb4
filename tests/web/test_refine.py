"""Refining: a follow-up sentence makes the next version of the same playlist, changing only what it must."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.pages import chip_text, chip_value, generate, is_versions, refine, rows, track_ids

pytestmark = pytest.mark.browser


@pytest.fixture
def page(sized_session):
    """These flows at both sizes, in both colour schemes (see conftest.sized_session)."""
    return sized_session.open()


def test_refine_makes_the_next_version_of_the_same_playlist(page):
    first = generate(page, "calm acoustic music for reading")
    sent, after = refine(page, "no rap")
    assert sent["prompt"] == "no rap"
    assert after["playlist_id"] == first["playlist_id"]
    assert after["version"] == 2
    expect(page.locator("#result-title")).to_have_text(first["name"])


def test_more_upbeat_keeps_the_tracks_that_already_fit_and_says_what_changed(page):
    first = generate(page, "calm acoustic music for reading")
    _, after = refine(page, "more upbeat")
    kept = set(t["id"] for t in first["tracks"]) & set(t["id"] for t in after["tracks"])
    assert kept, "a refine changes only what it must"
    added, removed = len(after["added"]), len(after["removed"])
    expect(page.locator("#changes-text")).to_have_text(
        f"Changed for “more upbeat”: {added} new, {removed} taken out, {len(after['tracks']) - added} kept."
    )
    new_rows = page.locator("#tracks tr.track.is-new")
    expect(new_rows).to_have_count(added)
    assert sorted(new_rows.evaluate_all("rows => rows.map(r => r.dataset.trackId)")) == sorted(
        after["added"]
    )


def test_more_upbeat_raises_the_energy_chip(page):
    generate(page, "calm acoustic music for reading")
    before = float(chip_value(page, "energy"))
    _, after = refine(page, "more upbeat")
    assert after["parameters"]["energy"] > before
    assert float(chip_value(page, "energy")) == after["parameters"]["energy"]
    assert chip_text(page, "energy") == f"Energy: {round(after['parameters']['energy'] * 100)}%"


def test_shorter_gives_fewer_rows(page):
    first = generate(page, "calm acoustic music for reading")
    _, after = refine(page, "shorter")
    assert 0 < after["tracks_count"] < first["tracks_count"]
    assert rows(page).count() == after["tracks_count"]
    assert chip_text(page, "limit") == f"Length: {after['tracks_count']} tracks"


def test_an_exclusion_appears_as_an_exclusion_chip(page):
    generate(page, "upbeat music for a party")
    _, after = refine(page, "no rap")
    assert after["parameters"]["exclude_genres"]
    chip = page.locator('#params [data-param="exclude_genres"]')
    assert "exclude" in chip.get_attribute("class")
    assert chip_text(page, "exclude_genres").startswith("No:")


def test_refinement_chips_refine_with_one_click(page):
    generate(page, "calm acoustic music for reading")
    with page.expect_response(is_versions) as info:
        page.click(".refine-example[data-prompt='build up the energy']")
    assert info.value.json()["parameters"]["arc"] == "build_up"
    expect(page.locator('#params [data-param="arc"]')).to_contain_text("builds up")


def test_the_track_count_option_does_not_pin_refinements(page):
    page.click(".options summary")
    page.fill("#limit", "12")
    generate(page, "calm acoustic music for reading")
    sent, after = refine(page, "shorter")
    assert "limit" not in sent
    assert after["tracks_count"] < 12


def test_undo_after_a_refine_goes_back_to_the_tracks_before(page):
    generate(page, "calm acoustic music for reading")
    before = track_ids(page)
    refine(page, "more upbeat")
    assert track_ids(page) != before
    with page.expect_response(lambda r: r.url.endswith("/revert")) as info:
        page.click("#undo")
    assert info.value.json()["version"] == 3, "an undo is a new version, so nothing is lost"
    expect(page.locator("#status")).to_have_text("Undone.")
    assert track_ids(page) == before


def test_an_empty_refinement_is_explained_beside_the_refine_box_without_a_request(page):
    generate(page, "calm acoustic music for reading")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.fill("#refine", "   ")
    page.click("#refine-button")
    error = page.locator("#refine-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Say what to change")
    assert sent == []
    assert rows(page).count() > 0, "the playlist on screen stays"
