"""The OpenAPI 3.1 document served at ``/openapi.json``, generated from the route declarations.

Paths and operations come from :data:`aidj_service.edge.routes.ENDPOINTS`; every schema comes from
the pydantic models the API validates requests with and builds its answers from.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from aidj_service.edge.routes import ENDPOINTS, Endpoint, Param
from aidj_service.models import ErrorBody

REF = "#/components/schemas/{model}"
RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "string"}}
}
REQUEST_ID = {
    "X-Request-Id": {
        "description": "Quote it when reporting a problem",
        "schema": {"type": "string"},
    }
}
# Answers any route can give on a local server, added where a route does not say more.
LOCAL_SERVER_ERRORS = {
    400: "Local mode: the request has no Host header",
    403: "Local mode: a host name this server does not answer for",
    414: "URL path over 2,048 characters",
    503: "Not answered before the request deadline (local server)",
}
# the local-mode guard answers every POST whose Content-Type is missing or not JSON, body or not
LOCAL_POST_ERRORS = {415: "Local mode: the POST's Content-Type is missing or not JSON"}
SECURITY = {
    "optional": [{"spotifyToken": []}, {}],
    "required": [{"spotifyToken": []}],
}


def _schemas() -> tuple[dict[type[BaseModel], str], dict[str, Any]]:
    """Each model's component name, and the components: requests as validated, answers as built."""
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = []
    for endpoint in ENDPOINTS:
        if endpoint.body is not None:
            models.append((endpoint.body, "validation"))
        if endpoint.ok.model is not None:
            models.append((endpoint.ok.model, "serialization"))
    models.append((ErrorBody, "serialization"))
    models = list(dict.fromkeys(models))
    refs, defs = models_json_schema(models, ref_template=REF)
    names = {model: refs[(model, mode)]["$ref"].rsplit("/", 1)[-1] for model, mode in models}
    return names, defs.get("$defs", {})


def _json(description: str, name: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model=name)}}},
    }


def _error(status: int, description: str, error_name: str) -> dict[str, Any]:
    out = _json(description, error_name)
    if status in (429, 503):
        out["headers"] = RETRY_AFTER
    return out


def _parameter(param: Param) -> dict[str, Any]:
    out: dict[str, Any] = {"name": param.name, "in": param.where, "required": param.required}
    if param.description:
        out["description"] = param.description
    out["schema"] = dict(param.schema)
    return out


def operation(endpoint: Endpoint, names: dict[type[BaseModel], str]) -> dict[str, Any]:
    """One endpoint as an OpenAPI operation."""
    ok = endpoint.ok
    if ok.model is not None:
        success = {**_json(ok.description, names[ok.model]), "headers": REQUEST_ID}
    else:
        success = {
            "description": ok.description,
            "content": {k: dict(v) for k, v in ok.content.items()},
        }
    error_name = names[ErrorBody]
    errors = {
        **endpoint.errors,
        **{s: d for s, d in LOCAL_SERVER_ERRORS.items() if s not in endpoint.errors},
        **{
            s: d
            for s, d in LOCAL_POST_ERRORS.items()
            if endpoint.method == "POST" and s not in endpoint.errors
        },
    }
    out: dict[str, Any] = {"operationId": endpoint.operation_id, "summary": endpoint.summary}
    if endpoint.auth in SECURITY:
        out["security"] = [dict(option) for option in SECURITY[endpoint.auth]]
    if endpoint.params:
        out["parameters"] = [_parameter(p) for p in endpoint.params]
    if endpoint.body is not None:
        out["requestBody"] = {
            "required": endpoint.body_required,
            "content": {
                "application/json": {"schema": {"$ref": REF.format(model=names[endpoint.body])}}
            },
        }
    out["responses"] = {
        "200": success,
        **{
            str(status): _error(status, text, error_name) for status, text in sorted(errors.items())
        },
    }
    return out


def openapi_document() -> dict[str, Any]:
    names, schemas = _schemas()
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in ENDPOINTS:
        paths.setdefault(endpoint.document_path, {})[endpoint.method.lower()] = operation(
            endpoint, names
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AI DJ",
            "version": "1.0.0",
            "description": "One sentence in, a DJ-quality playlist out. Errors are always "
            '`{"error": {"code", "message", "request_id"}}`.',
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "spotifyToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A Spotify user access token (scopes playlist-modify-private "
                    "playlist-modify-public; user-modify-playback-state to queue)",
                }
            },
        },
    }
