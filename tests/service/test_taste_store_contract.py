"""The taste store contract, on every backend: SQLite, DynamoDB on moto, DynamoDB on dynalite."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidj.taste.profile import Entry, TasteProfile
from aidj_service.stores.dynamodb import DynamoDBHistoryStore
from aidj_service.stores.taste import (
    DynamoDBTasteStore,
    SQLiteTasteStore,
    StoredTaste,
    TasteStore,
    open_taste_store,
)

PROFILE = TasteProfile(
    artists={"portishead": Entry("Portishead", 2.0, ("more",))},
    genres={"trip-hop": Entry("trip-hop", 1.5, ("more",))},
    never_genres=("country",),
)


@pytest.fixture(params=["sqlite", "moto", "dynalite"])
def taste_store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        store = SQLiteTasteStore(tmp_path / "history.sqlite3")
        yield store
        store.close()
        return
    history: DynamoDBHistoryStore = request.getfixturevalue(f"{request.param}_store")
    yield open_taste_store(str(tmp_path / "unused.sqlite3"), history)


def stored(**changes) -> StoredTaste:
    return StoredTaste(own=PROFILE, updated_at="2026-12-04T22:00:00Z", **changes)


def test_a_stored_taste_reads_back_unchanged(taste_store: TasteStore):
    taste_store.put("ana", stored(imported_at="2026-12-04T21:00:00Z"))
    assert taste_store.get("ana") == stored(imported_at="2026-12-04T21:00:00Z")
    assert taste_store.get("ana").profile.never_genres == ("country",)  # type: ignore[union-attr]


def test_a_user_without_a_taste_reads_none(taste_store: TasteStore):
    assert taste_store.get("nobody") is None


def test_a_put_replaces_the_users_one_taste(taste_store: TasteStore):
    taste_store.put("ana", stored())
    taste_store.put("ana", StoredTaste(updated_at="2026-12-05T00:00:00Z"))
    assert taste_store.get("ana") == StoredTaste(updated_at="2026-12-05T00:00:00Z")


def test_delete_forgets_one_user_only(taste_store: TasteStore):
    taste_store.put("ana", stored())
    taste_store.put("bo", stored())
    assert taste_store.delete("ana") is True
    assert taste_store.get("ana") is None and taste_store.get("bo") == stored()
    assert taste_store.delete("ana") is False


def test_deployed_a_taste_is_one_item_in_the_history_table_and_delete_leaves_none(
    dynalite_store: DynamoDBHistoryStore, tmp_path: Path
):
    store = open_taste_store(str(tmp_path / "unused.sqlite3"), dynalite_store)
    assert isinstance(store, DynamoDBTasteStore)
    store.put("ana", stored())
    client, table = dynalite_store.client, dynalite_store.table_name
    items = client.scan(TableName=table)["Items"]
    assert [(i["user_id"]["S"], i["sk"]["S"]) for i in items] == [("taste#ana", "profile")]
    assert set(items[0]) == {"user_id", "sk", "data"}  # names, weights, sources: no tracks
    store.delete("ana")
    assert client.scan(TableName=table)["Items"] == []


def test_locally_a_taste_lives_in_the_historys_sqlite_file(sqlite_store, tmp_path: Path):
    store = open_taste_store(str(tmp_path / "other.sqlite3"), sqlite_store)
    assert isinstance(store, SQLiteTasteStore) and store.path == sqlite_store.path
    store.close()
