"""The usage dashboard (``aidj:metrics: true``): the service's own metrics beside the stack's alarms.

The function writes one CloudWatch embedded-metric-format line per request (``AIDJ_METRICS=on``,
see the service's ``edge/metrics.py``); CloudWatch turns those lines into the metrics below, in
the ``AIDJ`` namespace, by ``FunctionName`` (and ``Interpreter`` or ``ErrorCode``). No user,
prompt or playlist id is ever a dimension.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from .config import StackConfig
from .living import METRIC_NAMESPACE

PERIOD_S = 300
# The metric names the service's EMF lines carry (aidj_service.edge.metrics).
STAGE_LATENCIES = ("InterpretLatency", "BuildLatency", "SpotifyLatency", "StoreLatency")


def dashboard_body(region: str, function_name: str, alarm_arns: Sequence[str]) -> dict[str, Any]:
    """The dashboard's JSON: usage, latency per stage, interpreters, errors by code, alarms."""
    fn = ["FunctionName", function_name]

    def metric(name: str, stat: str = "Sum") -> list[Any]:
        return [METRIC_NAMESPACE, name, *fn, {"stat": stat}]

    def search(dimension: str, name: str) -> dict[str, Any]:
        query = (
            f'SEARCH(\'{{{METRIC_NAMESPACE},FunctionName,{dimension}}} MetricName="{name}" '
            f"FunctionName=\"{function_name}\"', 'Sum', {PERIOD_S})"
        )
        return {"expression": query, "id": f"{name.lower()}_by_{dimension.lower()}"}

    def widget(title: str, metrics: list[Any], x: int, y: int, **extra: Any) -> dict[str, Any]:
        return {
            "type": "metric",
            "x": x,
            "y": y,
            "width": 12,
            "height": 6,
            "properties": {
                "title": title,
                "region": region,
                "period": PERIOD_S,
                "view": "timeSeries",
                "metrics": metrics,
                **extra,
            },
        }

    return {
        "widgets": [
            widget(
                "Playlists created, tracks, requests",
                [metric("PlaylistsCreated"), metric("Tracks"), metric("Requests")],
                0,
                0,
            ),
            widget(
                "Latency per stage (p95, ms)",
                [metric(name, "p95") for name in (*STAGE_LATENCIES, "Latency")],
                12,
                0,
            ),
            widget(
                "Interpreter used, and fallbacks to the embedded one",
                [
                    [search("Interpreter", "InterpreterUsed")],
                    [search("Interpreter", "InterpreterFallbacks")],
                ],
                0,
                6,
            ),
            widget("Errors by code", [[search("ErrorCode", "Errors")]], 12, 6),
            {
                "type": "alarm",
                "x": 0,
                "y": 12,
                "width": 24,
                "height": 3,
                "properties": {"title": "Alarms", "alarms": sorted(alarm_arns)},
            },
        ]
    }


def dashboard(
    cfg: StackConfig,
    function_name: pulumi.Input[str],
    alarms: Sequence[aws.cloudwatch.MetricAlarm],
) -> aws.cloudwatch.Dashboard:
    body = pulumi.Output.all(function_name, *[a.arn for a in alarms]).apply(
        lambda values: json.dumps(dashboard_body(cfg.region, values[0], values[1:]), sort_keys=True)
    )
    return aws.cloudwatch.Dashboard(
        "usage-dashboard", dashboard_name=f"{cfg.name}-usage", dashboard_body=body
    )
