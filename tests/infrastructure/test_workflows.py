"""The GitHub workflows are valid and do what docs/DEPLOY.md says they do."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict) -> list[dict]:
    # a job that calls a reusable workflow has no steps of its own
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def step_using(workflow: dict, action: str) -> list[dict]:
    return [s for s in steps(workflow) if s.get("uses", "").split("@")[0] == action]


@pytest.fixture(scope="module")
def workflow_schema() -> dict:
    """GitHub's workflow schema as vendored (offline) by check-jsonschema."""
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor") / "github-workflows.json"
    return json.loads(vendored.read_text())


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_workflow_validates_against_the_github_workflow_schema(name):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOWS / name),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_schema_rejects_a_job_without_a_runner(workflow_schema):
    broken = copy.deepcopy(load("ci.yml"))
    del broken["jobs"]["test"]["runs-on"]
    broken["on"] = triggers(broken)
    broken.pop(True, None)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, workflow_schema)


def test_ci_runs_the_test_suite_on_push_and_pull_request():
    ci = load("ci.yml")
    assert {"push", "pull_request"} <= set(triggers(ci))
    commands = [s.get("run", "") for s in steps(ci)]
    assert "uv sync --all-packages" in commands
    assert "uv run pytest" in commands
    assert step_using(ci, "astral-sh/setup-uv")


def test_ci_puts_the_shared_data_beside_the_repository():
    ci = load("ci.yml")
    paths = sorted(s["with"]["path"] for s in step_using(ci, "actions/checkout"))
    assert paths == ["main", "shared"]  # so the tests find ../shared from the repository root
    project_steps = [
        s for s in steps(ci) if any(tool in s.get("run", "") for tool in ("uv ", "npm "))
    ]
    assert project_steps and all(s.get("working-directory") == "main" for s in project_steps)


def test_deploy_runs_on_main_by_hand_and_previews_pull_requests():
    on = triggers(load("deploy.yml"))
    assert on["push"]["branches"] == ["main"]
    assert set(on["workflow_dispatch"]["inputs"]["environment"]["options"]) == {"dev", "prod"}
    assert "pull_request" in on


def test_deploy_assumes_the_environment_role_through_oidc():
    deploy = load("deploy.yml")
    assert deploy["permissions"]["id-token"] == "write"
    (credentials,) = step_using(deploy, "aws-actions/configure-aws-credentials")
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_ARN }}"
    assert "aws-access-key-id" not in credentials["with"]  # no long-lived keys
    assert "inputs.environment" in deploy["jobs"]["pulumi"]["environment"]


def test_deploy_previews_on_pull_requests_and_updates_otherwise():
    commands = {
        s["with"]["command"]: s["if"] for s in step_using(load("deploy.yml"), "pulumi/actions")
    }
    assert commands["preview"] == "${{ github.event_name == 'pull_request' }}"
    assert commands["up"] == "${{ github.event_name != 'pull_request' }}"


def test_deploy_writes_the_stack_outputs_to_the_job_summary():
    summary = [s for s in steps(load("deploy.yml")) if "GITHUB_STEP_SUMMARY" in s.get("run", "")]
    assert summary and "pulumi stack output" in summary[0]["run"]


def test_ci_runs_on_the_development_platform_with_a_real_chromium():
    (job,) = load("ci.yml")["jobs"].values()
    assert (
        job["container"] == "python:${{ matrix.python }}-bookworm"
    )  # Debian, like the dev machine
    assert any("chromium" in s.get("run", "") for s in job["steps"])


def test_ci_tests_the_development_python_and_the_one_lambda_runs():
    from aidj_infra.package import LAMBDA_PYTHON

    (job,) = load("ci.yml")["jobs"].values()
    pythons = job["strategy"]["matrix"]["python"]
    assert "3.11" in pythons and LAMBDA_PYTHON in pythons


def test_deploy_waits_for_the_test_suite_to_pass():
    deploy = load("deploy.yml")
    assert deploy["jobs"]["test"]["uses"] == "./.github/workflows/ci.yml"
    assert deploy["jobs"]["pulumi"]["needs"] == "test"
    assert "workflow_call" in triggers(load("ci.yml"))
