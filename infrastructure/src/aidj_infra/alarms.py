"""The four alarms that say the service is unhealthy, each over a 5-minute window.

Ratios (not counts) for errors, so a quiet dev stack with one failure in two requests and a busy
prod stack are judged alike; ``IF(count > 0, ...)`` keeps idle periods from dividing by zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .config import StackConfig

PERIOD_S = 300
LAMBDA_ERROR_RATE_PCT = 5.0
API_5XX_RATE_PCT = 1.0
DYNAMODB_THROTTLES = 0.0

# DynamoDB reports ThrottledRequests per (table, operation) only; these are the operations the
# function's role allows, summed into one series.
DYNAMODB_OPERATIONS = ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query")


@dataclass(frozen=True)
class Alarms:
    lambda_errors: aws.cloudwatch.MetricAlarm
    api_5xx: aws.cloudwatch.MetricAlarm
    lambda_duration: aws.cloudwatch.MetricAlarm
    dynamodb_throttles: aws.cloudwatch.MetricAlarm


def all_of(found: Alarms) -> list[aws.cloudwatch.MetricAlarm]:
    """The four alarms, in declaration order (the usage dashboard shows them)."""
    return [found.lambda_errors, found.api_5xx, found.lambda_duration, found.dynamodb_throttles]


def alarm_settings(cfg: StackConfig) -> dict[str, Any]:
    """What every alarm of a stack shares: one evaluation period, "above the threshold", the
    stack's topic for ALARM and OK, its tags."""
    actions = [cfg.alarm_topic_arn] if cfg.alarm_topic_arn else []
    return dict(
        evaluation_periods=1,
        comparison_operator="GreaterThanThreshold",
        # No traffic is not an outage; without this an idle dev stack would sit in ALARM/INSUFFICIENT.
        treat_missing_data="notBreaching",
        alarm_actions=actions,
        ok_actions=actions,
        tags=cfg.tags,
        # Each region's alarms watch that region's function, API and table replica.
        region=cfg.placement.region,
    )


def alarms(
    cfg: StackConfig,
    *,
    function_name: pulumi.Input[str],
    api_id: pulumi.Input[str],
    stage: str,
    table_name: pulumi.Input[str],
) -> Alarms:
    common = alarm_settings(cfg)
    at = cfg.placement
    limits = cfg.time_limits
    return Alarms(
        lambda_errors=aws.cloudwatch.MetricAlarm(
            at.name("lambda-error-rate"),
            alarm_description=f"{cfg.name}: more than {LAMBDA_ERROR_RATE_PCT:g}% of invocations failed in 5 minutes",
            threshold=LAMBDA_ERROR_RATE_PCT,
            metric_queries=_ratio(
                "AWS/Lambda",
                "Errors",
                "Invocations",
                {"FunctionName": function_name},
                "error_rate_pct",
            ),
            **common,
        ),
        api_5xx=aws.cloudwatch.MetricAlarm(
            at.name("api-5xx-rate"),
            alarm_description=f"{cfg.name}: more than {API_5XX_RATE_PCT:g}% of API requests answered 5xx in 5 minutes",
            threshold=API_5XX_RATE_PCT,
            metric_queries=_ratio(
                "AWS/ApiGateway", "5xx", "Count", {"ApiId": api_id, "Stage": stage}, "5xx_rate_pct"
            ),
            **common,
        ),
        lambda_duration=aws.cloudwatch.MetricAlarm(
            at.name("lambda-duration"),
            alarm_description=(
                f"{cfg.name}: an invocation took more than {limits.duration_alarm_ms / 1000:g} s "
                f"(requests are cut at {limits.request_deadline_s} s, by API Gateway at "
                f"{limits.integration_timeout_s} s)"
            ),
            namespace="AWS/Lambda",
            metric_name="Duration",
            dimensions={"FunctionName": function_name},
            statistic="Maximum",
            period=PERIOD_S,
            threshold=limits.duration_alarm_ms,
            **common,
        ),
        dynamodb_throttles=aws.cloudwatch.MetricAlarm(
            at.name("dynamodb-throttles"),
            alarm_description=f"{cfg.name}: DynamoDB throttled a request to the history table",
            threshold=DYNAMODB_THROTTLES,
            metric_queries=_throttles(table_name),
            **common,
        ),
    )


def _metric(index: str, namespace: str, name: str, dimensions: dict, stat: str = "Sum"):
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(
        id=index,
        return_data=False,
        metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
            namespace=namespace, metric_name=name, dimensions=dimensions, stat=stat, period=PERIOD_S
        ),
    )


def _ratio(namespace: str, failures: str, total: str, dimensions: dict, label: str) -> list:
    return [
        _metric("failures", namespace, failures, dimensions),
        _metric("total", namespace, total, dimensions),
        aws.cloudwatch.MetricAlarmMetricQueryArgs(
            id=label.replace("5xx", "server_errors"),  # ids must start with a lowercase letter
            expression="IF(total > 0, 100 * failures / total, 0)",
            label=label,
            return_data=True,
        ),
    ]


def _throttles(table_name: pulumi.Input[str]) -> list:
    queries = [
        _metric(
            f"op{i}",
            "AWS/DynamoDB",
            "ThrottledRequests",
            {"TableName": table_name, "Operation": op},
        )
        for i, op in enumerate(DYNAMODB_OPERATIONS)
    ]
    terms = ", ".join(f"FILL(op{i}, 0)" for i in range(len(DYNAMODB_OPERATIONS)))
    return [
        *queries,
        aws.cloudwatch.MetricAlarmMetricQueryArgs(
            id="throttled",
            expression=f"SUM([{terms}])",
            label="throttled_requests",
            return_data=True,
        ),
    ]
