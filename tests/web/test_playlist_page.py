"""Making a playlist on the web page: prompt in, parameters, arc chart and track table out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.pages import chip_text, chip_value, generate, open_downloads, open_menu, rows

pytestmark = pytest.mark.browser

SPOTIFY_TRACK = re.compile(r"^https://open\.spotify\.com/track/[A-Za-z0-9]+$")


def test_page_loads_only_from_its_own_server(session):
    requested: list[str] = []
    session.context.on("request", lambda request: requested.append(request.url))
    page = session.open()
    assert page.title().startswith("AI DJ")
    assert requested, "the page made no requests at all"
    assert all(url.startswith(session.server.url) for url in requested), requested


def test_the_page_obeys_its_own_content_security_policy(session):
    page = session.context.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(session.server.url + "/")
    page.wait_for_selector("html[data-ready=true]")
    generate(page, "energetic music for working out")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate("window.__csp") == []


def test_a_prompt_becomes_a_table_of_tracks_in_play_order(page):
    body = generate(page, "energetic music for working out")
    assert rows(page).count() == len(body["tracks"]) > 0
    first = rows(page).first
    track = body["tracks"][0]
    assert first.locator(".name").inner_text().startswith(track["name"])
    assert first.locator(".artist").inner_text() == ", ".join(track["artists"])
    assert first.locator(".bpm").inner_text().strip() == str(round(track["tempo"]))
    assert first.locator(".camelot").inner_text().strip() == track["camelot"]
    assert first.locator(".why").inner_text().strip() == track["reason"]
    minutes, seconds = divmod(round(track["duration_ms"] / 1000), 60)
    assert first.locator(".length").inner_text().strip() == f"{minutes}:{seconds:02d}"


def test_every_track_links_to_its_spotify_page(page):
    body = generate(page, "música tranquila para dormir")
    for i in (0, len(body["tracks"]) - 1):
        link = open_menu(page, i).locator("a.open")
        href = link.get_attribute("href")
        assert SPOTIFY_TRACK.match(href) and href.endswith(body["tracks"][i]["id"])
        assert link.get_attribute("rel") == "noopener noreferrer"
        page.keyboard.press("Escape")


def test_interpreted_parameters_show_as_readable_chips(page):
    body = generate(page, "15 songs of punk rock, no explicit lyrics")
    params = body["parameters"]
    assert params["limit"] == 15
    assert chip_text(page, "limit") == "Length: 15 tracks"
    assert "punk" in chip_text(page, "genres").lower()
    assert chip_text(page, "explicit") == "Lyrics: clean only"
    if params["energy"] is not None:
        assert chip_value(page, "energy") == str(params["energy"])
        assert chip_text(page, "energy") == f"Energy: {round(params['energy'] * 100)}%"


def test_the_arc_chart_draws_energy_and_tempo_for_every_track(page):
    body = generate(page, "party music that keeps building up")
    svg = page.locator("#chart svg")
    assert svg.get_attribute("role") == "img"
    title_id, desc_id = svg.get_attribute("aria-labelledby").split()
    assert page.locator(f"#{title_id}").text_content() == "Energy and tempo across the playlist"
    assert f"{len(body['tracks'])} tracks" in page.locator(f"#{desc_id}").text_content()
    for series in ("energy", "tempo"):
        d = svg.locator(f'path[data-series="{series}"]').get_attribute("d")
        assert d.startswith("M") and d.count("L") == len(body["tracks"]) - 1
    assert svg.locator("circle.dot-energy, circle.dot-tempo").count() == 2 * len(body["tracks"])


def test_the_chart_rises_with_energy(page):
    body = generate(page, "party music that keeps building up")
    points = page.eval_on_selector(
        '#chart path[data-series="energy"]',
        "p => p.getAttribute('d').slice(1).split(' L').map(s => s.split(' ').map(Number))",
    )
    energies = [t["energy"] for t in body["tracks"]]
    # SVG y grows downwards: a more energetic track sits higher, i.e. at a smaller y.
    highest = min(range(len(points)), key=lambda i: points[i][1])
    assert energies[highest] >= max(energies) - 0.01  # path coordinates are rounded to 0.1 px
    assert [p[0] for p in points] == sorted(p[0] for p in points)


def test_generate_shows_a_busy_state_until_the_answer_arrives(page):
    held = []
    page.route("**/playlist", lambda route: held.append(route))
    page.fill("#prompt", "jazz for a sunday morning")
    page.click("#generate")
    button = page.locator("#generate")
    page.wait_for_function("() => document.querySelector('#generate').disabled")
    assert button.get_attribute("aria-busy") == "true"
    assert button.inner_text().strip() == "Mixing…"
    assert page.locator(".example").first.is_disabled()
    assert page.locator("#status").inner_text() != ""
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_selector("#tracks tbody tr")
    page.wait_for_function("() => !document.querySelector('#generate').disabled")
    assert button.get_attribute("aria-busy") == "false"
    assert button.inner_text().strip() == "Generate"


def test_an_example_chip_fills_the_prompt_and_generates(page):
    chip = page.locator(".example[lang=es]")
    with page.expect_response(lambda r: r.url.endswith("/playlist")) as info:
        chip.click()
    assert info.value.status == 200
    assert page.locator("#prompt").input_value() == chip.get_attribute("data-prompt")
    page.wait_for_selector("#tracks tbody tr")


def test_the_track_count_option_is_sent_as_limit(page):
    page.click(".options summary")
    page.fill("#limit", "7")
    body = generate(page, "indie rock for a road trip")
    assert body["tracks_count"] == 7
    assert rows(page).count() == 7


def test_the_interpreter_option_is_sent_and_reported(page):
    page.click(".options summary")
    page.select_option("#interpreter", "local")
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/playlist")
    ) as request:
        body = generate(page, "quiet jazz for a rainy evening")
    assert json.loads(request.value.post_data)["interpreter"] == "local"
    assert body["interpreter"]["name"] == "local"
    expect(page.locator("#interpreter-note")).to_have_text("Read by the built-in rules.")


@pytest.mark.parametrize(
    ("fmt", "starts_with"), [("m3u8", b"#EXTM3U"), ("xspf", b"<?xml"), ("json", b"{")]
)
def test_exports_download_as_files(page, fmt, starts_with):
    body = generate(page, "90s hip hop classics")
    open_downloads(page)
    link = page.locator(f"#download-{fmt}")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(f".{fmt}")
    content = Path(download.path()).read_bytes()
    assert content.lstrip(b"\xef\xbb\xbf").startswith(starts_with)
    if fmt == "m3u8":
        assert body["tracks"][0]["name"].encode() in content


def test_an_empty_prompt_is_explained_without_asking_the_server(page):
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.fill("#prompt", "   ")
    page.click("#generate")
    error = page.locator("#error")
    expect(error).to_be_visible()
    assert "Type what you would like to hear" in error.inner_text()
    assert error.get_attribute("role") == "alert"
    assert sent == []
    expect(page.locator("#prompt")).to_be_focused()
    assert page.locator("#result").is_hidden()


def test_an_unknown_playlist_link_shows_a_plain_sentence_with_details_behind_a_disclosure(session):
    page = session.open("/#playlist=00000000-0000-4000-8000-000000000000")
    error = page.locator("#error")
    error.wait_for(state="visible")
    assert "Could not open that playlist" in error.inner_text()
    assert "That playlist is not here any more" in error.inner_text()
    details = error.locator("details")
    expect(details.locator("p").first).to_be_hidden()
    details.locator("summary").click()
    assert "no playlist with this id" in details.inner_text()
    assert "Reference:" in details.inner_text()
    assert "{" not in error.inner_text()


def test_a_share_link_reopens_the_playlist(session):
    page = session.open()
    body = generate(page, "calm piano for studying")
    assert page.url.endswith(f"#playlist={body['playlist_id']}")
    other = session.open(f"/#playlist={body['playlist_id']}")
    other.wait_for_selector("#tracks tbody tr")
    assert other.locator("#result-title").inner_text() == body["name"]
    assert rows(other).count() == body["tracks_count"]


def test_the_download_list_closes_with_escape_or_a_click_elsewhere(page):
    generate(page, "calm piano for studying")
    open_downloads(page)
    expect(page.locator("#download-m3u8")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#download-m3u8")).to_be_hidden()
    expect(page.locator("#downloads summary")).to_be_focused()
    open_downloads(page)
    page.click("#result-title")
    expect(page.locator("#download-m3u8")).to_be_hidden()
