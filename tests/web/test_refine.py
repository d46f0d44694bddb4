"""Refining: a follow-up sentence adjusts the last parameters instead of starting over."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.pages import chip_text, chip_value, generate, is_create, refine, rows

pytestmark = pytest.mark.browser


def test_refine_sends_the_previous_parameters_as_base(page):
    first = generate(page, "calm acoustic music for reading")
    sent, _ = refine(page, "no rap")
    assert sent["prompt"] == "no rap"
    assert sent["base_parameters"] == first["parameters"]
    assert sent["user_id"]


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
    with page.expect_response(is_create) as info:
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
