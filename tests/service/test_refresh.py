"""Scheduled refreshes: a fake clock walks a week; every due playlist gets a fresh, constraint-keeping version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from aidj_service.edge.api import Api
from tests.service.conftest import call

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def living(make_api, store, clock: FakeClock) -> Api:
    api = make_api(store=store)
    api.living.clock = clock
    return api


def ids(body: dict[str, Any]) -> list[str]:
    return [t["id"] for t in body["tracks"]]


def scheduled(
    api: Api, every: str = "day", prompt: str = "jazz for dinner, 12 tracks, no explicit lyrics"
) -> dict[str, Any]:
    body = call(api, "POST", "/playlist", {"prompt": prompt}).json_body()
    pid = body["playlist_id"]
    locked = ids(body)[3]
    call(api, "POST", f"/playlists/{pid}/versions", {"edits": [{"op": "lock", "track_id": locked}]})
    response = call(api, "PUT", f"/playlists/{pid}/schedule", {"every": every})
    assert response.status == 200, response.body
    return response.json_body()


def test_a_schedule_says_when_the_next_version_comes(living: Api, clock: FakeClock) -> None:
    body = scheduled(living, "week")
    assert body["schedule"]["every"] == "week" and body["schedule"]["status"] == "active"
    assert body["schedule"]["next_due"] == "2026-03-09T08:00:00.000000Z"
    assert body["version"] == 2  # scheduling changes no tracks and makes no version


def test_a_week_of_daily_refreshes_makes_fresh_constraint_keeping_versions(
    living: Api, clock: FakeClock
) -> None:
    first = scheduled(living)
    pid, locked = first["playlist_id"], first["locked"][0]
    rounds = []
    for _hour in range(7 * 24):  # the refresher runs hourly; a playlist is due once a day
        clock.advance(hours=1)
        rounds.append(living.living.refresh_due())

    assert sum(r["refreshed"] for r in rounds) == 7 and not any(r["failed"] for r in rounds)
    final = call(living, "GET", f"/playlists/{pid}").json_body()
    assert final["version"] == 9 and final["cause"] == "refresh (every day)"
    versions = [
        call(living, "GET", f"/playlists/{pid}", query={"version": str(v)}).json_body()
        for v in range(2, 10)
    ]
    for n, version in enumerate(versions):
        tracks = version["tracks"]
        assert locked in ids(version), "a locked track survives every refresh"
        assert len(tracks) == 12 and all("jazz" in t["genres"] for t in tracks)
        assert not any(t["explicit"] for t in tracks)
        for earlier in versions[max(0, n - 3) : n]:
            assert set(ids(version)) & set(ids(earlier)) == {locked}, (
                "fresh: nothing from the last 3 versions"
            )
    assert final["schedule"]["next_due"] == "2026-03-10T08:00:00.000000Z"
    assert final["schedule"]["last_refresh_at"] == "2026-03-09T08:00:00.000000Z"


def test_nothing_is_refreshed_before_it_is_due(living: Api, clock: FakeClock) -> None:
    scheduled(living, "week")
    clock.advance(days=6, hours=23)
    assert living.living.refresh_due() == {"refreshed": 0, "failed": 0}


def test_an_unscheduled_playlist_is_never_refreshed(living: Api, clock: FakeClock) -> None:
    body = scheduled(living)
    response = call(living, "DELETE", f"/playlists/{body['playlist_id']}/schedule")
    assert response.status == 200 and response.json_body()["schedule"] is None
    clock.advance(days=3)
    assert living.living.refresh_due() == {"refreshed": 0, "failed": 0}


def test_a_failed_refresh_stays_due_and_is_counted(
    living: Api, clock: FakeClock, monkeypatch, caplog
) -> None:
    body = scheduled(living)
    pid = body["playlist_id"]
    clock.advance(days=1)
    import aidj_service.operations.living.schedules as living_module

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("catalog went away")

    monkeypatch.setattr(living_module, "refresh", broken)
    with caplog.at_level("INFO", logger="aidj_service.access"):
        assert living.living.refresh_due() == {"refreshed": 0, "failed": 1}
    assert any(
        '"RefreshFailures":1' in r.getMessage() and '"Namespace":"AIDJ"' in r.getMessage()
        for r in caplog.records
    )
    failing = call(living, "GET", f"/playlists/{pid}").json_body()["schedule"]
    assert failing["failures"] == 1 and "retried next round" in failing["message"]

    monkeypatch.undo()
    clock.advance(hours=1)
    assert living.living.refresh_due() == {"refreshed": 1, "failed": 0}
    assert call(living, "GET", f"/playlists/{pid}").json_body()["schedule"]["failures"] == 0


def test_the_lambda_runs_a_refresh_round_for_the_scheduler_event(
    living: Api, clock: FakeClock
) -> None:
    from aidj_service.edge import lambda_adapter

    scheduled(living)
    clock.advance(days=1)
    handler = lambda_adapter.make_handler(lambda: living)

    assert handler(dict(lambda_adapter.REFRESH_EVENT), None) == {"refreshed": 1, "failed": 0}
    assert handler(dict(lambda_adapter.REFRESH_EVENT), None) == {"refreshed": 0, "failed": 0}


def test_the_serve_refresher_thread_runs_rounds_until_stopped(
    living: Api, clock: FakeClock
) -> None:
    import time

    from aidj_service.edge.refresher import Refresher

    body = scheduled(living)
    clock.advance(days=1)
    refresher = Refresher(living, every_s=0.05).start()
    try:
        deadline = time.monotonic() + 60
        while call(living, "GET", f"/playlists/{body['playlist_id']}").json_body()["version"] < 3:
            assert time.monotonic() < deadline, "the refresher never refreshed the due playlist"
            time.sleep(0.05)
    finally:
        refresher.stop()
    assert not refresher._thread.is_alive()
