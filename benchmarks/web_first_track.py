"""Click to first track visible on the web page, for the shared dev prompts, on a local ``aidj serve``.

    uv run python benchmarks/web_first_track.py                 # every dev prompt, 1440x900
    uv run python benchmarks/web_first_track.py --rounds 3 --phone

Starts ``aidj serve`` (local interpreter, SQLite history in a temp folder) and Debian's Chromium
(Playwright, /usr/bin/chromium), warms both with two playlists, then for each prompt of
../shared/eval/dev_prompts.jsonl types it and clicks Generate. The time is measured inside the page:
from the click event to the first animation frame after the new track rows are in the table and the
first row is inside the viewport (what a person sees). Network, server, JSON and rendering are all in
it. Prints one JSON object; the target is a median under 300 ms. Exit status 1 if any prompt failed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from aidj_service.edge.serve_process import ServeProcess

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

DEV_PROMPTS = REPO.parent / "shared" / "eval" / "dev_prompts.jsonl"
CHROMIUM = "/usr/bin/chromium"
TARGET_MS = 300.0

# Armed before each click: resolves with ms from the click to the first frame showing the new first row.
ARM = """() => {
  const body = document.querySelector('#tracks tbody');
  window.__firstTrack = new Promise((resolve) => {
    let t0 = null;
    document.querySelector('#generate').addEventListener('click', () => { t0 = performance.now(); }, { capture: true, once: true });
    const seen = new MutationObserver(() => {
      const row = body.querySelector('tr.track');
      if (t0 === null || !row) return;
      seen.disconnect();
      requestAnimationFrame(() => {
        const box = row.getBoundingClientRect();
        resolve({ ms: performance.now() - t0, inView: box.top >= 0 && box.top < innerHeight });
      });
    });
    seen.observe(body, { childList: true });
  });
}"""


def prompts() -> list[str]:
    with DEV_PROMPTS.open(encoding="utf-8") as lines:
        return [json.loads(line)["prompt"] for line in lines if line.strip()]


def measure(page, prompt: str) -> dict:
    page.fill("#prompt", prompt)
    page.evaluate(ARM)
    page.click("#generate")
    result = page.evaluate("window.__firstTrack")
    page.wait_for_function("() => !document.querySelector('#generate').disabled")
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=1, help="times through the dev prompts")
    ap.add_argument("--phone", action="store_true", help="390x844 instead of 1440x900")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="aidj-web-bench-"))
    env = {
        "AIDJ_DB_PATH": str(folder / "history.sqlite3"),
        "AIDJ_HISTORY": "sqlite",
        "AIDJ_INTERPRETER": "local",
        "AIDJ_LOCAL_MODE": "true",
        "AIDJ_RATE_LIMIT_PER_MINUTE": "0",
    }
    viewport = {"width": 390, "height": 844} if args.phone else {"width": 1440, "height": 900}
    samples: list[float] = []
    failures: list[str] = []
    not_in_view = 0
    with ServeProcess(env, folder / "server.log", startup_s=180) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport=viewport)
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(server.url) else route.abort()
            ),
        )
        page = context.new_page()
        page.goto(server.url + "/")
        page.wait_for_selector("html[data-ready=true]")
        for warm in ("warm up the engine", "calm piano"):
            measure(page, warm)
        started = time.monotonic()
        for _ in range(args.rounds):
            for prompt in prompts():
                try:
                    result = measure(page, prompt)
                except Exception as exc:
                    failures.append(f"{prompt}: {exc}")
                    continue
                samples.append(result["ms"])
                not_in_view += 0 if result["inView"] else 1
        elapsed = time.monotonic() - started
        browser.close()
    if not samples:
        print(json.dumps({"error": "no prompt produced a track", "failures": failures}))
        return 1
    ordered = sorted(samples)
    report = {
        "viewport": f"{viewport['width']}x{viewport['height']}",
        "prompts": len(samples),
        "median_ms": round(statistics.median(samples), 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
        "min_ms": round(ordered[0], 1),
        "first_row_not_in_view": not_in_view,
        "target_median_ms": TARGET_MS,
        "meets_target": statistics.median(samples) < TARGET_MS,
        "wall_s": round(elapsed, 1),
        "failures": failures,
    }
    print(json.dumps(report, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
