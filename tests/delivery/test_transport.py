"""The one request path the platform clients share: what is retried and what is not."""

from __future__ import annotations

import pytest

from aidj_service.delivery.errors import (
    PlatformRateLimitedError,
    PlatformUnavailableError,
)
from aidj_service.delivery.transport import Transport
from tests.support.fake_platform import Answer, FakePlatform, Fault, Recorded


class Echo(FakePlatform):
    def route(self, request: Recorded) -> Answer:
        return 200, {}, {"ok": True}


@pytest.fixture
def echo():
    with Echo() as fake:
        yield fake


def transport(fake: FakePlatform, **kwargs) -> tuple[Transport, list[float]]:
    slept: list[float] = []
    options = {"sleep": slept.append, "jitter": lambda: 0.0, **kwargs}
    return Transport("Echo", fake.url, **options), slept


def test_a_read_is_retried_after_a_server_error(echo):
    echo.add_fault(Fault(503, method="GET", times=2))
    http, slept = transport(echo)
    assert http.request("GET", "/x") == {"ok": True}
    assert len(echo.requests) == 3 and slept == [0.125, 0.25]


def test_a_create_is_not_resent_after_a_server_error(echo):
    echo.add_fault(Fault(503, method="POST"))
    http, _ = transport(echo)
    with pytest.raises(PlatformUnavailableError, match="may or may not have been made"):
        http.request("POST", "/x", json={})
    assert len(echo.requests) == 1


def test_a_get_that_creates_is_not_resent_either(echo):
    echo.add_fault(Fault(503, method="GET"))
    http, _ = transport(echo)
    with pytest.raises(PlatformUnavailableError):
        http.request("GET", "/createPlaylist", idempotent=False)
    assert len(echo.requests) == 1


def test_a_short_rate_limit_is_waited_out_even_for_a_create(echo):
    echo.add_fault(Fault(429, method="POST"))
    echo.faults[-1].body = {"error": {"message": "slow down"}}
    http, slept = transport(echo)
    assert http.request("POST", "/x", json={}) == {"ok": True}
    assert slept == [1.0]


def test_a_long_rate_limit_fails_fast(echo):
    class Slow(Echo):
        def handle(self, method, raw_path, headers, raw):
            self.requests.append(Recorded(method, raw_path, {}, None, headers))
            return 429, {"Retry-After": "120"}, {"error": {"message": "later"}}

    with Slow() as slow:
        http, slept = transport(slow)
        with pytest.raises(PlatformRateLimitedError, match="120 seconds"):
            http.request("GET", "/x")
    assert slept == []


def test_no_request_leaves_once_the_deadline_has_passed(echo):
    http, _ = transport(echo, deadline=0.0, clock=lambda: 1.0)
    with pytest.raises(PlatformUnavailableError, match="ran out of time"):
        http.request("GET", "/x")
    assert echo.requests == []
