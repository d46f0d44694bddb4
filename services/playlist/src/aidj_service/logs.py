"""One structured JSON line per request, and nothing secret in it.

Users appear only as a truncated sha256 (enough to follow one user's requests, not to name
them); tokens, prompts and playlist ids never enter a log line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

ACCESS_LOGGER = "aidj_service.access"
access_log = logging.getLogger(ACCESS_LOGGER)


def user_hash(user_id: str) -> str:
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:16]


def log_request(fields: dict[str, Any]) -> None:
    # the line is encoded only when someone reads it (tests and benchmarks leave it off)
    if access_log.isEnabledFor(logging.INFO):
        access_log.info(json.dumps(fields, ensure_ascii=False, separators=(",", ":"), default=str))


@contextmanager
def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Add the wall time of the block, in ms, to ``timings[stage]`` (even when it raises)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(timings.get(stage, 0.0) + (time.perf_counter() - start) * 1000, 2)


class _JsonLinesFormatter(logging.Formatter):
    """Access lines are JSON already; other records become JSON too so a log holds only JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == ACCESS_LOGGER:
            return record.getMessage()
        line: dict[str, Any] = {
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            line["request_id"] = request_id
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(stream: IO[str] | None = None, level: int = logging.INFO) -> None:
    """Send the service's logs, as JSON lines, to ``stream`` (stderr locally, stdout in Lambda)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_JsonLinesFormatter())
    service = logging.getLogger("aidj_service")
    for existing in list(service.handlers):
        if getattr(existing, "_aidj", False):
            service.removeHandler(existing)
    handler._aidj = True  # type: ignore[attr-defined]
    service.addHandler(handler)
    service.setLevel(level)
    # Lambda's runtime puts a text handler on the root logger; our lines stay pure JSON.
    service.propagate = False
