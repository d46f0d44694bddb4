"""Screenshots of the web page's main states for docs/WEB.md, from a real local ``aidj serve``.

    uv run --with pillow python docs/screenshots/capture.py

Nothing reaches the internet: Spotify's embed player is answered inside Chromium with a stand-in.
With Pillow available the PNGs are reduced to a 128-colour palette (about a fifth of the size).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from aidj_service.edge.serve_process import ServeProcess

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

DESKTOP = {"viewport": {"width": 1440, "height": 900}, "device_scale_factor": 1}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
PLAYER = (
    "<!doctype html><html lang=en><body style='margin:0;font:14px system-ui;background:#282828;color:#fff;"
    "display:flex;align-items:center;height:80px;padding:0 16px'>Spotify player (stand-in: no network in screenshots)</body></html>"
)


def shrink(path: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    image = Image.open(path).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="aidj-shots-"))
    env = {
        "AIDJ_DB_PATH": str(folder / "h.sqlite3"),
        "AIDJ_HISTORY": "sqlite",
        "AIDJ_INTERPRETER": "local",
        "AIDJ_LOCAL_MODE": "true",
        "AIDJ_RATE_LIMIT_PER_MINUTE": "0",
        "SPOTIFY_CLIENT_ID": "screenshots",
    }
    shots: list[Path] = []
    with ServeProcess(env, folder / "server.log", startup_s=180) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])

        def page_for(device: dict, scheme: str):
            context = browser.new_context(color_scheme=scheme, **device)
            context.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith(server.url) else r.abort(),
            )
            context.route(
                "https://open.spotify.com/embed/**",
                lambda r: r.fulfill(status=200, content_type="text/html", body=PLAYER),
            )
            page = context.new_page()
            page.goto(server.url + "/")
            page.wait_for_selector("html[data-ready=true]")
            return page

        def generate(page, prompt: str) -> None:
            page.fill("#prompt", prompt)
            page.click("#generate")
            page.wait_for_selector("#tracks tbody tr.track")
            page.wait_for_function("() => !document.querySelector('#generate').disabled")

        def shot(page, name: str, full: bool = False) -> None:
            page.wait_for_timeout(250)
            path = HERE / f"{name}.png"
            page.screenshot(path=str(path), full_page=full)
            shots.append(path)

        page = page_for(DESKTOP, "light")
        shot(page, "start-desktop-light")
        generate(page, "energetic music for working out")
        shot(page, "playlist-desktop-light")
        page.locator("#tracks tr.track").nth(0).locator("[data-action=preview]").click()
        page.locator("#tracks tr.track").nth(1).locator("[data-action=menu]").click()
        page.evaluate(
            "window.scrollTo(0, document.querySelector('#result').getBoundingClientRect().top + scrollY - 8)"
        )
        shot(page, "preview-and-menu-desktop-light")

        page = page_for(DESKTOP, "dark")
        generate(page, "k-pop from the 70s")  # the catalog knows no 1970s K-pop: a real notice
        page.locator("#tracks tr.track").nth(2).locator("[data-action=menu]").click()
        page.click(".track-menu [data-action=lock]")
        page.wait_for_selector("#changes:not([hidden])")
        page.fill("#refine", "more upbeat")
        page.click("#refine-button")
        page.wait_for_function(
            "() => document.querySelector('#changes-text').textContent.startsWith('Changed')"
        )
        page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        shot(page, "refined-with-notice-desktop-dark")
        page.locator(".side").screenshot(path=str(HERE / "side-panels-desktop-dark.png"))
        shots.append(HERE / "side-panels-desktop-dark.png")

        page = page_for(PHONE, "light")
        generate(page, "música tranquila para dormir")
        shot(page, "playlist-phone-light")
        page = page_for(PHONE, "dark")
        generate(page, "Partymusik zum Tanzen, immer schneller")
        page.locator("#tracks tr.track").nth(0).locator("[data-action=menu]").click()
        shot(page, "menu-phone-dark")
        page.keyboard.press("Escape")
        page.locator("#shape").scroll_into_view_if_needed()
        shot(page, "shape-and-refine-phone-dark")
        browser.close()
    for path in shots:
        shrink(path)
        print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
