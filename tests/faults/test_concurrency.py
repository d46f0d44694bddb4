"""200 simultaneous playlist requests for one user over real HTTP: exactly 200 history entries,
on SQLite and on a real DynamoDB (dynalite), none lost, none doubled, no failed request.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.faults.conftest import history_of
from tests.service.conftest import LiveServer

USER = "one-busy-user"
REQUESTS = 200
CLIENTS = 50
PROMPTS = [
    "high energy gym playlist",
    "quiet background music for studying",
    "música tranquila para dormir",
    "happy songs to start the morning",
    "sad songs for a rainy day",
]

pytestmark = pytest.mark.slow


def hammer(url: str) -> list[tuple[int, str]]:
    local = threading.local()

    def one(i: int) -> tuple[int, str]:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        answer = session.post(
            f"{url}/playlist",
            json={"prompt": PROMPTS[i % len(PROMPTS)], "limit": 10, "user_id": USER},
            timeout=60,
        )
        return answer.status_code, (
            answer.json().get("playlist_id") or ""
        ) if answer.status_code == 200 else answer.text

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(REQUESTS)))


@pytest.mark.parametrize("backend", ["sqlite_store", "dynalite_store"])
def test_two_hundred_concurrent_requests_make_exactly_two_hundred_entries(
    make_api, request: pytest.FixtureRequest, backend: str
) -> None:
    store: Any = request.getfixturevalue(backend)
    server = LiveServer(make_api(store=store)).start()
    try:
        answers = hammer(server.url)
    finally:
        server.stop()

    failures = [a for a in answers if a[0] != 200]
    assert failures == []
    ids = [pid for _, pid in answers]
    assert len(set(ids)) == REQUESTS
    stored = history_of(store, USER)
    assert len(stored) == REQUESTS
    assert {r.playlist_id for r in stored} == set(ids)
