"""What a skipped test tells you to do is what actually installs the missing piece."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.node_packages import INSTALL_COMMAND, NODE_DIR, listed, not_installed

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("package", ["dynalite", "axe-core"])
def test_the_node_packages_tests_skip_without_are_already_listed(package: str) -> None:
    # so the advice is to install, never to edit package.json
    assert package in listed()
    assert "npm install" in not_installed(package, NODE_DIR / "node_modules" / package)
    assert "package.json" not in not_installed(package, NODE_DIR / "node_modules" / package)


def test_the_install_command_runs_in_the_node_folder_as_ci_does() -> None:
    folder = INSTALL_COMMAND.split("&&")[0].removeprefix("cd ").strip()
    assert (REPO / folder).resolve() == NODE_DIR
    ci = (REPO / ".ci" / "run").read_text()
    assert f"cd {folder} && npm install" in ci


def test_ci_installs_chromium_as_the_browser_skip_says() -> None:
    conftest = (REPO / "tests" / "web" / "conftest.py").read_text()
    assert "apt-get install -y chromium" in conftest
    assert "apt-get install -y -qq chromium" in (REPO / ".ci" / "run").read_text()
