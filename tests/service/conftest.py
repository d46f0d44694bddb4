"""Fixtures for the HTTP API: the real catalog, real history backends, real servers on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from aidj_service.config import Settings
from aidj_service.edge.api import Api
from aidj_service.edge.http import Request, Response
from aidj_service.edge.serve_process import free_port
from aidj_service.stores.dynamodb import DynamoDBHistoryStore
from aidj_service.stores.sqlite import SQLiteHistoryStore
from tests.support.dynalite import Dynalite
from tests.support.fake_spotify import FakeSpotify

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "apigw"
TABLE = "aidj-history-test"


# ---------------------------------------------------------------- the DJ, once per session


@pytest.fixture(scope="session")
def dj(catalog_path: Path, catalog_cache_dir: Path):
    from aidj.dj import DJ

    loaded = DJ.load(catalog_path, cache_dir=catalog_cache_dir)
    loaded.warm()
    return loaded


# ---------------------------------------------------------------- history backends


def create_table(client: Any, name: str = TABLE) -> None:
    from aidj_infra.storage import table_key_schema  # exactly what the infrastructure provisions

    client.create_table(TableName=name, **table_key_schema())
    client.get_waiter("table_exists").wait(
        TableName=name, WaiterConfig={"Delay": 0.05, "MaxAttempts": 200}
    )


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials so boto3 never looks for (or finds) real ones."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def deployed_lambda(
    aws_env: None, monkeypatch: pytest.MonkeyPatch, catalog_path: Path, catalog_cache_dir: Path
) -> Iterator[Callable[..., Any]]:
    """The function as deployed: its own start-up (DynamoDB in moto, deployed mode), not a
    test-built Api. Yields the handler; the table is ``TABLE`` in us-east-1."""
    from moto import mock_aws

    from aidj_service.edge import lambda_adapter

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "aidj")
    monkeypatch.setenv("DYNAMODB_TABLE_NAME", TABLE)
    monkeypatch.setenv("AIDJ_CATALOG", str(catalog_path))
    monkeypatch.setenv("AIDJ_CACHE_DIR", str(catalog_cache_dir))
    for name in ("AIDJ_HISTORY", "AIDJ_LOCAL_MODE", "AIDJ_DB_PATH"):
        monkeypatch.delenv(name, raising=False)
    # the function's start-up configures the service's logger; later tests expect it as it was
    service_logger = logging.getLogger("aidj_service")
    handlers, propagate = list(service_logger.handlers), service_logger.propagate
    try:
        with mock_aws():
            create_table(boto3.client("dynamodb", region_name="us-east-1"))
            yield lambda_adapter.make_handler(lambda_adapter._default_api)
    finally:
        service_logger.handlers[:] = handlers
        service_logger.propagate = propagate


@pytest.fixture(scope="session")
def dynalite_server() -> Iterator[Dynalite]:
    with Dynalite() as server:
        yield server


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLiteHistoryStore]:
    store = SQLiteHistoryStore(tmp_path / "history.sqlite3")
    yield store
    store.close()


class OneCallAtATime:
    """A boto3 client whose calls run one at a time.

    DynamoDB applies each request atomically (a conditional put checks and writes as one step);
    moto's in-memory backend does not lock, so threads could interleave inside one request.
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)

        return call


@pytest.fixture
def moto_store(aws_env: None) -> Iterator[DynamoDBHistoryStore]:
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client)
        yield DynamoDBHistoryStore(TABLE, client=OneCallAtATime(client))


@pytest.fixture
def dynalite_store(aws_env: None, dynalite_server: Dynalite) -> DynamoDBHistoryStore:
    name = f"history-{uuid.uuid4().hex[:8]}"
    client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=dynalite_server.url)
    create_table(client, name)
    return DynamoDBHistoryStore(name, client=client)


@pytest.fixture(params=["sqlite", "moto", "dynalite"])
def store(request: pytest.FixtureRequest):
    """Every history backend in turn: the contract tests run against each."""
    return request.getfixturevalue(f"{request.param}_store")


# ---------------------------------------------------------------- the API


def local_settings(tmp_path: Path, **overrides: Any) -> Settings:
    base = Settings(
        db_path=str(tmp_path / "history.sqlite3"),
        local_mode=True,
        rate_limit_per_minute=0,
        spotify_client_id="test-client-id",
    )
    return replace(base, **overrides)


@pytest.fixture
def make_api(dj, tmp_path: Path) -> Iterator[Callable[..., Api]]:
    made: list[Api] = []

    def make(store: Any = None, engine: Any = None, **overrides: Any) -> Api:
        settings = local_settings(tmp_path, **overrides)
        api = Api(settings, dj=engine or dj, store=store)
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()


def call(
    api: Api,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str | None] | None = None,
    query: dict[str, str] | None = None,
) -> Response:
    """One request straight into the Api (no network): JSON bodies are encoded for you.

    Like any HTTP client it sends a Host, and a POST says it sends JSON; ``headers`` may
    override either (``None`` leaves it out).
    """
    raw = (
        body
        if isinstance(body, bytes)
        else (json.dumps(body).encode() if body is not None else b"")
    )
    sent: dict[str, str | None] = {"host": "127.0.0.1"}
    if method == "POST":
        sent["content-type"] = "application/json"
    sent.update({k.lower(): v for k, v in (headers or {}).items()})
    return api.handle(
        Request(
            method=method,
            path=path,
            query=query or {},
            headers={k: v for k, v in sent.items() if v is not None},
            body=raw,
            source_ip="127.0.0.1",
        )
    )


class FailingDJ:
    """The real DJ whose ``build`` raises ``error`` for the next ``times`` calls."""

    def __init__(self, dj: Any, error: Exception, times: int = 1) -> None:
        self._dj, self.error, self.times = dj, error, times
        self.catalog, self.interpreter = dj.catalog, dj.interpreter

    def build(self, intent: Any, exclude_ids: Any = ()) -> Any:
        if self.times > 0:
            self.times -= 1
            raise self.error
        return self._dj.build(intent, exclude_ids)


# ---------------------------------------------------------------- a real server on 127.0.0.1


class LiveServer:
    """uvicorn with the service's ASGI adapter, in a thread, on a free port."""

    def __init__(self, api: Api, **config: Any) -> None:
        import uvicorn

        from aidj_service.edge.server import AsgiApp, uvicorn_config

        self.api = api
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn_config(AsgiApp(lambda: api), "127.0.0.1", self.port, **config)
        )
        self.thread = threading.Thread(target=self.server.run, name="aidj-live-server", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the local server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(api: Api) -> Iterator[LiveServer]:
    server = LiveServer(api).start()
    yield server
    server.stop()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def spotify() -> Iterator[FakeSpotify]:
    with FakeSpotify() as fake:
        yield fake
        assert not fake.schema_errors, "\n".join(fake.schema_errors[:10])


# ---------------------------------------------------------------- API Gateway events


def gateway_event(
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    source_ip: str = "203.0.113.7",
) -> dict[str, Any]:
    """A real API Gateway v2 event (the recorded ``post_playlist.json``) for another request."""
    event = json.loads((FIXTURES / "post_playlist.json").read_text(encoding="utf-8"))
    route = f"{method} {path}"
    event["routeKey"] = event["requestContext"]["routeKey"] = route
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["sourceIp"] = source_ip
    event["headers"]["x-forwarded-for"] = source_ip
    event["headers"].pop("content-length", None)
    event["headers"].update({k.lower(): v for k, v in (headers or {}).items()})
    event["body"] = json.dumps(body) if body is not None else None
    return event
