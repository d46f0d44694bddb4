"""Response schemas from an OpenAPI 3.0 document, as plain JSON Schema for :mod:`jsonschema`.

OpenAPI 3.0 schemas are almost JSON Schema draft 4: ``$ref`` points into ``components`` and
``nullable: true`` stands for "or null". :func:`resolve` inlines every ``$ref`` (a recursive
reference becomes ``{}``, "anything") and rewrites ``nullable``, so a validator needs nothing
but the returned dict.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml


@lru_cache(maxsize=4)
def load_openapi(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _pointer(doc: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported, got {ref!r}")
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def resolve(doc: dict[str, Any], node: Any, _active: frozenset[str] = frozenset()) -> Any:
    """``node`` with every ``$ref`` inlined and ``nullable`` turned into a ``null`` alternative."""
    if isinstance(node, list):
        return [resolve(doc, item, _active) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in _active:
            return {}
        return resolve(doc, _pointer(doc, ref), _active | {ref})
    out = {key: resolve(doc, value, _active) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        if "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def path_template(doc: dict[str, Any], path: str) -> str | None:
    """The document's path template (``/playlists/{playlist_id}/items``) matching a concrete path."""
    for template in doc["paths"]:
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    return None


def response_schema(
    doc: dict[str, Any], template: str, method: str, status: int
) -> dict[str, Any] | None:
    """The resolved JSON schema of one documented response, or ``None`` when it is undocumented."""
    operation = doc["paths"].get(template, {}).get(method.lower())
    if operation is None:
        return None
    response = operation.get("responses", {}).get(str(status))
    if response is None:
        return None
    response = resolve(doc, response)
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return schema


def request_schema(doc: dict[str, Any], template: str, method: str) -> dict[str, Any] | None:
    """The resolved JSON schema of an operation's JSON request body, or ``None`` when it takes none."""
    operation = doc["paths"].get(template, {}).get(method.lower())
    if operation is None or "requestBody" not in operation:
        return None
    body = resolve(doc, operation["requestBody"])
    return body.get("content", {}).get("application/json", {}).get("schema")


def error_schema(doc: dict[str, Any]) -> dict[str, Any]:
    """The ``{"error": {"status", "message"}}`` body every Spotify error shares."""
    return resolve(doc, doc["components"]["responses"]["Unauthorized"])["content"][
        "application/json"
    ]["schema"]


def validation_errors(schema: dict[str, Any], body: Any) -> list[str]:
    validator = jsonschema.Draft4Validator(schema)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(body)
    ]
