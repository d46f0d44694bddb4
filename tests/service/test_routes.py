"""Each route is declared once (``aidj_service.edge.routes``); the router and /openapi.json follow it."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from aidj_service.edge.api import Api
from aidj_service.edge.http import Request
from aidj_service.edge.openapi import REF
from aidj_service.edge.routes import ENDPOINTS, ROUTED, Endpoint
from aidj_service.models import ErrorBody, PlaylistResponse
from aidj_service.stores.history import PlaylistRecord
from tests.service.conftest import call

PROMPT = "energetic music for working out"


@pytest.fixture(scope="module")
def document(dj, tmp_path_factory) -> dict[str, Any]:
    from aidj_service.config import Settings

    api = Api(Settings(db_path=str(tmp_path_factory.mktemp("routes") / "h.db")), dj=dj)
    try:
        return json.loads(call(api, "GET", "/openapi.json").body)
    finally:
        api.close()


def operation(document: dict[str, Any], endpoint: Endpoint) -> dict[str, Any]:
    return document["paths"][endpoint.document_path][endpoint.method.lower()]


def ref(model: type) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def example_path(endpoint: Endpoint) -> str:
    """A concrete path the endpoint's documented template matches."""
    return re.sub(r"\{format\}", "m3u8", re.sub(r"\{\w+\}", "x", endpoint.document_path))


def test_the_router_serves_exactly_the_routed_declarations_in_their_order(api: Api) -> None:
    assert [(r.method, r.template) for r in api.router.routes] == [
        (e.method, e.path) for e in ROUTED
    ]


def test_each_route_is_answered_by_the_method_its_declaration_names(api: Api) -> None:
    for route, endpoint in zip(api.router.routes, ROUTED):
        assert route.handler.__name__ == endpoint.handler.rsplit(".", 1)[-1], endpoint.key


def test_a_documented_form_of_a_path_is_answered_by_the_route_it_names(api: Api) -> None:
    aliases = [e for e in ENDPOINTS if e.served_by is not None]
    assert aliases, "the export operation is documented as a form of GET /playlists/{id}"
    for endpoint in aliases:
        route, _ = api.router.resolve(Request(endpoint.method, example_path(endpoint)))
        assert route.template == endpoint.served_by


def test_every_declaration_and_nothing_else_is_documented(document: dict[str, Any]) -> None:
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented == {(e.document_path, e.method.lower()) for e in ENDPOINTS}
    for endpoint in ENDPOINTS:
        assert operation(document, endpoint)["operationId"] == endpoint.operation_id


def test_each_success_is_documented_with_its_declared_response_model(
    document: dict[str, Any],
) -> None:
    for endpoint in ENDPOINTS:
        documented = operation(document, endpoint)["responses"]["200"]["content"]
        if endpoint.ok.model is not None:
            assert documented == {"application/json": {"schema": ref(endpoint.ok.model)}}
        else:
            assert documented == endpoint.ok.content, endpoint.key


def test_each_declared_error_is_documented_as_the_error_body(document: dict[str, Any]) -> None:
    for endpoint in ENDPOINTS:
        responses = operation(document, endpoint)["responses"]
        for status in endpoint.errors:
            schema = responses[str(status)]["content"]["application/json"]["schema"]
            assert schema == ref(ErrorBody), (endpoint.key, status)


def test_each_declared_request_model_is_the_documented_body(document: dict[str, Any]) -> None:
    for endpoint in ENDPOINTS:
        body = operation(document, endpoint).get("requestBody")
        if endpoint.body is None:
            assert body is None, endpoint.key
        else:
            assert body["content"]["application/json"]["schema"] == ref(endpoint.body)
            assert body["required"] is endpoint.body_required


def test_the_documented_playlist_schema_is_the_response_models_own(
    document: dict[str, Any],
) -> None:
    own = PlaylistResponse.model_json_schema(mode="serialization", ref_template=REF)
    own.pop("$defs", None)
    assert document["components"]["schemas"]["PlaylistResponse"] == own


def test_a_created_playlist_validates_against_the_schema_generated_from_its_model(
    api: Api, document: dict[str, Any]
) -> None:
    answer = call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 5})
    assert answer.status == 200
    schema = {**ref(PlaylistResponse), "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(answer.json_body())


def test_the_json_export_holds_the_answers_tracks(api: Api) -> None:
    created = call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 4}).json_body()
    exported = call(api, "GET", f"/playlists/{created['playlist_id']}.json").json_body()
    assert exported["tracks"] == created["tracks"]
    assert [list(t) for t in exported["tracks"]] == [list(t) for t in created["tracks"]]


def test_a_stored_playlist_that_breaks_todays_model_is_still_answered_and_the_mismatch_logged(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    created = call(api, "POST", "/playlist", {"prompt": PROMPT, "limit": 3}).json_body()
    record = api.store.get(created["playlist_id"])
    assert record is not None
    rev = record.data["rev"]
    # "half-done" is not a status the model (and so the document) allows
    broken = {**record.data, "status": "half-done", "rev": rev + 1}
    api.store.save(
        PlaylistRecord(record.playlist_id, record.user_id, record.created_at, broken),
        expected_rev=rev,
    )
    answer = call(api, "GET", f"/playlists/{created['playlist_id']}")
    assert answer.status == 200
    assert answer.json_body()["tracks"] == created["tracks"]
    assert answer.json_body()["status"] == "half-done"
    assert f"stored playlist {created['playlist_id']} does not fit PlaylistResponse (status)" in (
        caplog.text
    )
