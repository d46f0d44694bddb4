"""The refresh schedule, its alarm, the token key and the IAM they need (Pulumi mocks)."""

from __future__ import annotations

import json

from tests.infrastructure.conftest import ACCOUNT_ID, REGION
from tests.infrastructure.test_stack import function_env


def test_an_hourly_schedule_invokes_the_function_with_the_refresh_event(deployed):
    from aidj_service.edge.lambda_adapter import REFRESH_EVENT

    schedule = deployed.one("aws:scheduler/schedule:Schedule", "refresh").inputs
    assert schedule["scheduleExpression"] == "rate(1 hour)"
    assert schedule["flexibleTimeWindow"] == {"mode": "OFF"}
    target = schedule["target"]
    assert target["arn"] == f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:playlist"
    assert json.loads(target["input"]) == REFRESH_EVENT  # exactly what the handler recognises
    assert target["retryPolicy"]["maximumRetryAttempts"] == 0  # a failed playlist stays due instead
    assert target["roleArn"] == f"arn:aws:iam:{REGION}:{ACCOUNT_ID}:refresh-scheduler-role"


def test_the_scheduler_role_may_invoke_only_the_function(deployed):
    role = deployed.one("aws:iam/role:Role", "refresh-scheduler-role").inputs
    (statement,) = json.loads(role["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    policy = json.loads(
        deployed.one("aws:iam/rolePolicy:RolePolicy", "refresh-scheduler-policy").inputs["policy"]
    )
    assert policy["Statement"] == [
        {
            "Sid": "Refresh",
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": [f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:playlist"],
        }
    ]


def test_refresh_failures_raise_an_alarm_on_the_metric_the_service_logs(deployed):
    from aidj_service.operations.living.schedules import METRIC_NAMESPACE

    alarm = deployed.one("aws:cloudwatch/metricAlarm:MetricAlarm", "refresh-failures").inputs
    assert (alarm["namespace"], alarm["metricName"]) == (METRIC_NAMESPACE, "RefreshFailures")
    assert alarm["dimensions"] == {"FunctionName": "playlist-physical"}
    assert alarm["statistic"] == "Sum" and alarm["threshold"] == 0 and alarm["period"] == 3600
    assert alarm["comparisonOperator"] == "GreaterThanThreshold"
    assert alarm["alarmActions"] == [f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:aidj-alerts"]


def test_the_token_key_rotates_and_only_the_function_may_use_it_for_encrypt_and_decrypt(deployed):
    key = deployed.one("aws:kms/key:Key", "spotify-tokens").inputs
    assert key["enableKeyRotation"] is True
    key_arn = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:spotify-tokens"
    (statement,) = [s for s in deployed.policy()["Statement"] if s["Sid"] == "Tokens"]
    assert statement == {
        "Sid": "Tokens",
        "Effect": "Allow",
        "Action": ["kms:Encrypt", "kms:Decrypt"],
        "Resource": [key_arn],
    }
    kms = [
        s for s in deployed.policy()["Statement"] if any(a.startswith("kms:") for a in s["Action"])
    ]
    assert kms == [statement]
    env = function_env(deployed)
    assert env["AIDJ_TOKEN_KMS_KEY_ID"] == key_arn


def test_the_table_has_a_due_index_so_refreshes_query_instead_of_scanning(deployed):
    table = deployed.one("aws:dynamodb/table:Table").inputs
    (due,) = [i for i in table["globalSecondaryIndexes"] if i["name"] == "by_due"]
    assert [(k["attributeName"], k["keyType"]) for k in due["keySchemas"]] == [
        ("due_shard", "HASH"),
        ("next_due", "RANGE"),
    ]


def test_the_api_routes_every_living_playlist_operation(deployed):
    routes = {r.inputs["routeKey"] for r in deployed.of_type("aws:apigatewayv2/route:Route")}
    assert {
        "POST /playlists/{id}/versions",
        "POST /playlists/{id}/revert",
        "POST /playlists/{id}/extend",
        "PUT /playlists/{id}/schedule",
        "DELETE /playlists/{id}/schedule",
        "POST /playlists/{id}/play",
        "DELETE /me/spotify-tokens",
    } <= routes


def test_api_gateway_routes_every_route_the_service_answers(tmp_path):
    """A route added to the service but not to API Gateway would answer 404 only on AWS.

    Routes declared ``gateway=False`` (``GET /metrics``, a local server's) are the exception.
    """
    from aidj_infra.api import ROUTES
    from aidj_service.config import Settings
    from aidj_service.edge.api import Api
    from aidj_service.edge.routes import ROUTED

    local_only = {e.key for e in ROUTED if not e.gateway}

    api = Api(Settings(db_path=str(tmp_path / "h.sqlite3")), dj=object())
    try:
        served = {
            f"{r.method} {r.template.replace('{path+}', '{proxy+}')}" for r in api.router.routes
        }
    finally:
        api.close()
    assert local_only == {"GET /metrics"}
    assert served - local_only == set(ROUTES)
