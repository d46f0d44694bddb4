"""The shared dev evaluation, run through the batch CLI exactly as the README documents."""

import subprocess
import sys

import pytest

from tests.conftest import CATALOG_114K, EVAL_DIR, REPO


@pytest.mark.slow
def test_dev_prompts_pass_the_shared_checker():
    checker = EVAL_DIR / "check_playlists.py"
    if not checker.exists() or not CATALOG_114K.exists():
        pytest.skip("shared eval or catalog not present")
    result = subprocess.run(
        [sys.executable, str(checker), "--cmd", f"{sys.executable} -m aidj_service.cli playlist --batch -",
         "--prompts", str(EVAL_DIR / "dev_prompts.jsonl"), "--catalog", str(CATALOG_114K)],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )
    last = result.stdout.strip().splitlines()[-1]
    passed = int(last.split()[0])
    assert passed >= 36, result.stdout
