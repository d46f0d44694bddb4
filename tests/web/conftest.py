"""Browser fixtures: the real ``aidj serve`` on 127.0.0.1 and Debian's headless Chromium via Playwright.

No browser is ever downloaded: Playwright drives the system ``chromium`` (apt). Every request the page
makes to a host other than 127.0.0.1 is aborted and recorded, and a test that caused one fails, so the
page provably loads nothing external and tests never reach Spotify.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from aidj_service.edge.serve_process import free_port, terminate

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

try:
    import playwright  # noqa: F401
except ImportError:  # the dev group installs it; without it there is nothing here to run
    collect_ignore_glob = ["test_*.py"]
TEST_CLIENT_ID = "aidj-web-test-client"
START_TIMEOUT_S = 120.0


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(
    tmp: Path, catalog_path: Path, cache_dir: Path, extra_env: dict[str, str]
) -> Server:
    port = free_port()
    log_path = tmp / "server.log"
    env = {
        **os.environ,
        "AIDJ_CATALOG": str(catalog_path),
        "AIDJ_CACHE_DIR": str(cache_dir),
        "AIDJ_DB_PATH": str(tmp / "history.sqlite3"),
        "AIDJ_HISTORY": "sqlite",
        "AIDJ_INTERPRETER": "local",
        "AIDJ_LOCAL_MODE": "true",
        "AIDJ_RATE_LIMIT_PER_MINUTE": "0",
        **extra_env,
    }
    if "SPOTIFY_CLIENT_ID" not in extra_env:
        env.pop("SPOTIFY_CLIENT_ID", None)
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aidj_service.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp,
    )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"aidj serve exited with {process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.25)
    stop_server(server)
    raise RuntimeError(
        f"aidj serve did not answer /health within {START_TIMEOUT_S:.0f} s:\n{server.log()}"
    )


def stop_server(server: Server) -> None:
    terminate(server.process, timeout_s=10)


@pytest.fixture(scope="session")
def unreachable_spotify_api() -> str:
    # A port nothing listens on: a token sent by the page makes the server fail fast, locally.
    return f"http://127.0.0.1:{free_port()}/v1"


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory,
    catalog_path: Path,
    catalog_cache_dir: Path,
    unreachable_spotify_api: str,
) -> Iterator[Server]:
    """The real service with a Spotify client id configured (PKCE sign-in enabled on the page)."""
    tmp = tmp_path_factory.mktemp("aidj-serve")
    srv = start_server(
        tmp,
        catalog_path,
        catalog_cache_dir,
        {"SPOTIFY_CLIENT_ID": TEST_CLIENT_ID, "SPOTIFY_API_URL": unreachable_spotify_api},
    )
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def server_without_spotify(
    tmp_path_factory: pytest.TempPathFactory, catalog_path: Path, catalog_cache_dir: Path
) -> Iterator[Server]:
    """The real service with no Spotify client id: the page must still do everything but sign-in."""
    tmp = tmp_path_factory.mktemp("aidj-serve-nospotify")
    srv = start_server(tmp, catalog_path, catalog_cache_dir, {})
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip(
            "chromium is not installed: apt-get install -y chromium (the browser tests drive Debian's Chromium)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="playwright is not installed: run the tests with `uv run pytest` (it installs the dev group)",
    )
    sync_api.expect.set_options(timeout=15_000)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@dataclass
class Session:
    """One browser context on one server, with what it tried to fetch from elsewhere."""

    server: Server
    context: object
    external: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    name: str = ""

    def open(self, path: str = "/"):
        page = self.context.new_page()
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.goto(self.server.url + path)
        page.wait_for_selector("html[data-ready=true]")
        return page


def _guard(record: list[str]):
    def handle(route) -> None:
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.fallback()
        else:
            record.append(route.request.url)
            route.abort()

    return handle


def new_session(browser, server: Server, **context_args) -> Session:
    context = browser.new_context(accept_downloads=True, **context_args)
    context.set_default_timeout(15_000)
    session = Session(server, context)
    # Registered first, so routes a test adds later (a fake Spotify sign-in) take precedence.
    context.route("**/*", _guard(session.external))
    return session


def finish(session: Session) -> None:
    session.context.close()
    assert session.external == [], (
        f"the page tried to reach hosts other than 127.0.0.1: {session.external}"
    )
    assert session.page_errors == [], f"uncaught errors in the page: {session.page_errors}"


DESKTOP = {"viewport": {"width": 1440, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
# The sizes issue 12 names (a 1440x900 laptop, a 390x844 phone), each in both colour schemes.
SCREENS = {
    "desktop-light": {**DESKTOP, "color_scheme": "light"},
    "desktop-dark": {**DESKTOP, "color_scheme": "dark"},
    "phone-light": {**PHONE, "color_scheme": "light"},
    "phone-dark": {**PHONE, "color_scheme": "dark"},
}


@pytest.fixture
def session(browser, server: Server) -> Iterator[Session]:
    s = new_session(browser, server, **DESKTOP)
    yield s
    finish(s)


@pytest.fixture(params=list(SCREENS))
def screen(request, browser, server: Server) -> Iterator[Session]:
    """One flow at 1440x900 and 390x844, each in light and dark mode."""
    s = new_session(browser, server, **SCREENS[request.param])
    s.name = request.param
    yield s
    finish(s)


@pytest.fixture
def page(session: Session):
    return session.open()


@pytest.fixture(params=["desktop-light", "phone-dark"])
def sized_session(request, browser, server: Server) -> Iterator[Session]:
    """A flow once on the laptop in light mode and once on the phone in dark mode: both sizes and
    both schemes, at half the cost of all four combinations (the main flows run all four)."""
    s = new_session(browser, server, **SCREENS[request.param])
    s.name = request.param
    yield s
    finish(s)


@pytest.fixture
def phone_session(browser, server: Server) -> Iterator[Session]:
    s = new_session(browser, server, **PHONE)
    yield s
    finish(s)
