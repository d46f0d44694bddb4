"""/me/taste through the API: see it, steer it, erase it; and what it does to later playlists."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from aidj_service.edge.api import Api
from tests.service.conftest import call
from tests.support.fake_spotify import FakeSpotify

TRIP_HOP = "trip hop for a late night"


def playlist(api: Api, prompt: str, user: str = "ana", **extra) -> list[dict]:
    answer = call(api, "POST", "/playlist", {"prompt": prompt, "user_id": user, **extra})
    assert answer.status == 200, answer.json_body()
    return answer.json_body()["tracks"]


def artists(tracks: list[dict]) -> set[str]:
    return {a for t in tracks for a in t["artists"]}


def taste(api: Api, user: str = "ana", **query) -> dict:
    answer = call(api, "GET", "/me/taste", query={"user_id": user, **query})
    assert answer.status == 200, answer.json_body()
    return answer.json_body()


def steer(api: Api, user: str = "ana", **body):
    return call(api, "PATCH", "/me/taste", {"user_id": user, **body})


def test_a_new_listener_has_an_empty_profile(api):
    body = taste(api)
    assert body["artists"] == [] and body["genres"] == [] and body["use"] is True
    assert body["never"] == {"artists": [], "genres": []} and body["updated_at"] is None
    assert "Spotify" in body["summary"]


def test_after_never_an_artist_no_later_playlist_contains_them(api):
    assert "Massive Attack" in artists(playlist(api, TRIP_HOP))
    assert steer(api, never=[{"artist": "massive attack"}]).status == 200
    assert taste(api)["never"]["artists"] == ["Massive Attack"]
    for prompt in (TRIP_HOP, "music like Massive Attack", "dark trip hop"):
        assert "Massive Attack" not in artists(playlist(api, prompt))


def test_after_more_an_artist_a_prompt_they_fit_contains_them(api):
    prompt = "melancholic downtempo electronic music"
    assert "Lemongrass" not in artists(playlist(api, prompt))
    steered = steer(api, more=[{"artist": "Lemongrass"}]).json_body()
    assert steered["artists"][0] == {"name": "Lemongrass", "weight": 0.667, "source": "more"}
    tracks = playlist(api, prompt)
    assert "Lemongrass" in artists(tracks)
    mine = next(t for t in tracks if "Lemongrass" in t["artists"])
    assert "Lemongrass" in mine["reason"]


def test_removing_three_of_an_artists_tracks_lists_them_against(api):
    created = call(api, "POST", "/playlist", {"prompt": TRIP_HOP, "user_id": "ana", "limit": 30})
    record = created.json_body()
    playlist_id = record["playlist_id"]
    target = "Massive Attack"
    for _ in range(3):
        tracks = call(api, "GET", f"/playlists/{playlist_id}").json_body()["tracks"]
        track = next(t for t in tracks if target in t["artists"])
        edited = call(
            api,
            "POST",
            f"/playlists/{playlist_id}/versions",
            {"user_id": "ana", "edits": [{"op": "remove", "track_id": track["id"]}]},
        )
        assert edited.status == 200, edited.json_body()
        if not any(target in t["artists"] for t in edited.json_body()["tracks"]):
            break  # fewer than three left: a new playlist brings more
    against = {a["name"]: a for a in taste(api)["artists"]}
    assert against[target]["weight"] < 0 and against[target]["source"] == "removed"


def test_an_artist_excluded_in_two_prompts_is_a_strong_against(api):
    playlist(api, "trip hop without Portishead")
    playlist(api, "chill trip hop, no Portishead")
    portishead = {a["name"]: a for a in taste(api)["artists"]}["Portishead"]
    assert portishead == {"name": "Portishead", "weight": -1.0, "source": "excluded"}


def test_delete_leaves_nothing_in_the_sqlite_file_and_keeps_history(api, tmp_path: Path):
    steer(api, more=[{"artist": "Portishead"}], never=[{"genre": "country"}])
    playlist(api, TRIP_HOP)
    assert call(api, "DELETE", "/me/taste", query={"user_id": "ana"}).status == 204
    assert taste(api)["updated_at"] is None and taste(api)["never"]["genres"] == []
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM taste").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM playlists").fetchone() == (1,)
    assert call(api, "DELETE", "/me/taste", query={"user_id": "ana"}).status == 204


def test_with_taste_false_the_list_equals_the_anonymous_one(api):
    steer(api, more=[{"artist": "Portishead"}, {"artist": "Tricky"}])
    anonymous = playlist(api, TRIP_HOP, user="nobody")
    assert [t["id"] for t in playlist(api, TRIP_HOP, taste=False)] == [t["id"] for t in anonymous]
    assert [t["id"] for t in playlist(api, TRIP_HOP)] != [t["id"] for t in anonymous]


def test_switched_off_taste_is_not_used_until_switched_back_on(api):
    steer(api, more=[{"artist": "Portishead"}, {"artist": "Tricky"}], use=False)
    anonymous = [t["id"] for t in playlist(api, TRIP_HOP, user="nobody")]
    assert [t["id"] for t in playlist(api, TRIP_HOP)] == anonymous
    assert taste(api)["use"] is False
    steer(api, use=True)
    assert [t["id"] for t in playlist(api, TRIP_HOP)] != anonymous


def test_my_favourites_plays_the_listeners_artists(api):
    steer(api, more=[{"artist": n} for n in ("Portishead", "Massive Attack", "Tricky")])
    tracks = playlist(api, "mis favoritas")
    mine = [t for t in tracks if artists([t]) & {"Portishead", "Massive Attack", "Tricky"}]
    assert len(mine) >= 5
    assert any("pediste más" in t["reason"] for t in mine)


def test_the_summary_speaks_the_asked_language(api):
    steer(api, more=[{"artist": "Portishead"}])
    assert taste(api, language="es")["summary"].startswith("Escuchas mucho a Portishead")
    answer = call(
        api, "GET", "/me/taste", query={"user_id": "ana"}, headers={"Accept-Language": "de-DE"}
    )
    assert answer.json_body()["summary"].startswith("Du hörst viel Portishead")


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"never": [{"genre": "polka-metal"}]}, "never[0].genre"),
        ({"more": [{"artist": "A", "genre": "pop"}]}, "exactly one"),
        ({"less": [{}]}, "exactly one"),
        ({"use": "maybe"}, "use"),
    ],
)
def test_a_bad_steer_is_a_422_naming_what_to_fix(api, body, names):
    answer = steer(api, **body)
    assert answer.status == 422
    assert names in answer.json_body()["error"]["message"]


def test_deployed_without_a_sign_in_taste_is_a_401(make_api):
    api = make_api(local_mode=False)
    for method in ("GET", "PATCH", "DELETE"):
        body = {"more": [{"artist": "Air"}]} if method == "PATCH" else None
        assert call(api, method, "/me/taste", body).status == 401


def test_profile_contents_never_reach_the_logs(api, caplog):
    caplog.set_level(logging.DEBUG)
    steer(api, more=[{"artist": "Portishead"}], never=[{"genre": "country"}])
    taste(api)
    playlist(api, TRIP_HOP)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "Portishead" not in logged and "country" not in logged


def test_a_spotify_listener_gets_their_listening_imported(make_api):
    with FakeSpotify() as fake:
        api = make_api(spotify_api_url=fake.url)
        body = call(
            api, "GET", "/me/taste", headers={"Authorization": f"Bearer {fake.token}"}
        ).json_body()
        top = fake.listening.top_artists["short_term"][0]
        assert top.casefold() in {a["name"].casefold() for a in body["artists"]}
        assert {a["source"] for a in body["artists"]} <= {
            "spotify_top_short",
            "spotify_top_medium",
            "spotify_top_long",
            "spotify_recent",
            "spotify_saved",
        }
        assert fake.schema_errors == []
        before = len(fake.requests)
        call(api, "GET", "/me/taste", headers={"Authorization": f"Bearer {fake.token}"})
        assert len(fake.requests) == before + 1  # a day has not passed: only GET /me


def test_delete_leaves_nothing_in_dynamodb_local(make_api, dynalite_store):
    api = make_api(store=dynalite_store)
    assert steer(api, more=[{"artist": "Portishead"}]).status == 200
    playlist(api, "trip hop without Tricky")
    client, table = dynalite_store.client, dynalite_store.table_name

    def taste_items() -> list[dict]:
        items = client.scan(TableName=table)["Items"]
        return [i for i in items if i["user_id"]["S"].startswith("taste#")]

    assert [i["user_id"]["S"] for i in taste_items()] == ["taste#ana"]
    assert call(api, "DELETE", "/me/taste", query={"user_id": "ana"}).status == 204
    assert taste_items() == []
    assert taste(api)["artists"] == []
    assert call(api, "GET", "/playlists", query={"user_id": "ana"}).json_body()["items"]


def test_making_a_playlist_never_reads_spotify_listening(make_api):
    with FakeSpotify() as fake:
        api = make_api(spotify_api_url=fake.url)
        answer = call(
            api,
            "POST",
            "/playlist",
            {"prompt": TRIP_HOP, "limit": 5},
            headers={"Authorization": f"Bearer {fake.token}"},
        )
        assert answer.status == 200
        assert not [r for r in fake.requests if "/me/top/" in r.path or r.path == "/v1/me/tracks"]
