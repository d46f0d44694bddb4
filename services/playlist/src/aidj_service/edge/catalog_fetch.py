"""A cloud function's catalog: fetched from S3 once per container, then memory-mapped.

The stack stores the packed artifact (:mod:`aidj.catalog_artifact`) under its digest and gives
the function ``AIDJ_CATALOG_BUCKET`` and ``AIDJ_CATALOG_KEY``. At cold start the artifact is
downloaded into ``/tmp`` as byte ranges side by side (its manifest first, then every file
checked against it) and the service loads it from there; a container that already holds that digest reuses it. Without those variables
nothing happens: locally the catalog is compiled into ``~/.cache/aidj`` as before.

The download is mostly waiting on the network, so the Lambda entry module starts it in a
thread (:func:`start_prefetch`) before the service's modules import, and the Api's build takes
its result (:func:`catalog_from_env`): the imports and the download overlap.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aidj.catalog import ARTIFACT_MANIFEST, CatalogError
from aidj.catalog_artifact import read_manifest, unpack_ranges

log = logging.getLogger(__name__)

BUCKET_VARIABLE = "AIDJ_CATALOG_BUCKET"
KEY_VARIABLE = "AIDJ_CATALOG_KEY"
# How many byte ranges of the artifact download side by side (S3 serves each connection at a
# bounded rate; hashing and writing leave the GIL). 1: one stream, as before.
RANGES_VARIABLE = "AIDJ_CATALOG_RANGES"
DEFAULT_RANGES = 4
MAX_RANGES = 16
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
    cpu_s: float = 0.0  # the fetching threads' CPU time: requests, unpacking, digests, writes


class WaitTimer:
    """A stream that counts the time spent inside its reads (the download's share of a fetch)
    and, once closed, the CPU its reading thread spent meanwhile (unpacking, digests)."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.seconds, self.cpu = stream, 0.0, 0.0
        self.thread, self._cpu_at = threading.get_ident(), time.thread_time()

    def read(self, size: int = -1) -> bytes:
        started = time.perf_counter()
        try:
            return self.stream.read(size)
        finally:
            self.seconds += time.perf_counter() - started

    def close(self) -> None:
        self.stream.close()
        self.cpu = time.thread_time() - self._cpu_at


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


def fetch_artifact(
    bucket: str, key: str, root: Path = DEFAULT_ROOT, s3: Any = None, ranges: int = DEFAULT_RANGES
) -> Fetched:
    """The artifact at ``s3://bucket/key`` as a local directory under ``root``."""
    found = _DIGEST_IN_KEY.search(key)
    digest = found.group(1) if found else ""
    dest = root / f"catalog-{(digest or _safe(key))[:32]}"
    if (dest / ARTIFACT_MANIFEST).exists() and (dest / "meta.json").exists():
        manifest = read_manifest(dest)
        if not digest or manifest.digest == digest:
            return Fetched(dest, manifest.digest, manifest.bytes, 0.0, reused=True)
    started, cpu = time.perf_counter(), time.thread_time()
    client = s3 if s3 is not None else _client()
    timers: list[WaitTimer] = []

    def open_range(first: int, last: int) -> Any:
        asked = time.perf_counter()
        try:  # a low-level boto3 client is safe to share across the unpacking threads
            body = client.get_object(Bucket=bucket, Key=key, Range=f"bytes={first}-{last}")
        except Exception as exc:  # botocore's errors, without importing botocore here
            raise CatalogError(
                f"could not fetch the catalog artifact s3://{bucket}/{key} ({exc}); check the "
                "key and the function's read permission on it"
            ) from exc
        timer = WaitTimer(body["Body"])
        timer.seconds = time.perf_counter() - asked  # until S3's first byte: waiting too
        timers.append(timer)
        return timer

    manifest = unpack_ranges(open_range, dest, expected_digest=digest, max_parts=ranges)
    seconds = time.perf_counter() - started
    spent = time.thread_time() - cpu  # this thread's, plus the threads that read ranges
    spent += sum(t.cpu for t in timers if t.thread != threading.get_ident())
    # the ranges download side by side: the longest one's wait is what the download cost
    waited = max((t.seconds for t in timers), default=0.0)
    return Fetched(dest, manifest.digest, manifest.bytes, seconds, False, waited, spent)


class Prefetch:
    """One fetch running in its own thread; :meth:`result` waits for it and raises its error."""

    def __init__(self, bucket: str, key: str, root: Path, ranges: int = DEFAULT_RANGES) -> None:
        self.where, self.ranges = (bucket, key, root), ranges
        self._fetched: Fetched | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="aidj-catalog-fetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._fetched = fetch_artifact(*self.where, ranges=self.ranges)
        except BaseException as exc:  # handed to the thread that asks for the result
            self._error = exc

    def result(self) -> Fetched:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._fetched is not None
        return self._fetched


_prefetches: dict[tuple[str, str, Path], Prefetch] = {}
_prefetch_lock = threading.Lock()


def start_prefetch(env: Mapping[str, str] | None = None) -> Prefetch | None:
    """Start fetching the artifact the environment names (None when it names none), so the
    download overlaps whatever the process does next; :func:`catalog_from_env` takes it over."""
    env = os.environ if env is None else env
    try:
        location, ranges = artifact_location(env), ranges_from(env)
    except CatalogError:
        return None  # said when the service is built, as its start-up error
    if location is None:
        return None
    where = (*location, _root(env))
    with _prefetch_lock:
        if where not in _prefetches:
            _prefetches[where] = Prefetch(*where, ranges=ranges)
        return _prefetches[where]


def catalog_from_env(env: Mapping[str, str] | None = None, s3: Any = None) -> str | None:
    """The catalog directory to load: the fetched artifact when the environment names one
    (the one :func:`start_prefetch` began, when it did)."""
    env = os.environ if env is None else env
    location = artifact_location(env)
    if location is None:
        return None
    root = _root(env)
    with _prefetch_lock:  # taken once: a failed prefetch is retried by a plain fetch next time
        started = _prefetches.pop((*location, root), None) if s3 is None else None
    fetched = (
        started.result()
        if started
        else fetch_artifact(*location, root=root, s3=s3, ranges=ranges_from(env))
    )
    log.info(
        "catalog artifact %s: %s (%d bytes in %.2f s, %.2f s of it waiting on S3, %.2f s CPU)",
        fetched.digest[:12],
        "reused" if fetched.reused else "fetched",
        fetched.bytes,
        fetched.seconds,
        fetched.waiting_s,
        fetched.cpu_s,
    )
    return str(fetched.path)


def ranges_from(env: Mapping[str, str]) -> int:
    raw = env.get(RANGES_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_RANGES
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_RANGES:
        raise CatalogError(
            f"{RANGES_VARIABLE}={raw!r}: give a whole number from 1 to {MAX_RANGES} (byte ranges "
            f"downloaded side by side), or leave it unset for {DEFAULT_RANGES}"
        )
    return int(raw)


def _root(env: Mapping[str, str]) -> Path:
    return Path(env.get("AIDJ_CACHE_DIR") or DEFAULT_ROOT)


def _client() -> Any:
    import boto3  # provided by the Lambda runtime; the local service never gets here

    # a session of its own: boto3's default one is not safe to share with the thread that
    # builds the service's other clients meanwhile (see Prefetch)
    return boto3.Session().client("s3")


def _safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", key)
