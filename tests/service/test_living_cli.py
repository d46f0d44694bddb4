"""`aidj refresh`, `aidj versions`, `aidj edit`, `aidj extend`, `aidj revert` on the local history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from aidj_service.stores.history import PlaylistRecord
from tests.conftest import CATALOG_114K, REPO
from tests.service.conftest import call


def aidj(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AIDJ_CATALOG": str(CATALOG_114K), "AIDJ_DB_PATH": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "aidj_service.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env=env,
    )


def test_the_cli_changes_and_refreshes_local_playlists(make_api, tmp_path: Path) -> None:
    api = make_api()
    db = tmp_path / "history.sqlite3"
    body = call(api, "POST", "/playlist", {"prompt": "jazz for dinner, 8 tracks"}).json_body()
    pid, first = body["playlist_id"], body["tracks"][0]["id"]

    locked = aidj(db, "edit", pid, "--op", "lock", "--track", first)
    assert locked.returncode == 0, locked.stderr
    assert json.loads(locked.stdout)["version"] == 2

    extended = json.loads(aidj(db, "extend", pid, "--count", "2").stdout)
    assert (
        extended["version"] == 3 and extended["tracks_count"] == 10 and len(extended["added"]) == 2
    )

    reverted = json.loads(aidj(db, "revert", pid, "1").stdout)
    assert reverted["version"] == 4 and reverted["tracks_count"] == 8

    shown = json.loads(aidj(db, "versions", pid).stdout)
    assert [v["cause"] for v in shown["versions"]] == [
        "created",
        f"lock {first}",
        "extend by 2 tracks",
        "revert to version 1",
    ]

    bad = aidj(db, "edit", pid, "--op", "remove", "--track", "nope")
    assert bad.returncode == 1 and "not in this version" in bad.stderr

    record = api.store.get(pid)
    due = {
        "every": "day",
        "status": "active",
        "next_due": "2020-01-01T00:00:00.000000Z",
        "failures": 0,
    }
    api.store.save(
        PlaylistRecord(
            pid,
            record.user_id,
            record.created_at,
            {**record.data, "schedule": due, "rev": record.data["rev"] + 1},
        ),
        expected_rev=record.data["rev"],
    )
    refreshed = aidj(db, "refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    assert json.loads(refreshed.stdout) == {"refreshed": 1, "failed": 0}
    assert call(api, "GET", f"/playlists/{pid}").json_body()["cause"] == "refresh (every day)"
