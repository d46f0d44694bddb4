"""A cloud function's catalog: fetched from S3 once per container, then memory-mapped.

The stack stores the packed artifact (:mod:`aidj.catalog_artifact`) under its digest and gives
the function ``AIDJ_CATALOG_BUCKET`` and ``AIDJ_CATALOG_KEY``. At cold start the artifact is
streamed into ``/tmp`` (checked file by file against its manifest) and the service loads it
from there; a container that already holds that digest reuses it. Without those variables
nothing happens: locally the catalog is compiled into ``~/.cache/aidj`` as before.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aidj.catalog import ARTIFACT_MANIFEST, CatalogError
from aidj.catalog_artifact import read_manifest, unpack

log = logging.getLogger(__name__)

BUCKET_VARIABLE = "AIDJ_CATALOG_BUCKET"
KEY_VARIABLE = "AIDJ_CATALOG_KEY"
# Lambda's only writable place; the stack sizes its ephemeral storage from the artifact.
DEFAULT_ROOT = Path("/tmp/aidj")
# "catalogs/<64 hex>.tar": the key names the content, so the digest is checked on arrival
_DIGEST_IN_KEY = re.compile(r"([0-9a-f]{64})\.tar$")


@dataclass(frozen=True, slots=True)
class Fetched:
    """Where the catalog landed and what the fetch cost (logged once per cold start)."""

    path: Path
    digest: str
    bytes: int
    seconds: float
    reused: bool
    waiting_s: float = 0.0  # of ``seconds``, spent waiting on S3 (bandwidth, not our CPU)


class WaitTimer:
    """A stream that counts the time spent inside its reads: the download's share of a fetch."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.seconds = stream, 0.0

    def read(self, size: int = -1) -> bytes:
        started = time.perf_counter()
        try:
            return self.stream.read(size)
        finally:
            self.seconds += time.perf_counter() - started


def artifact_location(env: Mapping[str, str]) -> tuple[str, str] | None:
    """(bucket, key) when the function is given an artifact; None to load the local catalog."""
    bucket, key = env.get(BUCKET_VARIABLE, "").strip(), env.get(KEY_VARIABLE, "").strip()
    if not bucket and not key:
        return None
    if not bucket or not key:
        missing = KEY_VARIABLE if bucket else BUCKET_VARIABLE
        raise CatalogError(
            f"{missing} is not set while {BUCKET_VARIABLE}/{KEY_VARIABLE} name a catalog "
            "artifact; set both (the stack does) or neither (local catalog)"
        )
    return bucket, key


def fetch_artifact(bucket: str, key: str, root: Path = DEFAULT_ROOT, s3: Any = None) -> Fetched:
    """The artifact at ``s3://bucket/key`` as a local directory under ``root``."""
    found = _DIGEST_IN_KEY.search(key)
    digest = found.group(1) if found else ""
    dest = root / f"catalog-{(digest or _safe(key))[:32]}"
    if (dest / ARTIFACT_MANIFEST).exists() and (dest / "meta.json").exists():
        manifest = read_manifest(dest)
        if not digest or manifest.digest == digest:
            return Fetched(dest, manifest.digest, manifest.bytes, 0.0, reused=True)
    started = time.perf_counter()
    client = s3 if s3 is not None else _client()
    try:
        body = client.get_object(Bucket=bucket, Key=key)["Body"]
    except Exception as exc:  # botocore's errors, without importing botocore here
        raise CatalogError(
            f"could not fetch the catalog artifact s3://{bucket}/{key} ({exc}); check the key and "
            "the function's read permission on it"
        ) from exc
    timer = WaitTimer(body)
    try:
        manifest = unpack(timer, dest, expected_digest=digest)  # type: ignore[arg-type]
    finally:
        body.close()
    seconds = time.perf_counter() - started
    return Fetched(dest, manifest.digest, manifest.bytes, seconds, False, timer.seconds)


def catalog_from_env(env: Mapping[str, str] | None = None, s3: Any = None) -> str | None:
    """The catalog directory to load: the fetched artifact when the environment names one."""
    env = os.environ if env is None else env
    location = artifact_location(env)
    if location is None:
        return None
    root = Path(env.get("AIDJ_CACHE_DIR") or DEFAULT_ROOT)
    fetched = fetch_artifact(*location, root=root, s3=s3)
    log.info(
        "catalog artifact %s: %s (%d bytes in %.2f s, %.2f s of it waiting on S3)",
        fetched.digest[:12],
        "reused" if fetched.reused else "fetched",
        fetched.bytes,
        fetched.seconds,
        fetched.waiting_s,
    )
    return str(fetched.path)


def _client() -> Any:
    import boto3  # provided by the Lambda runtime; the local service never gets here

    return boto3.client("s3")


def _safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", key)
