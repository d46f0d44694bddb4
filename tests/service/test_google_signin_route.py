"""POST /auth/google/token: the page's YouTube sign-in code exchanged with this service's secret,
through the whole API, against the fake Google on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from aidj_service.delivery.settings import DeliverySettings
from aidj_service.edge.api import Api
from tests.support.fake_google_oauth import CLIENT_ID, CLIENT_SECRET, FakeGoogleOAuth, s256
from tests.support.fake_platform import Fault
from tests.support.fake_youtube import ACCESS_TOKEN

from .conftest import call, local_settings

VERIFIER = "Vq3" * 20  # 60 characters of the PKCE alphabet
PAGE = "http://127.0.0.1/"  # the page's address as call() reaches the API (Host: 127.0.0.1)
FROM_PAGE = {"origin": "http://127.0.0.1"}


@pytest.fixture
def google() -> Iterator[FakeGoogleOAuth]:
    with FakeGoogleOAuth(redirect_uris=(PAGE, "https://dj.example.org/")) as fake:
        yield fake


def settings(google: FakeGoogleOAuth, **overrides) -> DeliverySettings:
    base = {
        "google_client_id": CLIENT_ID,
        "google_client_secret": CLIENT_SECRET,
        "google_token_url": google.token_url,
    }
    return DeliverySettings(**{**base, **overrides})


@pytest.fixture
def make(dj, tmp_path, google):
    made: list[Api] = []

    def build(delivery: DeliverySettings | None = None, **overrides) -> Api:
        api = Api(
            local_settings(tmp_path, **overrides),
            dj=dj,
            delivery=delivery if delivery is not None else settings(google),
        )
        made.append(api)
        return api

    yield build
    for api in made:
        api.close()


def exchange(api: Api, body: dict, headers: dict | None = None):
    return call(api, "POST", "/auth/google/token", body, headers=headers or FROM_PAGE)


def body_for(code: str, redirect_uri: str = PAGE, verifier: str = VERIFIER) -> dict:
    return {"code": code, "code_verifier": verifier, "redirect_uri": redirect_uri}


def error(answer) -> tuple[int, str]:
    return answer.status, answer.json_body()["error"]["code"]


def test_the_page_s_code_becomes_an_access_token_and_nothing_more(make, google):
    code = google.issue(s256(VERIFIER), PAGE, offline=True)  # even if Google offered one
    answer = exchange(make(), body_for(code))
    assert answer.status == 200
    assert answer.json_body() == {
        "access_token": ACCESS_TOKEN,
        "expires_in": 3599,
        "scope": "https://www.googleapis.com/auth/youtube",
    }
    assert answer.headers["cache-control"] == "no-store"


def test_the_service_sends_google_its_secret_and_the_page_s_verifier(make, google):
    exchange(make(), body_for(google.issue(s256(VERIFIER), PAGE)))
    (sent,) = google.requests_to("POST", "/token")
    assert (
        f"client_secret={CLIENT_SECRET}" in sent.body and f"code_verifier={VERIFIER}" in sent.body
    )


def test_a_service_without_the_client_secret_says_what_to_set(make, google):
    answer = exchange(make(settings(google, google_client_secret=None)), body_for("4/0Ax"))
    assert error(answer) == (422, "platform_not_configured")
    assert "GOOGLE_CLIENT_SECRET" in answer.json_body()["error"]["message"]
    assert google.requests == []


def test_a_missing_code_is_named(make):
    answer = exchange(make(), {"code_verifier": VERIFIER, "redirect_uri": PAGE})
    assert error(answer) == (422, "validation_error")
    assert "code" in answer.json_body()["error"]["message"]


def test_a_code_with_spaces_is_refused_before_google_is_asked(make, google):
    answer = exchange(make(), body_for("4/0A code"))
    assert error(answer) == (422, "validation_error") and google.requests == []


def test_a_verifier_outside_rfc_7636_is_refused(make, google):
    answer = exchange(make(), body_for("4/0Ax", verifier="short"))
    assert error(answer) == (422, "validation_error")
    assert "RFC 7636" in answer.json_body()["error"]["message"]


def test_a_redirect_uri_that_is_not_the_page_is_refused(make, google):
    code = google.issue(s256(VERIFIER), "https://dj.example.org/")
    answer = exchange(make(), body_for(code, "https://dj.example.org/"))
    assert error(answer) == (422, "redirect_uri_not_allowed")
    assert "AIDJ_GOOGLE_REDIRECT_URIS" in answer.json_body()["error"]["message"]
    assert google.requests == []


def test_without_an_origin_naming_this_server_only_listed_addresses_pass(make, google):
    answer = exchange(make(), body_for("4/0Ax"), headers={"origin": None})
    assert error(answer) == (422, "redirect_uri_not_allowed")


def test_a_listed_redirect_uri_is_accepted(make, google):
    code = google.issue(s256(VERIFIER), "https://dj.example.org/")
    api = make(settings(google, google_redirect_uris=("https://dj.example.org/",)))
    assert exchange(api, body_for(code, "https://dj.example.org/")).status == 200


def test_the_page_at_a_configured_origin_is_accepted(make, google):
    code = google.issue(s256(VERIFIER), "https://dj.example.org/")
    api = make(cors_origins=("https://dj.example.org",))
    answer = exchange(api, body_for(code, "https://dj.example.org/"), {"origin": None})
    assert answer.status == 200


def test_google_refusing_the_code_asks_to_sign_in_again(make, google):
    code = google.issue(s256("another-verifier-" * 3), PAGE)
    answer = exchange(make(), body_for(code))
    assert error(answer) == (422, "google_code_refused")
    assert "sign in to YouTube Music again" in answer.json_body()["error"]["message"]


def test_a_wrong_client_secret_is_a_server_side_502(make, google):
    api = make(settings(google, google_client_secret="not-the-secret"))
    answer = exchange(api, body_for(google.issue(s256(VERIFIER), PAGE)))
    assert error(answer) == (502, "google_client_rejected")


def test_google_down_is_a_503_with_retry_after(make, google):
    google.add_fault(Fault(503, path="token"))
    answer = exchange(make(), body_for(google.issue(s256(VERIFIER), PAGE)))
    assert error(answer) == (503, "google_unavailable") and answer.headers["retry-after"] == "5"


def test_sign_ins_are_rate_limited_per_address(make, google):
    api = make(rate_limit_per_minute=1)
    first = exchange(api, body_for(google.issue(s256(VERIFIER), PAGE)))
    second = exchange(api, body_for(google.issue(s256(VERIFIER), PAGE)))
    assert first.status == 200 and error(second) == (429, "rate_limited")


def test_neither_the_code_nor_the_token_is_logged(make, google, caplog):
    caplog.set_level(logging.DEBUG)
    code = google.issue(s256(VERIFIER), PAGE)
    exchange(make(), body_for(code))
    assert code not in caplog.text and ACCESS_TOKEN not in caplog.text
    assert VERIFIER not in caplog.text and CLIENT_SECRET not in caplog.text


def test_the_openapi_document_describes_the_exchange(make):
    document = call(make(), "GET", "/openapi.json").json_body()
    operation = document["paths"]["/auth/google/token"]["post"]
    assert operation["operationId"] == "exchangeGoogleCode"
    assert {"200", "422", "429", "502", "503"} <= set(operation["responses"])
