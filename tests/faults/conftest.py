"""Fixtures for fault tests: the real service against fake Spotify, fake Bedrock and real stores.

The request helpers and server wrapper come from tests/service/conftest.py, so these tests drive
exactly what the service tests drive; only the faults are new.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from aidj_service.edge.api import Api
from aidj_service.stores.dynamodb import DynamoDBHistoryStore
from aidj_service.stores.sqlite import SQLiteHistoryStore
from tests.service.conftest import create_table, make_api, spotify  # noqa: F401  (re-exported fixtures)
from tests.support.dynalite import Dynalite
from tests.support.fake_bedrock import aws_test_env, fake_bedrock  # noqa: F401  (re-exported fixtures)
from tests.support.fake_spotify import FakeSpotify


@pytest.fixture(scope="session")
def dj(catalog_path: Path, catalog_cache_dir: Path):
    from aidj.dj import DJ

    loaded = DJ.load(catalog_path, cache_dir=catalog_cache_dir)
    loaded.warm()
    return loaded


@pytest.fixture
def spotify_api(make_api: Callable[..., Api], spotify: FakeSpotify) -> Api:
    """The service, with SQLite history, talking to the fake Spotify."""
    return make_api(spotify_api_url=spotify.url)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials and no shared config, so boto3 can never find or reach real AWS."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="session")
def dynalite_server() -> Iterator[Dynalite]:
    with Dynalite() as server:
        yield server


@pytest.fixture
def dynalite_table(aws_env: None, dynalite_server: Dynalite) -> str:
    name = f"faults-{uuid.uuid4().hex[:8]}"
    client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=dynalite_server.url)
    create_table(client, name)
    return name


@pytest.fixture
def dynalite_store(dynalite_table: str, dynalite_server: Dynalite) -> DynamoDBHistoryStore:
    return DynamoDBHistoryStore(
        dynalite_table, region="us-east-1", endpoint_url=dynalite_server.url
    )


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLiteHistoryStore]:
    store = SQLiteHistoryStore(tmp_path / "faults-history.sqlite3")
    yield store
    store.close()


def history_of(store: Any, user: str) -> list[Any]:
    """Every history record of ``user``, newest first, across all pages."""
    records, cursor = store.list(user, 100, None)
    while cursor:
        more, cursor = store.list(user, 100, cursor)
        records.extend(more)
    return records
