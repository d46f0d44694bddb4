"""``aidj playlist --batch``: JSON lines in, one JSON result per line out (what the eval checker runs)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from aidj_service.cli.usage import UsageError, check_prompt, load_dj

BATCH_KEYS = frozenset({"id", "prompt", "limit"})


def run_batch(catalog: Path | None, source: str, default_limit: int | None) -> int:
    """One JSON line out per line in, in order; 1 when any line failed."""
    if source == "-":
        return batch_lines(catalog, sys.stdin, sys.stdout, default_limit)
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"--batch {source}: no such file: give a JSON-lines file, or - for stdin")
    with open(path, encoding="utf-8") as lines:
        return batch_lines(catalog, lines, sys.stdout, default_limit)


def batch_lines(catalog: Path | None, lines: TextIO, out: TextIO, default_limit: int | None) -> int:
    dj = load_dj(catalog)
    failed = 0
    for number, line in enumerate(lines, 1):
        item_id: Any = None
        try:
            item = parse_line(line, number)
            item_id = item.get("id")  # echoed even when the rest of the line is refused
            check_item(item, number)
            limit = item.get("limit", default_limit)
            result: dict[str, Any] = {
                "id": item_id,
                **dj.playlist(item["prompt"], limit=limit).to_dict(),
            }
        except UsageError as exc:
            failed += 1
            # a person at a terminal sees stderr, not the JSON: one line per bad input line
            sys.stderr.write(f"error: {exc}\n")
            result = {
                "id": item_id,
                "error": {"code": "invalid_line", "message": str(exc), "line": number},
            }
        except Exception as exc:
            failed += 1
            sys.stderr.write(f"error: line {number} failed ({type(exc).__name__}: {exc})\n")
            result = {
                "id": item_id,
                "error": {
                    "code": "internal_error",
                    "message": f"{type(exc).__name__}: {exc}",
                    "line": number,
                },
            }
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failed else 0


def parse_line(line: str, number: int) -> dict[str, Any]:
    if not line.strip():
        raise UsageError(
            f'line {number} is blank: write one JSON object per line, e.g. {{"id": "1", "prompt": "ska party"}}'
        )
    try:
        item = json.loads(line)
    except ValueError as exc:
        raise UsageError(f"line {number} is not valid JSON ({exc})") from None
    if not isinstance(item, dict):
        raise UsageError(
            f'line {number} must be a JSON object like {{"id": "1", "prompt": "ska party"}}'
        )
    return item


def check_item(item: dict[str, Any], number: int) -> None:
    unknown = sorted(set(item) - BATCH_KEYS)
    if unknown:
        raise UsageError(
            f"line {number}: unknown field(s) {', '.join(unknown)}: use id, prompt and limit"
        )
    if not isinstance(item.get("prompt"), str):
        raise UsageError(f'line {number} needs a string "prompt"')
    if not item["prompt"].strip():
        raise UsageError(f'line {number}: "prompt" is empty: say what you want to hear')
    try:
        check_prompt(item["prompt"])
    except UsageError as exc:
        raise UsageError(f"line {number}: {exc}") from None
    limit = item.get("limit")
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100
    ):
        raise UsageError(f'line {number}: "limit" must be a whole number from 1 to 100')
