"""`aidj deliver PLAYLIST_ID --to PLATFORM` on the local history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aidj_service.cli.deliver import request_body, summary
from aidj_service.cli.usage import UsageError
from aidj_service.stores.sqlite import SQLiteHistoryStore
from tests.conftest import CATALOG_114K, REPO
from tests.support.fake_subsonic import PASSWORD, USER, FakeSubsonic

from .test_deliver_route import stored


def aidj(db: Path, extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AIDJ_CATALOG": str(CATALOG_114K),
        "AIDJ_DB_PATH": str(db),
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "-m", "aidj_service.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env=env,
    )


class StoreOnly:
    """What :func:`stored` needs of an Api: its store."""

    def __init__(self, store: SQLiteHistoryStore) -> None:
        self.store = store


def test_the_cli_delivers_a_stored_playlist_once_and_says_what_was_left_out(tmp_path: Path):
    db = tmp_path / "history.sqlite3"
    store = SQLiteHistoryStore(db)
    playlist_id = stored(StoreOnly(store))  # type: ignore[arg-type]
    store.close()
    with FakeSubsonic() as fake:
        env = {
            "AIDJ_SUBSONIC_URL": fake.url,
            "AIDJ_SUBSONIC_USER": USER,
            "AIDJ_SUBSONIC_PASSWORD": PASSWORD,
        }
        first = aidj(db, env, "deliver", playlist_id, "--to", "subsonic")
        again = aidj(db, env, "deliver", playlist_id, "--to", "subsonic", "--format", "json")
        assert len(fake.playlists) == 1
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("17 of 20 tracks delivered to subsonic: ")
    assert (
        "left out: Hallelujah - Leonard Cohen: Subsonic only has this title by another artist: "
        "“Hallelujah” by Jeff Buckley."
    ) in first.stdout
    assert json.loads(again.stdout)["matched"] == 17


def test_a_platform_the_service_is_not_set_up_for_fails_with_one_line(tmp_path: Path):
    result = aidj(tmp_path / "h.sqlite3", {}, "deliver", "x", "--to", "nowhere")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_a_missing_sign_in_names_the_variable_to_set():
    with pytest.raises(UsageError, match="set GOOGLE_ACCESS_TOKEN"):
        request_body("youtube_music", None, {})


def test_the_sign_in_comes_from_the_environment():
    assert request_body("apple_music", 2, {"AIDJ_APPLE_MUSIC_USER_TOKEN": "t"}) == {
        "platform": "apple_music",
        "version": 2,
        "music_user_token": "t",
    }


def test_the_summary_shows_the_url_and_the_quota_used():
    text = summary(
        {
            "platform": "youtube_music",
            "url": "https://music.youtube.com/playlist?list=PL1",
            "matched": 1,
            "unmatched": [],
            "usage": {"quota_units": 302},
        }
    )
    assert text == (
        "1 of 1 tracks delivered to youtube_music: https://music.youtube.com/playlist?list=PL1\n"
        "  cost: quota_units 302"
    )
