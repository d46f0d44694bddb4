"""The shared dev evaluation, run through the batch CLI exactly as the README documents."""

import subprocess
import sys

import pytest

from tests.conftest import CATALOG_114K, CATALOG_TIDY, EVAL_DIR, REPO

# (prompt file, minimum passes): the dev set from ../shared and the team's own blind-written set
SETS = [
    (EVAL_DIR / "dev_prompts.jsonl", 36),
    (REPO / "tests" / "eval_data" / "heldout_style_prompts.jsonl", 72),
    (REPO / "tests" / "eval_data" / "blind2_prompts.jsonl", 63),
    (REPO / "tests" / "eval_data" / "blind3_prompts.jsonl", 54),
    (REPO / "tests" / "eval_data" / "blind4_prompts.jsonl", 36),
    (REPO / "tests" / "eval_data" / "blind5_prompts.jsonl", 54),
    (REPO / "tests" / "eval_data" / "blind6_prompts.jsonl", 66),
    (REPO / "tests" / "eval_data" / "dutch_prompts.jsonl", 50),
    (REPO / "tests" / "eval_data" / "blind7_prompts.jsonl", 66),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("prompts", "minimum"),
    SETS,
    ids=[
        "dev",
        "heldout-style",
        "blind2",
        "blind3",
        "blind4",
        "blind5",
        "blind6",
        "dutch",
        "blind7",
    ],
)
def test_prompt_sets_pass_the_shared_checker(prompts, minimum):
    checker = EVAL_DIR / "check_playlists.py"
    if (
        not checker.exists()
        or not CATALOG_114K.exists()
        or not CATALOG_TIDY.exists()
        or not prompts.exists()
    ):
        pytest.skip("shared eval, catalog or prompt set not present")
    result = subprocess.run(
        [
            sys.executable,
            str(checker),
            "--cmd",
            f"{sys.executable} -m aidj_service.cli playlist --batch -",
            "--prompts",
            str(prompts),
            "--catalog",
            str(CATALOG_114K),
            str(CATALOG_TIDY),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    last = result.stdout.strip().splitlines()[-1]
    passed = int(last.split()[0])
    assert passed >= minimum, result.stdout
