"""On a deployed server, the page that made a playlist without a sign-in may change it; another may not.

The server shows the edit key once; the page keeps it (``edit-keys.js``) and sends it as
``Edit-Key`` on that playlist's changes. A stranger's browser, with only the share link, is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, Server, finish, new_session, start_server, stop_server
from tests.web.pages import generate, is_versions, refine

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def deployed_server(
    tmp_path_factory: pytest.TempPathFactory, catalog_path: Path, catalog_cache_dir: Path
) -> Iterator[Server]:
    """``aidj serve`` in deployed mode: no user_id is trusted, a sign-in-less caller is anonymous."""
    tmp = tmp_path_factory.mktemp("aidj-serve-deployed")
    srv = start_server(tmp, catalog_path, catalog_cache_dir, {"AIDJ_LOCAL_MODE": "false"})
    yield srv
    stop_server(srv)


def test_the_maker_refines_and_a_stranger_with_the_link_cannot(browser, deployed_server) -> None:
    maker = new_session(browser, deployed_server, **DESKTOP)
    stranger = new_session(browser, deployed_server, **DESKTOP)
    try:
        page = maker.open()
        made = generate(page, "calm acoustic music for reading")
        assert made["edit_key"]
        _, after = refine(page, "more upbeat")
        assert after["version"] == 2

        other = stranger.open(f"/#playlist={made['playlist_id']}")
        expect(other.locator("#result-title")).to_have_text(made["name"])
        other.fill("#refine", "no rap")
        with other.expect_response(is_versions) as info:
            other.click("#refine-button")
        assert info.value.status == 401
        assert info.value.json()["error"]["code"] == "edit_key_required"
        expect(other.locator("#refine-error")).to_contain_text(
            "Only the person who made this playlist can change it"
        )
    finally:
        finish(maker)
        finish(stranger)
