"""Living playlists in the cloud: the hourly refresh schedule, its failure alarm, the token key.

- An EventBridge Scheduler schedule invokes the function every hour with ``{"aidj": "refresh"}``
  (``aidj_service.edge.lambda_adapter.REFRESH_EVENT``); the function refreshes the playlists that are
  due, found by a Query on the table's ``by_due`` index. A playlist whose refresh fails stays due,
  so the next round retries it; the schedule itself does not retry (that would refresh twice).
- Failed refreshes are counted by the function as the ``AIDJ/RefreshFailures`` metric (embedded
  metric format in its log) and any failure in an hour raises an alarm.
- A customer-managed KMS key encrypts the Spotify refresh tokens that let refreshes update the
  user's Spotify playlist; only the function's role may use it, for Encrypt and Decrypt only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .alarms import alarm_settings
from .config import StackConfig

REFRESH_RATE = "rate(1 hour)"
REFRESH_EVENT = {"aidj": "refresh"}  # the service's lambda_adapter.REFRESH_EVENT
METRIC_NAMESPACE = "AIDJ"  # the service's living.METRIC_NAMESPACE
REFRESH_FAILURES_METRIC = "RefreshFailures"
REFRESH_ALARM_PERIOD_S = 3600
KMS_ACTIONS = ("kms:Encrypt", "kms:Decrypt")

SCHEDULER_ASSUME_ROLE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "scheduler.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@dataclass(frozen=True)
class Refresh:
    role: aws.iam.Role
    policy: aws.iam.RolePolicy
    schedule: aws.scheduler.Schedule
    alarm: aws.cloudwatch.MetricAlarm


def token_key(cfg: StackConfig) -> aws.kms.Key:
    return aws.kms.Key(
        "spotify-tokens",
        description=f"AI DJ {cfg.stack}: encrypts stored Spotify refresh tokens",
        enable_key_rotation=True,
        deletion_window_in_days=30 if cfg.deletion_protection else 7,
        tags=cfg.tags,
    )


def invoke_policy(function_arn: str) -> dict:
    """The scheduler may invoke this one function, nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Refresh",
                "Effect": "Allow",
                "Action": ["lambda:InvokeFunction"],
                "Resource": [function_arn],
            }
        ],
    }


def refresh(cfg: StackConfig, function: aws.lambda_.Function) -> Refresh:
    at = cfg.placement
    role = aws.iam.Role(
        at.name("refresh-scheduler-role"),
        assume_role_policy=SCHEDULER_ASSUME_ROLE_POLICY,
        description=f"AI DJ {cfg.stack}: the refresh schedule invokes the playlist function",
        tags=cfg.tags,
    )
    policy = aws.iam.RolePolicy(
        at.name("refresh-scheduler-policy"),
        role=role.id,
        policy=function.arn.apply(lambda arn: json.dumps(invoke_policy(arn))),
    )
    schedule = aws.scheduler.Schedule(
        at.name("refresh"),
        description=f"AI DJ {cfg.stack}: give due scheduled playlists their fresh version",
        schedule_expression=REFRESH_RATE,
        flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
        target=aws.scheduler.ScheduleTargetArgs(
            arn=function.arn,
            role_arn=role.arn,
            input=json.dumps(REFRESH_EVENT),
            # a failed playlist stays due and is retried next round; retrying the whole round
            # here would only repeat the playlists that succeeded
            retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(maximum_retry_attempts=0),
        ),
        opts=pulumi.ResourceOptions(depends_on=[policy]),
        region=at.region,
    )
    alarm = aws.cloudwatch.MetricAlarm(
        at.name("refresh-failures"),
        alarm_description=f"{cfg.name}: a scheduled playlist refresh failed in the last hour (it is retried hourly)",
        namespace=METRIC_NAMESPACE,
        metric_name=REFRESH_FAILURES_METRIC,
        dimensions={"FunctionName": function.name},
        statistic="Sum",
        period=REFRESH_ALARM_PERIOD_S,
        threshold=0,
        **alarm_settings(cfg),  # in this placement's region, like every alarm
    )
    return Refresh(role, policy, schedule, alarm)
