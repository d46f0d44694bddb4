"""/openapi.json describes the same API as before the service moved into rooms.

``fixtures/openapi_before.json`` is the document main's flat service served (saved before the
restructure, issue 18). Moving files must not change an operation, a schema or a status code;
only the order of keys and of list items may differ. A deliberate API change regenerates the
fixture in the same commit, so the change shows up in review as a diff of that file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aidj_service.edge.openapi import openapi_document

BEFORE = Path(__file__).parent / "fixtures" / "openapi_before.json"


def canonical(value: Any) -> Any:
    """``value`` with every list sorted by its items' JSON, so only content is compared."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def operations(document: dict[str, Any]) -> dict[str, list[str]]:
    """``"post /playlist"`` -> its documented status codes."""
    return {
        f"{method} {path}": sorted(operation["responses"])
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


def test_the_same_operations_answer_the_same_status_codes() -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    assert operations(openapi_document()) == operations(before)


def test_the_same_schemas_are_published() -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    now = openapi_document()
    assert canonical(now["components"]) == canonical(before["components"])


def test_the_whole_document_is_unchanged_apart_from_ordering() -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    assert canonical(openapi_document()) == canonical(before)


if __name__ == "__main__":
    # A deliberate API change: `uv run python -m tests.service.test_openapi_unchanged` rewrites
    # the fixture, and the commit shows the published change as its diff.
    BEFORE.write_text(json.dumps(openapi_document(), indent=1, sort_keys=True) + "\n", "utf-8")
