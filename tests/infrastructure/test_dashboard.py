"""Usage metrics in the stack: off by default; ``aidj:metrics: true`` adds a dashboard and the switch."""

from __future__ import annotations

import dataclasses
import json

import pytest

from aidj_infra.config import StackConfig
from aidj_infra.dashboard import STAGE_LATENCIES, dashboard_body

from .conftest import ACCOUNT_ID, REGION, deploy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws")

DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
FUNCTION = "aws:lambda/function:Function"


def config(**overrides) -> StackConfig:
    base = StackConfig(
        stack="test",
        region=REGION,
        cors_origins=("https://dj.example.com",),
        alarm_topic_arn=f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:aidj-alerts",
        spotify_client_id="client-id",
    )
    return dataclasses.replace(base, **overrides)


@pytest.fixture(scope="module")
def default_stack(tiny_zip):
    return deploy(config, tiny_zip)


@pytest.fixture(scope="module")
def metrics_stack(tiny_zip):
    return deploy(lambda: config(metrics=True), tiny_zip)


def env(stack) -> dict[str, str]:
    return stack.one(FUNCTION).inputs["environment"]["variables"]


def test_the_default_stack_has_no_dashboard_and_no_metric_lines(default_stack) -> None:
    assert default_stack.of_type(DASHBOARD) == []
    assert "AIDJ_METRICS" not in env(default_stack)


def test_metrics_add_exactly_one_dashboard_and_turn_the_lines_on(
    default_stack, metrics_stack
) -> None:
    assert len(metrics_stack.resources) == len(default_stack.resources) + 1
    assert env(metrics_stack)["AIDJ_METRICS"] == "on"


def test_the_dashboard_shows_every_alarm_of_the_stack(metrics_stack) -> None:
    body = json.loads(metrics_stack.one(DASHBOARD).inputs["dashboardBody"])
    (alarms,) = [w for w in body["widgets"] if w["type"] == "alarm"]
    arns = {a.name for a in metrics_stack.of_type(ALARM)}
    assert len(arns) == 5
    assert {arn.rsplit(":", 1)[1] for arn in alarms["properties"]["alarms"]} == arns


def test_the_dashboard_charts_the_service_metrics_of_this_function(metrics_stack) -> None:
    raw = metrics_stack.one(DASHBOARD).inputs["dashboardBody"]
    for name in ("PlaylistsCreated", "Tracks", "InterpreterUsed", "InterpreterFallbacks", "Errors"):
        assert name in raw
    assert all(stage in raw for stage in STAGE_LATENCIES)
    assert "playlist-physical" in raw  # the function's name selects the metrics


def test_the_dashboard_reads_the_metric_names_the_service_writes() -> None:
    from aidj_service.edge.metrics import STAGES

    assert set(STAGE_LATENCIES) == set(STAGES.values())


def test_the_dashboard_body_is_the_same_every_time() -> None:
    first = dashboard_body("eu-west-1", "fn", ["arn:b", "arn:a"])
    assert first == dashboard_body("eu-west-1", "fn", ["arn:a", "arn:b"])


def test_the_switch_is_read_from_stack_config_and_off_when_unset() -> None:
    import pulumi

    from .test_stack import dev_config

    def load(extra: dict[str, str]) -> StackConfig:
        pulumi.runtime.set_all_config({**dev_config(), **extra})
        try:
            return StackConfig.load()
        finally:
            pulumi.runtime.set_all_config({})

    assert load({}).metrics is False
    assert load({"aidj:metrics": "true"}).metrics is True
