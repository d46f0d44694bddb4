"""DynamoDB throttling, lost answers and outages under the whole service: the request fails
cleanly (503 JSON) or succeeds after boto3's retries, and no history entry is lost or doubled.

History lives in a real DynamoDB (dynalite on 127.0.0.1) behind a fault-injecting proxy;
counts are read straight from dynalite, past the proxy.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from aidj_service.edge.api import Api
from aidj_service.edge.serve_process import free_port
from aidj_service.stores.dynamodb import DynamoDBHistoryStore
from tests.faults.conftest import history_of
from tests.faults.dynamo_proxy import DynamoFaultProxy
from tests.service.conftest import call
from tests.support.dynalite import Dynalite

USER = "dj-fault-user"
BODY = {"prompt": "chill lofi beats to study to", "limit": 8, "user_id": USER}

pytestmark = pytest.mark.slow  # boto3's real back-off between retries takes seconds


@pytest.fixture
def proxy(dynalite_server: Dynalite) -> Iterator[DynamoFaultProxy]:
    with DynamoFaultProxy(dynalite_server.url) as running:
        yield running


@pytest.fixture
def api(make_api, proxy: DynamoFaultProxy, dynalite_table: str) -> Api:
    store = DynamoDBHistoryStore(dynalite_table, region="us-east-1", endpoint_url=proxy.url)
    return make_api(store=store)


def error_code(response) -> str:
    body = response.json_body()
    assert set(body) == {"error"} and body["error"]["message"], body
    return body["error"]["code"]


def test_throttled_writes_are_retried_into_exactly_one_history_entry(
    api: Api, proxy: DynamoFaultProxy, dynalite_store: DynamoDBHistoryStore
) -> None:
    proxy.throttle("PutItem", times=2)

    response = call(api, "POST", "/playlist", BODY)

    assert response.status == 200, response.body
    assert proxy.count("PutItem", "throttle") == 2
    assert [r.playlist_id for r in history_of(dynalite_store, USER)] == [
        response.json_body()["playlist_id"]
    ]


def test_a_throttled_idempotency_claim_is_retried_and_the_key_still_replays(
    api: Api, proxy: DynamoFaultProxy, dynalite_store: DynamoDBHistoryStore
) -> None:
    key = str(uuid.uuid4())
    proxy.throttle("PutItem", times=1)  # the claim is the first write
    proxy.throttle("UpdateItem", times=1)  # and finishing it the last

    first = call(api, "POST", "/playlist", BODY, headers={"Idempotency-Key": key})
    second = call(api, "POST", "/playlist", BODY, headers={"Idempotency-Key": key})

    assert first.status == second.status == 200
    assert second.headers.get("idempotent-replayed") == "true"
    assert len(history_of(dynalite_store, USER)) == 1


def test_reading_history_through_throttling_answers_normally(
    api: Api, proxy: DynamoFaultProxy, dynalite_store: DynamoDBHistoryStore
) -> None:
    created = call(api, "POST", "/playlist", BODY).json_body()
    proxy.throttle("Query", times=2)

    listing = call(api, "GET", "/playlists", query={"user_id": USER})

    assert listing.status == 200
    assert [item["playlist_id"] for item in listing.json_body()["items"]] == [
        created["playlist_id"]
    ]


def test_throttling_that_outlasts_the_retries_is_a_503_and_stores_nothing(
    api: Api, proxy: DynamoFaultProxy, dynalite_store: DynamoDBHistoryStore
) -> None:
    proxy.throttle("PutItem", times=20)

    response = call(api, "POST", "/playlist", BODY)

    assert history_of(dynalite_store, USER) == []
    assert response.status == 503, response.body
    assert error_code(response) == "history_unavailable"
    assert "retry-after" in response.headers


def test_a_store_outage_is_a_clean_503_within_seconds(make_api, dynalite_table: str) -> None:
    dead = DynamoDBHistoryStore(
        dynalite_table, region="us-east-1", endpoint_url=f"http://127.0.0.1:{free_port()}"
    )
    api = make_api(store=dead)

    started = time.monotonic()
    response = call(api, "POST", "/playlist", BODY)

    assert time.monotonic() - started < 15
    assert response.status == 503, response.body
    assert error_code(response) == "history_unavailable"
    assert "retry-after" in response.headers


def test_a_write_whose_answer_is_lost_is_retried_without_doubling_or_failing(
    api: Api, proxy: DynamoFaultProxy, dynalite_store: DynamoDBHistoryStore
) -> None:
    proxy.lose_answer("PutItem", times=1)

    response = call(api, "POST", "/playlist", BODY)

    assert len(history_of(dynalite_store, USER)) == 1
    assert response.status == 200, response.body
