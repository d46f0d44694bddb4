"""Two regions over one table: a playlist changes only in its home region (421 elsewhere),
reads work everywhere, and each region's refresh takes only its own playlists.

Both Apis share one store, as two regions' functions share a global table; each is told
its region the way Lambda tells it (AWS_REGION) and the stack's regions (AIDJ_REGIONS).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.service.conftest import call

EU, US = "eu-west-1", "us-east-1"


@pytest.fixture
def regions(make_api, sqlite_store):
    def in_region(region: str):
        return make_api(store=sqlite_store, aws_region=region, regions=(EU, US))

    return {EU: in_region(EU), US: in_region(US)}


def create(api) -> str:
    made = call(api, "POST", "/playlist", {"prompt": "calm jazz for reading", "limit": 8})
    assert made.status == 200
    return made.json_body()["playlist_id"]


def rename(api, playlist_id: str):
    return call(api, "POST", f"/playlists/{playlist_id}/versions", {"name": "Renamed"})


def test_a_new_playlist_is_homed_where_it_was_made(regions, sqlite_store):
    playlist_id = create(regions[US])
    assert sqlite_store.get(playlist_id).data["home_region"] == US


def test_its_home_region_may_change_it(regions):
    playlist_id = create(regions[US])
    assert rename(regions[US], playlist_id).status == 200


def test_another_region_answers_421_naming_the_home_and_writes_nothing(regions, sqlite_store):
    playlist_id = create(regions[US])
    before = sqlite_store.get(playlist_id).data
    refused = rename(regions[EU], playlist_id)
    error = refused.json_body()["error"]
    assert (refused.status, error["code"]) == (421, "wrong_region")
    assert error["details"] == {"home_region": US}
    assert US in error["message"]
    assert sqlite_store.get(playlist_id).data == before


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("POST", "/revert", {"version": 1}),
        ("POST", "/extend", {"count": 2}),
        ("PUT", "/schedule", {"every": "day"}),
        ("DELETE", "/schedule", None),
    ],
)
def test_every_kind_of_change_is_refused_outside_the_home(regions, method, suffix, body):
    playlist_id = create(regions[US])
    answer = call(regions[EU], method, f"/playlists/{playlist_id}{suffix}", body)
    assert answer.status == 421, answer.json_body()


def test_reads_work_in_every_region(regions):
    playlist_id = create(regions[US])
    for api in regions.values():
        assert call(api, "GET", f"/playlists/{playlist_id}").status == 200


def test_each_region_refreshes_only_the_playlists_homed_there(regions, sqlite_store):
    homed = {region: create(api) for region, api in regions.items()}
    for region, playlist_id in homed.items():
        scheduled = call(
            regions[region], "PUT", f"/playlists/{playlist_id}/schedule", {"every": "day"}
        )
        assert scheduled.status == 200
    tomorrow = datetime.now(UTC) + timedelta(days=2)
    for api in regions.values():
        api.living.book.clock = lambda: tomorrow
    assert regions[EU].living.refresh_due() == {"refreshed": 1, "failed": 0}
    assert sqlite_store.get(homed[EU]).data["version"] == 2
    assert sqlite_store.get(homed[US]).data["version"] == 1  # left to us-east-1's own round
    assert regions[US].living.refresh_due() == {"refreshed": 1, "failed": 0}
    assert sqlite_store.get(homed[US]).data["version"] == 2


def test_one_region_stamps_no_home_and_refuses_nothing(make_api, sqlite_store):
    api = make_api(store=sqlite_store, aws_region=US)
    playlist_id = create(api)
    assert "home_region" not in sqlite_store.get(playlist_id).data
    assert rename(api, playlist_id).status == 200


def test_the_421_reaches_a_caller_through_the_lambda_handler(make_api, sqlite_store):
    import json

    from aidj_service.edge import lambda_adapter
    from tests.service.conftest import FIXTURES

    host = json.loads((FIXTURES / "post_playlist.json").read_text())["headers"]["host"]

    def handler_in(region: str):
        # local mode (no owner check: this is about regions), answering API Gateway's host
        return lambda_adapter.make_handler(
            lambda: make_api(
                store=sqlite_store, aws_region=region, regions=(EU, US), allowed_hosts=(host,)
            )
        )

    class Context:
        aws_request_id = "c6af9ac6"

        def get_remaining_time_in_millis(self) -> int:
            return 30_000

    made = handler_in(US)(json.loads((FIXTURES / "post_playlist.json").read_text()), Context())
    playlist_id = json.loads(made["body"])["playlist_id"]
    event = json.loads((FIXTURES / "post_playlist.json").read_text())
    path = f"/playlists/{playlist_id}/versions"
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["routeKey"] = event["requestContext"]["routeKey"] = "POST /playlists/{id}/versions"
    event["body"] = json.dumps({"name": "Renamed"})
    result = handler_in(EU)(event, Context())
    assert result["statusCode"] == 421
    assert json.loads(result["body"])["error"]["details"] == {"home_region": US}
