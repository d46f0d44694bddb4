"""Every state-changing route draws on the caller's rate bucket; a playlist's versions are capped.

A red-team pass made 40 reverts in a minute (40 stored versions) while extend met 429 at 30.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from aidj_service.edge import lambda_adapter
from aidj_service.edge.api import Api
from tests.service.conftest import call, gateway_event
from tests.service.test_lambda import Context, body_of

PROMPT = {"prompt": "jazz for dinner", "limit": 8}
LIMIT = 3  # changes a minute in these tests


def created(api: Api) -> dict[str, Any]:
    response = call(api, "POST", "/playlist", PROMPT)
    assert response.status == 200
    return response.json_body()


CHANGES = [
    ("POST", "revert", {"version": 1}),
    ("POST", "versions", {"name": "renamed"}),
    ("POST", "extend", {"count": 1}),
    ("PUT", "schedule", {"every": "week"}),
    ("DELETE", "schedule", None),
]


@pytest.mark.parametrize(("method", "suffix", "body"), CHANGES)
def test_each_change_route_is_refused_past_the_callers_limit(
    make_api, method: str, suffix: str, body: Any
) -> None:
    # the bucket holds LIMIT tokens; the create took one
    api = make_api(rate_limit_per_minute=LIMIT + 1)
    pid = created(api)["playlist_id"]
    statuses = [
        call(api, method, f"/playlists/{pid}/{suffix}", body).status for _ in range(LIMIT + 1)
    ]
    assert statuses == [200] * LIMIT + [429]


def test_the_429_says_what_to_do_and_when(make_api) -> None:
    api = make_api(rate_limit_per_minute=1)
    pid = created(api)["playlist_id"]
    response = call(api, "POST", f"/playlists/{pid}/revert", {"version": 1})
    assert response.status == 429
    assert int(response.headers["retry-after"]) >= 1
    assert "too many changes" in response.json_body()["error"]["message"]


def test_forty_reverts_through_lambda_stop_at_the_limit(make_api) -> None:
    handler = lambda_adapter.make_handler(
        lambda: make_api(local_mode=False, rate_limit_per_minute=30)  # the deployed default
    )
    made = handler(gateway_event("POST", "/playlist", PROMPT), Context())
    answer = json.loads(body_of(made))
    pid, key = answer["playlist_id"], answer["edit_key"]
    event = gateway_event("POST", f"/playlists/{pid}/revert", {"version": 1}, {"Edit-Key": key})
    statuses = [handler(event, Context())["statusCode"] for _ in range(40)]
    # the create took one of the 30
    assert statuses.count(200) == 29 and set(statuses[29:]) == {429}


def test_signing_out_is_metered_too(make_api) -> None:
    api = make_api(rate_limit_per_minute=2)
    statuses = [call(api, "DELETE", "/me/spotify-tokens").status for _ in range(3)]
    assert statuses == [200, 200, 429]


# ---------------------------------------------------------------- the version cap


def test_past_the_version_cap_a_change_is_409_with_what_to_do(make_api) -> None:
    api = make_api(max_versions=3)
    pid = created(api)["playlist_id"]
    ok = [call(api, "POST", f"/playlists/{pid}/extend", {"count": 1}).status for _ in range(2)]
    refused = call(api, "POST", f"/playlists/{pid}/revert", {"version": 1})

    assert ok == [200, 200]
    assert refused.status == 409
    error = refused.json_body()["error"]
    assert error["code"] == "version_limit_reached"
    assert "3 versions" in error["message"] and "POST /playlist" in error["message"]
    assert call(api, "GET", f"/playlists/{pid}").json_body()["current_version"] == 3


def test_a_rename_at_the_cap_still_works_as_it_makes_no_version(make_api) -> None:
    api = make_api(max_versions=1)
    pid = created(api)["playlist_id"]
    assert call(api, "POST", f"/playlists/{pid}/versions", {"name": "Still mine"}).status == 200
    assert call(api, "POST", f"/playlists/{pid}/extend", {"count": 1}).status == 409


def test_the_cap_is_documented_and_read_from_the_environment() -> None:
    from aidj_service.config import Settings

    assert Settings().max_versions == 1000
    assert Settings.from_env({"AIDJ_MAX_VERSIONS": "50"}).max_versions == 50


def test_play_now_draws_on_the_signed_in_callers_bucket(make_api, spotify) -> None:
    api = make_api(local_mode=False, spotify_api_url=spotify.url, rate_limit_per_minute=3)
    auth = {"Authorization": f"Bearer {spotify.token}"}
    pid = call(api, "POST", "/playlist", PROMPT, headers=auth).json_body()["playlist_id"]
    spotify.active_device = True
    statuses = [call(api, "POST", f"/playlists/{pid}/play", headers=auth).status for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_delivering_draws_on_the_callers_bucket_too(dj, tmp_path) -> None:
    from aidj_service.delivery.settings import DeliverySettings
    from tests.service.conftest import local_settings
    from tests.support.fake_subsonic import PASSWORD, USER, FakeSubsonic

    with FakeSubsonic() as subsonic:
        settings = local_settings(tmp_path, rate_limit_per_minute=3)
        delivery = DeliverySettings(
            subsonic_url=subsonic.url, subsonic_user=USER, subsonic_password=PASSWORD
        )
        api = Api(settings, dj=dj, delivery=delivery)
        try:
            first = created(api)["playlist_id"]  # the caller's first token
            second = created(api)["playlist_id"]
            body = {"platform": "subsonic"}
            statuses = [
                call(api, "POST", f"/playlists/{pid}/deliver", body).status
                for pid in (first, second)
            ]
        finally:
            api.close()
    # the delivery bucket (its own 3 a minute) alone would allow both: the creates drew on the
    # same bucket as the deliveries
    assert statuses == [200, 429]


def test_aidj_serve_meters_reverts_over_http(make_api) -> None:
    import requests

    from tests.service.conftest import LiveServer

    server = LiveServer(make_api(rate_limit_per_minute=3)).start()
    try:
        pid = requests.post(f"{server.url}/playlist", json=PROMPT, timeout=60).json()["playlist_id"]
        statuses = [
            requests.post(
                f"{server.url}/playlists/{pid}/revert", json={"version": 1}, timeout=60
            ).status_code
            for _ in range(3)
        ]
    finally:
        server.stop()
    assert statuses == [200, 200, 429]
