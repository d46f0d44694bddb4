"""Living playlists over the API: versions, edits, revert, extend, freshness, owners, concurrency.

The contract tests run on every history backend (SQLite, DynamoDB on moto, DynamoDB on dynalite).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from aidj_service.edge.api import Api
from aidj_service.stores.history import PlaylistRecord, utc_now_iso
from tests.service.conftest import call
from tests.support.fake_spotify import FakeSpotify

PROMPT = "jazz for dinner, 12 tracks"


@pytest.fixture
def living(make_api, store) -> Api:
    return make_api(store=store)


def create(api: Api, prompt: str = PROMPT, **extra: Any) -> dict[str, Any]:
    response = call(api, "POST", "/playlist", {"prompt": prompt, **extra})
    assert response.status == 200, response.body[:300]
    return response.json_body()


def ids(body: dict[str, Any]) -> list[str]:
    return [t["id"] for t in body["tracks"]]


def edit(api: Api, pid: str, body: dict[str, Any], path: str = "versions", **kw: Any):
    return call(api, "POST", f"/playlists/{pid}/{path}", body, **kw)


def error_code(response) -> str:
    return response.json_body()["error"]["code"]


# ---------------------------------------------------------------- versions


def test_a_new_playlist_is_version_one(living: Api) -> None:
    body = create(living)
    assert (body["version"], body["current_version"], body["cause"]) == (1, 1, "created")
    assert body["versions"] == [
        {"version": 1, "created_at": body["created_at"], "cause": "created"}
    ]
    assert (body["added"], body["removed"], body["moved"], body["locked"]) == ([], [], [], [])


def test_a_swap_makes_version_two_and_lists_the_change(living: Api) -> None:
    first = create(living)
    out = ids(first)[4]

    response = edit(living, first["playlist_id"], {"edits": [{"op": "swap", "track_id": out}]})

    assert response.status == 200, response.body[:300]
    second = response.json_body()
    assert second["version"] == 2 and [v["version"] for v in second["versions"]] == [1, 2]
    assert second["removed"] == [out] and len(second["added"]) == 1
    assert ids(second)[4] == second["added"][0] and ids(second)[:4] == ids(first)[:4]
    assert second["moved"] == []


def test_get_shows_the_current_version_and_any_older_one(living: Api) -> None:
    first = create(living)
    pid = first["playlist_id"]
    edit(living, pid, {"edits": [{"op": "remove", "track_id": ids(first)[0]}]})

    current = call(living, "GET", f"/playlists/{pid}").json_body()
    older = call(living, "GET", f"/playlists/{pid}", query={"version": "1"}).json_body()

    assert (current["version"], len(current["tracks"])) == (2, 11)
    assert (older["version"], older["current_version"], ids(older)) == (1, 2, ids(first))
    assert [v["version"] for v in older["versions"]] == [1, 2]


def test_history_lists_a_playlist_once_whatever_its_versions(living: Api) -> None:
    first = create(living, user_id="hana")
    for n in range(2):
        edit(living, first["playlist_id"], {"edits": [{"op": "swap", "track_id": ids(first)[n]}]})

    page = call(living, "GET", "/playlists", query={"user_id": "hana"}).json_body()

    assert [item["playlist_id"] for item in page["items"]] == [first["playlist_id"]]
    assert page["items"][0]["version"] == 3


def test_a_rename_alone_changes_the_name_and_makes_no_version(living: Api) -> None:
    first = create(living)
    pid = first["playlist_id"]

    response = edit(living, pid, {"name": "  Dinner   at Ana's "})

    assert response.status == 200, response.body[:300]
    body = call(living, "GET", f"/playlists/{pid}").json_body()
    assert (
        body["name"] == "Dinner at Ana's"
        and body["parameters"]["playlist_name"] == "Dinner at Ana's"
    )
    assert body["version"] == 1 and ids(body) == ids(first)


def test_a_rename_beside_an_edit_names_the_new_version(living: Api) -> None:
    first = create(living)
    response = edit(
        living,
        first["playlist_id"],
        {"name": "Ana", "edits": [{"op": "remove", "track_id": ids(first)[0]}]},
    )
    body = response.json_body()
    assert (body["version"], body["name"]) == (2, "Ana")


def test_an_empty_name_is_refused_and_named(living: Api) -> None:
    response = edit(living, create(living)["playlist_id"], {"name": "   "})
    assert response.status == 422 and "name" in response.json_body()["error"]["message"]


def test_a_version_that_does_not_exist_is_named(living: Api) -> None:
    pid = create(living)["playlist_id"]
    missing = call(living, "GET", f"/playlists/{pid}", query={"version": "7"})
    assert missing.status == 404 and error_code(missing) == "version_not_found"
    assert "versions 1 to 1" in missing.json_body()["error"]["message"]
    assert call(living, "GET", f"/playlists/{pid}", query={"version": "x"}).status == 422


# ---------------------------------------------------------------- edits


def test_lock_remove_move_and_more_like_apply_in_order(living: Api) -> None:
    first = create(living)
    a, b, c = ids(first)[:3]
    response = edit(
        living,
        first["playlist_id"],
        {
            "edits": [
                {"op": "lock", "track_id": a},
                {"op": "remove", "track_id": b},
                {"op": "move", "track_id": c, "to": 5},
                {"op": "more_like", "track_id": a, "count": 2},
            ]
        },
    )

    body = response.json_body()
    assert response.status == 200, body
    assert body["locked"] == [a] and b in body["removed"] and len(body["added"]) == 2
    assert ids(body)[0] == a and ids(body)[1:3] == body["added"]
    assert ids(body).index(c) == 7  # moved to 5, then pushed on by the two added after the first
    assert len(ids(body)) == 13 == len(set(ids(body)))


def test_a_refine_keeps_what_fits_and_the_locked_tracks(living: Api) -> None:
    first = create(living, "chill indie for studying, 25 songs")
    keep = ids(first)[-1]
    response = edit(
        living,
        first["playlist_id"],
        {"prompt": "more upbeat", "edits": [{"op": "lock", "track_id": keep}]},
    )

    body = response.json_body()
    assert response.status == 200, body
    assert keep in ids(body) and body["locked"] == [keep]
    kept = set(ids(first)) & set(ids(body))
    assert 10 <= len(kept) < 25, "a refine changes only what it must"
    assert body["parameters"]["energy"] > first["parameters"]["energy"]
    assert body["name"] == first["name"] and body["cause"].endswith("refine: more upbeat")


@pytest.mark.parametrize(
    ("edits", "status", "code"),
    [
        ([{"op": "shuffle", "track_id": "x"}], 422, "validation_error"),
        ([{"op": "remove", "track_id": "4uLU6hMCjMI75M1A2tKUQC"}], 422, "track_not_in_playlist"),
        ([{"op": "move", "track_id": "FIRST"}], 422, "validation_error"),
        ([{"op": "move", "track_id": "FIRST", "to": 40}], 422, "invalid_position"),
        (
            [{"op": "lock", "track_id": "FIRST"}, {"op": "swap", "track_id": "FIRST"}],
            409,
            "track_locked",
        ),
        ([], 422, "validation_error"),
    ],
)
def test_bad_edits_are_refused_and_named(living: Api, edits, status: int, code: str) -> None:
    first = create(living)
    edits = [{**e, "track_id": ids(first)[0]} if e.get("track_id") == "FIRST" else e for e in edits]

    response = edit(living, first["playlist_id"], {"edits": edits})

    assert response.status == status and error_code(response) == code, response.body
    assert call(living, "GET", f"/playlists/{first['playlist_id']}").json_body()["version"] == 1


def test_unknown_op_error_lists_the_ops(living: Api) -> None:
    first = create(living)
    message = edit(
        living, first["playlist_id"], {"edits": [{"op": "shuffle", "track_id": "x"}]}
    ).json_body()["error"]["message"]
    assert "'remove'" in message and "'more_like'" in message


def test_editing_an_unknown_playlist_is_404(living: Api) -> None:
    response = edit(
        living, "0f8c2a9e-1d4b-4c6e-9a7f-3b5d8e2c1a40", {"edits": [{"op": "lock", "track_id": "x"}]}
    )
    assert response.status == 404 and error_code(response) == "playlist_not_found"


# ---------------------------------------------------------------- revert and extend


def test_revert_brings_an_old_version_back_as_a_new_one(living: Api) -> None:
    first = create(living)
    pid = first["playlist_id"]
    edit(living, pid, {"edits": [{"op": "swap", "track_id": ids(first)[2]}]})

    response = call(living, "POST", f"/playlists/{pid}/revert", {"version": 1})

    body = response.json_body()
    assert response.status == 200 and body["version"] == 3 and ids(body) == ids(first)
    assert body["cause"] == "revert to version 1"
    missing = call(living, "POST", f"/playlists/{pid}/revert", {"version": 9})
    assert missing.status == 422 and error_code(missing) == "version_not_found"


def test_extend_adds_tracks_without_repeats(living: Api) -> None:
    first = create(living)
    response = call(living, "POST", f"/playlists/{first['playlist_id']}/extend", {"count": 5})

    body = response.json_body()
    assert response.status == 200, body
    assert ids(body)[:12] == ids(first) and len(set(ids(body))) == 17
    assert body["added"] == ids(body)[12:] and body["parameters"]["limit"] == 17


def test_extend_needs_exactly_one_of_count_or_minutes(living: Api) -> None:
    pid = create(living)["playlist_id"]
    for bad in ({}, {"count": 2, "minutes": 10}, {"count": 0}):
        response = call(living, "POST", f"/playlists/{pid}/extend", bad)
        assert response.status == 422, bad


# ---------------------------------------------------------------- freshness


def test_a_fresh_playlist_avoids_the_users_recent_tracks(living: Api) -> None:
    before = create(living, user_id="ivy")
    again = create(living, user_id="ivy")
    fresh = create(living, user_id="ivy", fresh=True)
    assert ids(again) == ids(before)  # same prompt, same playlist: deterministic
    assert not set(ids(fresh)) & set(ids(before))
    assert all("jazz" in t["genres"] for t in fresh["tracks"])


# ---------------------------------------------------------------- concurrency


# moto runs every call one at a time (see OneCallAtATime), which makes 50 racing HTTP edits take
# minutes there; the store-level race test runs on moto too (test_version_store_contract.py).
@pytest.mark.parametrize("backend", ["sqlite", "dynalite"])
def test_fifty_concurrent_edits_make_fifty_versions(
    make_api, request: pytest.FixtureRequest, backend: str
) -> None:
    living = make_api(store=request.getfixturevalue(f"{backend}_store"))
    first = create(living)
    pid, tracks = first["playlist_id"], ids(first)
    edits = [
        {"op": "lock" if n % 2 == 0 else "unlock", "track_id": tracks[n % len(tracks)]}
        for n in range(50)
    ]

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda e: edit(living, pid, {"edits": [e]}).status, edits))

    assert statuses == [200] * 50
    final = call(living, "GET", f"/playlists/{pid}").json_body()
    assert final["version"] == 51 and [v["version"] for v in final["versions"]] == list(
        range(1, 52)
    )
    for v in (2, 26, 50):
        assert (
            call(living, "GET", f"/playlists/{pid}", query={"version": str(v)}).json_body()[
                "version"
            ]
            == v
        )


# ---------------------------------------------------------------- owners (deployed mode)


def test_only_the_owner_edits_a_deployed_playlist_and_anyone_reads_it(
    make_api, store, spotify: FakeSpotify
) -> None:
    api = make_api(store=store, local_mode=False, spotify_api_url=spotify.url)
    mine = create(api, spotify_access_token=spotify.token)
    pid = mine["playlist_id"]
    theirs = PlaylistRecord(
        "0f8c2a9e-1d4b-4c6e-9a7f-3b5d8e2c1a41",
        "someone-else",
        utc_now_iso(),
        {k: v for k, v in mine.items() if k != "playlist_id"},
    )
    store.put(theirs)
    auth = {"Authorization": f"Bearer {spotify.token}"}
    lock = {"edits": [{"op": "lock", "track_id": ids(mine)[0]}]}

    assert edit(api, pid, lock, headers=auth).status == 200
    forbidden = edit(api, theirs.playlist_id, lock, headers=auth)
    assert forbidden.status == 403 and error_code(forbidden) == "not_owner"
    anonymous = edit(api, pid, lock)
    assert anonymous.status == 401 and error_code(anonymous) == "authentication_required"
    assert call(api, "GET", f"/playlists/{theirs.playlist_id}").status == 200
    for path, body in (("revert", {"version": 1}), ("extend", {"count": 1})):
        assert edit(api, theirs.playlist_id, body, path=path, headers=auth).status == 403
    assert (
        call(
            api, "PUT", f"/playlists/{theirs.playlist_id}/schedule", {"every": "day"}, headers=auth
        ).status
        == 403
    )
