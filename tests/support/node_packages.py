"""The Node packages some tests run (dynalite, axe-core) and the advice a skip gives when they are missing.

Both are listed in ``tests/support/node/package.json``; what is missing is the install, so every
skip names the one command that installs them (``.ci/run`` runs it too).
"""

from __future__ import annotations

import json
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent / "node"
INSTALL_COMMAND = "cd tests/support/node && npm install --no-package-lock --no-audit --no-fund"


def listed() -> set[str]:
    return set(json.loads((NODE_DIR / "package.json").read_text())["dependencies"])


def not_installed(package: str, where: Path) -> str:
    """The skip reason for ``package`` (listed in package.json) missing at ``where``."""
    return f"{package} is not installed at {where}: run `{INSTALL_COMMAND}` (bash .ci/run does it for you)"
