"""Exact version pins: committed without any index or host, and the ones this environment runs."""

from __future__ import annotations

import re
import shutil
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from aidj_infra.package import LAMBDA_PYTHON, export_requirements

REPO = Path(__file__).resolve().parents[2]
WORKSPACE = {"aidj", "aidj-service", "aidj-infra", "aidj-workspace"}


def pins() -> dict[str, str]:
    """name -> pinned version, for the pins whose markers hold on this interpreter."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    out: dict[str, str] = {}
    for line in config["tool"]["uv"]["constraint-dependencies"]:
        requirement = Requirement(line)
        (spec,) = requirement.specifier  # exactly one specifier per pin
        assert spec.operator == "==", f"{line}: pins are exact (==)"
        if requirement.marker is None or requirement.marker.evaluate():
            out[canonicalize_name(requirement.name)] = spec.version
    return out


def test_every_installed_third_party_package_runs_its_pinned_version() -> None:
    pinned = pins()
    unpinned, different = [], []
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name in WORKSPACE:
            continue
        if name not in pinned:
            unpinned.append(name)
        elif pinned[name] != dist.version:
            different.append(f"{name} {dist.version} (pinned {pinned[name]})")
    assert not unpinned, f"not pinned: {sorted(unpinned)}; run python3 .ci/pin-versions"
    assert not different, f"installed versions differ from the pins: {different}"


def test_no_manifest_names_an_index_or_host() -> None:
    manifests = [
        REPO / "pyproject.toml",
        *REPO.glob("*/pyproject.toml"),
        *REPO.glob("*/*/pyproject.toml"),
    ]
    for path in manifests:
        text = path.read_text()
        assert not re.search(r"https?://|index-url|\[\[tool\.uv\.index\]\]", text), (
            f"{path} names an index or host"
        )


def test_the_lock_is_not_committed() -> None:
    assert "uv.lock" in (REPO / ".gitignore").read_text().split()


def test_the_lambda_zip_installs_the_pinned_versions() -> None:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH: install it (pip install uv); it builds the Lambda zip")
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    lambda_env = {"python_full_version": f"{LAMBDA_PYTHON}.0", "python_version": LAMBDA_PYTHON}
    pinned: dict[str, str] = {}
    for line in config["tool"]["uv"]["constraint-dependencies"]:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(lambda_env):
            pinned[canonicalize_name(requirement.name)] = next(iter(requirement.specifier)).version
    exported = [
        Requirement(line.split("\\")[0].strip())
        for line in export_requirements(REPO, uv).splitlines()
        if line and not line[0].isspace() and not line.startswith(("#", "-"))
    ]
    assert exported
    for requirement in exported:
        if requirement.marker is not None and not requirement.marker.evaluate(lambda_env):
            continue
        (spec,) = requirement.specifier
        assert spec.version == pinned[canonicalize_name(requirement.name)], str(requirement)
