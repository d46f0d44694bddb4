"""The compiled catalog as a deployable artifact: the cache directory plus a manifest.

A deployment must not carry its catalog inside its code (a Lambda zip caps out at 250 MB, a
10M-track catalog is 2 GB). ``aidj catalog build`` writes the compiled directory with a
``manifest.json`` (content digest, track count, format versions, the source files' digests);
:func:`pack` turns it into one deterministic tar that a stack stores under its digest, and
:func:`unpack` streams it back into a directory, checking every file against the manifest
while it writes. The directory loads like any compiled cache (:func:`aidj.catalog.load_catalog`),
memory-mapped.

Pure file handling: where the tar is stored (S3, a disk) is the adapters' business.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, BinaryIO

from aidj.catalog import (
    ARTIFACT_MANIFEST,
    CACHE_FORMAT,
    CatalogError,
    compile_catalog,
    load_compiled,
    resolve_catalog_paths,
    store_text_masks,
)
from aidj.progress import ProgressCallback, ignore_progress
from aidj.title_marks import title_mark_patterns

# Bumped when the manifest or the tar layout changes (the cache's own layout is CACHE_FORMAT).
ARTIFACT_FORMAT = 1
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class FileDigest:
    name: str
    sha256: str
    bytes: int


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an artifact holds; ``digest`` names its content (the same compile, the same digest)."""

    format_version: int
    cache_format: int
    digest: str
    tracks: int
    bytes: int  # the compiled files together: what the artifact takes on disk
    files: tuple[FileDigest, ...]
    sources: tuple[FileDigest, ...]  # the CSVs it was compiled from, by file name

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str) -> Manifest:
        try:
            raw = json.loads(text)
            manifest = cls(
                format_version=int(raw["format_version"]),
                cache_format=int(raw["cache_format"]),
                digest=str(raw["digest"]),
                tracks=int(raw["tracks"]),
                bytes=int(raw["bytes"]),
                files=tuple(FileDigest(**f) for f in raw["files"]),
                sources=tuple(FileDigest(**f) for f in raw["sources"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CatalogError(
                f"{where}: not a catalog artifact manifest ({exc}); rebuild it with `aidj catalog build`"
            ) from exc
        if content_digest(manifest.files) != manifest.digest:
            # the files' digests are what every download is checked against: they must be the
            # ones the digest (the S3 key) names
            raise CatalogError(
                f"{where}: the manifest's files do not add up to its digest; rebuild it with "
                "`aidj catalog build`"
            )
        return manifest

    def check_loadable(self, where: str) -> None:
        """Refuse an artifact this code cannot read, saying how to get one it can."""
        if self.format_version != ARTIFACT_FORMAT or self.cache_format != CACHE_FORMAT:
            raise CatalogError(
                f"{where}: artifact format {self.format_version}/cache {self.cache_format}, this "
                f"code reads {ARTIFACT_FORMAT}/{CACHE_FORMAT}; rebuild it with `aidj catalog build`"
            )


def file_digest(path: Path, name: str | None = None) -> FileDigest:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return FileDigest(name or path.name, digest.hexdigest(), size)


def content_digest(files: Sequence[FileDigest]) -> str:
    """One digest for a set of files: their names and digests, in name order."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        digest.update(f"{f.name}\0{f.sha256}\n".encode())
    return digest.hexdigest()


def compiled_files(folder: Path) -> list[Path]:
    """The compiled cache's files (everything but the manifest), in name order."""
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.name != ARTIFACT_MANIFEST),
        key=lambda p: p.name,
    )


def describe(folder: Path, sources: Sequence[Path]) -> Manifest:
    """The manifest of a compiled directory made from ``sources``."""
    meta = json.loads((folder / "meta.json").read_text())
    files = tuple(file_digest(p) for p in compiled_files(folder))
    return Manifest(
        format_version=ARTIFACT_FORMAT,
        cache_format=int(meta["format"]),
        digest=content_digest(files),
        tracks=int(meta["tracks"]),
        bytes=sum(f.bytes for f in files),
        files=files,
        sources=tuple(file_digest(p) for p in sources),
    )


def build_artifact(
    csv_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None,
    out_dir: str | os.PathLike[str],
    progress: ProgressCallback = ignore_progress,
) -> Manifest:
    """Compile ``csv_paths`` into ``out_dir`` and write its manifest beside the columns."""
    sources = resolve_catalog_paths(csv_paths)
    out = Path(out_dir)
    if out.exists() and not (out / "meta.json").exists() and any(out.iterdir()):
        # compile_catalog replaces the folder: never a folder that holds something else
        raise CatalogError(
            f"{out} exists and is not a compiled catalog; choose an empty or new --out folder"
        )
    compile_catalog(sources, out, progress)
    # the marks every prompt reads, so a cold start does not read every title for them
    store_text_masks(load_compiled(out), out, title_mark_patterns())
    manifest = describe(out, sources)
    (out / ARTIFACT_MANIFEST).write_text(manifest.to_json())
    return manifest


def read_manifest(folder: str | os.PathLike[str]) -> Manifest:
    path = Path(folder) / ARTIFACT_MANIFEST
    try:
        text = path.read_text()
    except OSError as exc:
        raise CatalogError(
            f"{folder}: no {ARTIFACT_MANIFEST} ({exc.strerror}); build the artifact with "
            "`aidj catalog build CSV... --out DIR`"
        ) from exc
    return Manifest.from_json(text, str(path))


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    # fixed owner, mode and time: one compile always packs to the same bytes
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def pack(folder: str | os.PathLike[str], tar_path: str | os.PathLike[str]) -> Path:
    """One uncompressed, deterministic tar of the artifact, manifest first (so a reader knows
    what to expect before the columns arrive). Uncompressed: .npy columns barely compress, and
    a cold start should not spend its CPU inflating them."""
    folder, target = Path(folder), Path(tar_path)
    manifest = read_manifest(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    with tarfile.open(partial, "w", format=tarfile.USTAR_FORMAT) as tar:
        data = manifest.to_json().encode()
        tar.addfile(_tar_info(ARTIFACT_MANIFEST, len(data)), io.BytesIO(data))
        for f in manifest.files:
            with (folder / f.name).open("rb") as handle:
                tar.addfile(_tar_info(f.name, f.bytes), handle)
    os.replace(partial, target)
    return target


def unpack(stream: BinaryIO, dest: str | os.PathLike[str], expected_digest: str = "") -> Manifest:
    """Stream a packed artifact into ``dest`` (replaced atomically), checking each file's digest
    as it is written; a mismatch, a missing or unexpected file leaves nothing behind."""
    return _into_place(
        Path(dest), expected_digest, lambda tmp: _unpack_into(stream, tmp, str(dest))
    )


# (first byte, last byte), both included -> a stream of exactly those bytes of the packed tar
OpenRange = Callable[[int, int], BinaryIO]
MANIFEST_PROBE = 64 * 1024  # the first range: the manifest's header and, nearly always, itself
PART_BYTES = 32 << 20  # a range below this is not worth a connection of its own
MAX_PARTS = 4


def unpack_ranges(
    open_range: OpenRange,
    dest: str | os.PathLike[str],
    expected_digest: str = "",
    part_bytes: int | None = None,
    max_parts: int | None = None,
) -> Manifest:
    """:func:`unpack` of a packed artifact read as byte ranges, several at once: the manifest
    first, then up to ``max_parts`` runs of whole files, each written and checked against the
    manifest by its own thread (hashing and writing leave the GIL, a download waits on its
    connection: one stream used one core and one connection at a time)."""
    where = str(dest)

    def fill(tmp: Path) -> Manifest:
        manifest, members = _read_layout(open_range, where)
        _promised(manifest, expected_digest, where)  # before a single column is downloaded
        (tmp / ARTIFACT_MANIFEST).write_text(manifest.to_json())
        parts = _split(members, part_bytes or PART_BYTES, max_parts or MAX_PARTS)
        if len(parts) == 1:
            _unpack_part(open_range, parts[0], tmp, where)
        else:
            with ThreadPoolExecutor(len(parts), thread_name_prefix="aidj-artifact") as pool:
                for done in [pool.submit(_unpack_part, open_range, p, tmp, where) for p in parts]:
                    done.result()
        return manifest

    return _into_place(Path(dest), expected_digest, fill)


def _promised(manifest: Manifest, expected_digest: str, where: object) -> None:
    if expected_digest and manifest.digest != expected_digest:
        raise CatalogError(
            f"{where}: the artifact's digest is {manifest.digest}, its key promised "
            f"{expected_digest}; upload the artifact again under its own digest"
        )


def _into_place(dest: Path, expected_digest: str, fill: Callable[[Path], Manifest]) -> Manifest:
    """``fill`` a fresh folder beside ``dest``, then replace ``dest`` with it; nothing is left
    behind when ``fill`` fails or the digest is not the promised one."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=dest.parent))
    try:
        manifest = fill(tmp)
        _promised(manifest, expected_digest, dest)
        if dest.exists():
            shutil.rmtree(dest, ignore_errors=True)
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


_BLOCK = 512  # a tar is 512-byte blocks: a header, then the data padded to a whole block


def _unpack_into(stream: BinaryIO, folder: Path, where: str) -> Manifest:
    """Read the tar block by block: tarfile's stream mode copies every byte through a small
    buffer in Python, which doubled the unpack time of a 200 MB artifact."""
    manifest: Manifest | None = None
    expected: dict[str, FileDigest] = {}
    while True:
        header = _read_exact(stream, _BLOCK, where)
        if not header.strip(b"\0"):
            break  # the end-of-archive block
        member = _member(header, where)
        if manifest is None:
            if member.name != ARTIFACT_MANIFEST:
                raise CatalogError(f"{where}: the artifact does not start with its manifest")
            manifest = Manifest.from_json(_read_exact(stream, member.size, where).decode(), where)
            manifest.check_loadable(where)
            expected = {f.name: f for f in manifest.files}
            (folder / ARTIFACT_MANIFEST).write_text(manifest.to_json())
        else:
            want = expected.pop(member.name, None)
            if want is None:
                raise CatalogError(f"{where}: {member.name!r} is not in the artifact's manifest")
            if member.size != want.bytes:
                _check(want, "", where)  # cut or padded: it cannot match
            _check(want, _copy_hashing(stream, folder / member.name, member.size, where), where)
        _read_exact(stream, -member.size % _BLOCK, where)
    if manifest is None or expected:
        missing = sorted(expected) if expected else [ARTIFACT_MANIFEST]
        raise CatalogError(f"{where}: the artifact lacks {missing}; fetch or rebuild it")
    return manifest


# a packed file: its manifest entry and where its tar header starts
Member = tuple[FileDigest, int]


def _padded(size: int) -> int:
    return size + (-size % _BLOCK)


def _read_layout(open_range: OpenRange, where: str) -> tuple[Manifest, list[Member]]:
    """The manifest (the tar's first member) and where each file's header sits: :func:`pack`
    writes one USTAR header per file, in the manifest's order, so the offsets follow from it."""
    stream = open_range(0, MANIFEST_PROBE - 1)
    try:
        member = _member(_read_exact(stream, _BLOCK, where), where)
        if member.name != ARTIFACT_MANIFEST:
            raise CatalogError(f"{where}: the artifact does not start with its manifest")
        if _BLOCK + member.size <= MANIFEST_PROBE:
            text = _read_exact(stream, member.size, where)
        else:  # a manifest of very many files: read the rest of it
            text = _read_exact(stream, MANIFEST_PROBE - _BLOCK, where)
            more = open_range(MANIFEST_PROBE, _BLOCK + member.size - 1)
            try:
                text += _read_exact(more, _BLOCK + member.size - MANIFEST_PROBE, where)
            finally:
                more.close()
    finally:
        stream.close()
    manifest = Manifest.from_json(text.decode(), where)
    manifest.check_loadable(where)
    members, offset = [], _BLOCK + _padded(member.size)
    for f in manifest.files:
        members.append((f, offset))
        offset += _BLOCK + _padded(f.bytes)
    return manifest, members


def _split(members: list[Member], part_bytes: int, max_parts: int) -> list[list[Member]]:
    """Runs of consecutive files of about equal bytes: one range each."""
    total = sum(f.bytes for f, _ in members)
    count = max(1, min(max_parts, total // max(1, part_bytes)))
    parts: list[list[Member]] = [[]]
    filled = 0
    for member in members:
        if parts[-1] and filled >= total * len(parts) / count:
            parts.append([])
        parts[-1].append(member)
        filled += member[0].bytes
    return parts


def _unpack_part(open_range: OpenRange, part: list[Member], folder: Path, where: str) -> None:
    """Write and check one run of files, read as one range (headers and padding included)."""
    if not part:
        return
    last, last_at = part[-1]
    start = part[0][1]
    stream = open_range(start, last_at + _BLOCK + last.bytes - 1)
    try:
        at = start
        for want, offset in part:
            _read_exact(stream, offset - at, where)  # the previous file's padding
            member = _member(_read_exact(stream, _BLOCK, where), where)
            if member.name != want.name or member.size != want.bytes:
                raise CatalogError(
                    f"{where}: found {member.name!r} where the manifest puts {want.name!r}; "
                    "pack the artifact again (aidj_infra.catalog_store)"
                )
            _check(want, _copy_hashing(stream, folder / want.name, want.bytes, where), where)
            at = offset + _BLOCK + want.bytes
    finally:
        stream.close()


def _member(header: bytes, where: str) -> tarfile.TarInfo:
    try:
        member = tarfile.TarInfo.frombuf(header, "utf-8", "strict")
    except tarfile.TarError as exc:
        raise CatalogError(f"{where}: not a packed catalog artifact ({exc})") from exc
    if not member.isfile() or "/" in member.name or member.name.startswith("."):
        raise CatalogError(f"{where}: unexpected entry {member.name!r} in the artifact")
    return member


def _check(want: FileDigest, sha256: str, where: str) -> None:
    if sha256 != want.sha256:
        raise CatalogError(
            f"{where}: {want.name} does not match the manifest (corrupt download); fetch it again"
        )


def _read_exact(stream: IO[bytes], size: int, where: str) -> bytes:
    data = stream.read(size) if size else b""
    while len(data) < size:  # a network stream may hand over less than asked
        more = stream.read(size - len(data))
        if not more:
            raise CatalogError(f"{where}: the artifact is cut short; fetch it again")
        data += more
    return data


def _copy_hashing(stream: IO[bytes], path: Path, size: int, where: str) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as out:
        left = size
        while left:
            chunk = stream.read(min(_CHUNK, left))
            if not chunk:
                raise CatalogError(f"{where}: the artifact is cut short; fetch it again")
            digest.update(chunk)
            out.write(chunk)
            left -= len(chunk)
    return digest.hexdigest()
