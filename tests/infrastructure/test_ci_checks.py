"""CI runs the lint and type checks the README names, before the tests, in both entry points."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHECKS = ["uv run ruff check .", "uv run ruff format --check .", "uv run pyright"]


def _order(text: str) -> list[int]:
    return [text.index(step) for step in [*CHECKS, "uv run pytest"]]


def test_ci_run_checks_lint_format_and_types_before_the_tests() -> None:
    positions = _order((REPO / ".ci" / "run").read_text())
    assert positions == sorted(positions)


def test_the_github_workflow_runs_the_same_checks_before_the_tests() -> None:
    positions = _order((REPO / ".github" / "workflows" / "ci.yml").read_text())
    assert positions == sorted(positions)


def test_the_readme_names_the_checks_ci_runs() -> None:
    readme = (REPO / "README.md").read_text()
    assert "uv run ruff check . && uv run ruff format --check . && uv run pyright" in readme


def test_the_tools_are_configured_in_the_root_pyproject() -> None:
    pyproject = (REPO / "pyproject.toml").read_text()
    for section in ("[tool.ruff]", "[tool.ruff.lint]", "[tool.pyright]"):
        assert section in pyproject
    assert 'typeCheckingMode = "basic"' in pyproject
