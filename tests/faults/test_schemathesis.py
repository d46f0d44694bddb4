"""Fuzz every operation of the service's own OpenAPI document against a real ``aidj serve``.

Schemathesis reads ``GET /openapi.json`` from the running server and generates valid and
invalid requests for each operation; every answer must be a non-5xx whose status, content type
and body the document declares. Bounded for CI: a few dozen examples per operation, no deadline.

Spotify and Bedrock point at 127.0.0.1 (a fake Spotify, a closed port for Bedrock), so
generated tokens or ``"interpreter": "bedrock"`` never leave the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from aidj_service.edge.serve_process import ServeProcess, free_port
from tests.support.fake_spotify import FakeSpotify

MAX_EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(
    catalog_path: Path, catalog_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServeProcess]:
    folder = tmp_path_factory.mktemp("schemathesis")
    with FakeSpotify() as spotify:
        env = {
            "AIDJ_CATALOG": str(catalog_path),
            "AIDJ_CACHE_DIR": str(catalog_cache_dir),
            "AIDJ_DB_PATH": str(folder / "history.sqlite3"),
            "SPOTIFY_API_URL": spotify.url,
            "SPOTIFY_CLIENT_ID": "schemathesis-client",
            "AIDJ_BEDROCK_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(folder / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(folder / "no-aws-credentials"),
        }
        with ServeProcess(env, folder / "server.log") as running:
            yield running


@pytest.fixture(scope="module")
def schema(server: ServeProcess) -> Any:
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


def can_be_invalid(operation: dict[str, Any]) -> bool:
    """Whether any request to it can break the document (a body, a query or a constrained parameter)."""
    if "requestBody" in operation:
        return True
    return any(
        p.get("in") in ("query", "header") or set(p.get("schema", {})) - {"type", "description"}
        for p in operation.get("parameters", [])
    )


def operations() -> list[Any]:
    from aidj_service.edge.openapi import openapi_document

    out = []
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "delete", "patch"):
                continue
            modes = [schemathesis.GenerationMode.POSITIVE]
            if can_be_invalid(operation):
                modes.append(schemathesis.GenerationMode.NEGATIVE)
            for mode in modes:
                out.append(
                    pytest.param(
                        method.upper(), path, mode, id=f"{method.upper()} {path} {mode.value}"
                    )
                )
    return out


@pytest.mark.parametrize(("method", "path", "mode"), operations())
def test_every_answer_is_declared_and_none_is_a_server_error(
    server: ServeProcess, schema: Any, method: str, path: str, mode: Any
) -> None:
    operation = schema[path][method]
    session = requests.Session()

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        case.call_and_validate(base_url=server.url, session=session, checks=CHECKS, timeout=30)

    check()
