"""The Pulumi program declares the documented resources with the documented settings."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pulumi
import pytest
import yaml

from aidj_infra.config import (
    INTEGRATION_TIMEOUT_S,
    REQUEST_DEADLINE_VARIABLE,
    ConfigError,
    StackConfig,
    TimeLimits,
)

from .conftest import ACCOUNT_ID, REGION, RecordingMocks, deploy, tiny_catalog

# pulumi_aws warns about its own deprecated classes as its submodules load; not our code.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws")

REPO = Path(__file__).resolve().parents[2]
SECRET_SIG = ("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270")
INTEGRATION = "aws:apigatewayv2/integration:Integration"

TABLE = "aws:dynamodb/table:Table"
FUNCTION = "aws:lambda/function:Function"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def is_secret(value) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG[0]) == SECRET_SIG[1]


def function_env(deployed) -> dict[str, str]:
    """The function's environment variables (plain: nothing in them is a secret)."""
    environment = deployed.one(FUNCTION).inputs["environment"]
    assert not is_secret(environment), "the function's environment should hold no secret"
    return environment["variables"]


# --- DynamoDB -------------------------------------------------------------------------------


def test_table_is_on_demand_with_user_and_sort_keys(deployed):
    table = deployed.one(TABLE).inputs
    assert table["billingMode"] == "PAY_PER_REQUEST"
    assert (table["hashKey"], table["rangeKey"]) == ("user_id", "sk")
    assert {(a["name"], a["type"]) for a in table["attributes"]} == {
        ("user_id", "S"),
        ("sk", "S"),
        ("playlist_id", "S"),
        ("due_shard", "S"),
        ("next_due", "S"),
    }


def test_table_has_playlist_id_index_projecting_all(deployed):
    (index,) = [
        i
        for i in deployed.one(TABLE).inputs["globalSecondaryIndexes"]
        if i["name"] == "by_playlist_id"
    ]
    assert index["keySchemas"] == [{"attributeName": "playlist_id", "keyType": "HASH"}]
    assert index["projectionType"] == "ALL"


def test_table_is_recoverable_encrypted_and_expires_items(deployed):
    table = deployed.one(TABLE).inputs
    assert table["pointInTimeRecovery"] == {"enabled": True}
    assert table["serverSideEncryption"] == {"enabled": True}
    assert table["ttl"] == {"attributeName": "expires_at", "enabled": True}


# --- Function -------------------------------------------------------------------------------


def test_function_runs_the_service_handler_on_python_312(deployed):
    function = deployed.one(FUNCTION).inputs
    assert function["runtime"] == "python3.12"
    assert function["handler"] == "app.lambda_handler"
    assert function["memorySize"] == 512
    assert function["timeout"] == INTEGRATION_TIMEOUT_S
    assert function["architectures"] == ["x86_64"]


def test_function_code_comes_from_the_zip_uploaded_to_the_stack_bucket(deployed, tiny_zip):
    import hashlib

    sha = hashlib.sha256(tiny_zip.read_bytes()).hexdigest()
    upload = deployed.one("aws:s3/bucketObjectv2:BucketObjectv2", "lambda-zip").inputs
    function = deployed.one(FUNCTION).inputs
    assert upload["bucket"] == "artifacts-id"
    assert upload["key"] == f"lambda/{sha}.zip"
    assert (function["s3Bucket"], function["s3Key"]) == ("artifacts-id", f"lambda/{sha}.zip")
    assert base64.b64decode(function["sourceCodeHash"]).hex() == sha


def test_artifact_bucket_blocks_every_kind_of_public_access(deployed):
    block = deployed.one(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "artifacts-private"
    ).inputs
    assert all(
        block[k]
        for k in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )


def test_function_environment_comes_from_stack_config(deployed):
    env = function_env(deployed)
    assert env["DYNAMODB_TABLE_NAME"] == "history-physical"
    assert env["BEDROCK_MODEL_ID"] == "eu.anthropic.claude-haiku-4-5-20251001-v1:0"
    assert env["AIDJ_CORS_ORIGINS"] == "https://dj.example.com"
    assert env["SPOTIFY_CLIENT_ID"] == "client-id"
    assert "AIDJ_CATALOG" not in env  # the zip holds no catalog: see test_catalog_store
    assert env["AIDJ_EMBEDDING_MODEL"] == "/var/task/models/e5-small-aidj-q4.bin"
    assert (env["AIDJ_HISTORY"], env["AIDJ_INTERPRETER"]) == ("dynamodb", "bedrock")


def test_the_function_environment_carries_no_spotify_secret(deployed):
    # The web page signs in with PKCE: the client id is public and no client secret exists.
    env = function_env(deployed)
    assert not [name for name in env if "SECRET" in name]


def test_function_logs_to_its_own_log_group_with_configured_retention(deployed):
    group = deployed.one(LOG_GROUP, "function-logs").inputs
    assert group["retentionInDays"] == 14
    assert deployed.one(FUNCTION).inputs["loggingConfig"]["logGroup"] == group["name"]


# --- HTTP API -------------------------------------------------------------------------------


def test_api_is_http_with_cors_from_config(deployed):
    api = deployed.one("aws:apigatewayv2/api:Api").inputs
    assert api["protocolType"] == "HTTP"
    cors = api["corsConfiguration"]
    assert cors["allowOrigins"] == ["https://dj.example.com"]
    assert {"GET", "POST", "OPTIONS"} <= set(cors["allowMethods"])
    assert "content-type" in cors["allowHeaders"]


def test_api_gateway_lets_browsers_send_every_header_the_service_reads(deployed):
    """API Gateway answers preflights itself: a header missing here (Edit-Key) never reaches us."""
    from aidj_service.edge.middleware import ALLOWED_REQUEST_HEADERS

    cors = deployed.one("aws:apigatewayv2/api:Api").inputs["corsConfiguration"]
    assert set(cors["allowHeaders"]) == set(ALLOWED_REQUEST_HEADERS.split(", "))


def test_api_routes_are_exactly_the_service_routes(deployed):
    from aidj_service.edge.routes import gateway_route_keys

    routes = {r.inputs["routeKey"] for r in deployed.of_type("aws:apigatewayv2/route:Route")}
    assert routes == gateway_route_keys()
    assert "POST /playlist" in routes and "GET /static/{proxy+}" in routes


def test_every_route_proxies_to_the_function_with_payload_v2(deployed):
    integration = deployed.one("aws:apigatewayv2/integration:Integration").inputs
    assert integration["integrationType"] == "AWS_PROXY"
    assert integration["payloadFormatVersion"] == "2.0"
    assert integration["integrationUri"].endswith(":playlist/invocations")
    targets = {r.inputs["target"] for r in deployed.of_type("aws:apigatewayv2/route:Route")}
    assert targets == {"integrations/playlist-integration-id"}


def test_default_stage_deploys_automatically_and_is_throttled(deployed):
    stage = deployed.one("aws:apigatewayv2/stage:Stage").inputs
    assert stage["name"] == "$default" and stage["autoDeploy"] is True
    assert stage["defaultRouteSettings"]["throttlingRateLimit"] > 0


def test_only_this_api_may_invoke_the_function(deployed):
    permission = deployed.one("aws:lambda/permission:Permission").inputs
    assert permission["principal"] == "apigateway.amazonaws.com"
    assert permission["sourceArn"] == f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:http-api-id/*/*"


# --- IAM ------------------------------------------------------------------------------------


def test_role_can_be_assumed_by_lambda_only(deployed):
    policy = json.loads(
        deployed.one("aws:iam/role:Role", "function-role").inputs["assumeRolePolicy"]
    )
    assert [s["Principal"] for s in policy["Statement"]] == [{"Service": "lambda.amazonaws.com"}]
    assert not deployed.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")


def test_policy_allows_table_access_on_the_table_and_its_indexes_only(deployed):
    (statement,) = [s for s in deployed.policy()["Statement"] if s["Sid"] == "History"]
    table_arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:history"
    assert statement["Resource"] == [table_arn, f"{table_arn}/index/*"]
    # The item calls the DynamoDB history store makes, and nothing else (no Scan, no table admin).
    assert sorted(statement["Action"]) == [
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
    ]


def test_policy_allows_invoking_only_the_configured_profile_and_its_models(deployed):
    (statement,) = [s for s in deployed.policy()["Statement"] if s["Sid"] == "Interpret"]
    assert statement["Action"] == ["bedrock:InvokeModel"]
    model = "anthropic.claude-haiku-4-5-20251001-v1:0"
    assert statement["Resource"] == [
        f"arn:aws:bedrock:{REGION}:{ACCOUNT_ID}:inference-profile/eu.{model}",
        f"arn:aws:bedrock:eu-central-1::foundation-model/{model}",
        f"arn:aws:bedrock:eu-west-1::foundation-model/{model}",
        f"arn:aws:bedrock:eu-west-3::foundation-model/{model}",
    ]


def test_policy_allows_logging_only_to_the_function_log_group(deployed):
    (statement,) = [s for s in deployed.policy()["Statement"] if s["Sid"] == "Logs"]
    group = f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:function-logs"
    assert statement["Resource"] == [group, f"{group}:*"]
    assert sorted(statement["Action"]) == ["logs:CreateLogStream", "logs:PutLogEvents"]


def test_policy_has_no_wildcards_beyond_indexes_and_log_streams(deployed):
    allowed_wildcards = {
        f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:history/index/*",
        f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:function-logs:*",
    }
    for statement in deployed.policy()["Statement"]:
        assert statement["Effect"] == "Allow"
        assert not any("*" in action for action in statement["Action"]), statement
        assert {r for r in statement["Resource"] if "*" in r} <= allowed_wildcards, statement


def test_foundation_model_id_without_profile_allows_only_that_model_in_the_region():
    from aidj_infra.iam import bedrock_resources

    cfg = StackConfig(stack="t", region="us-east-1", bedrock_model_id="amazon.nova-micro-v1:0")
    assert bedrock_resources(cfg, ACCOUNT_ID) == [
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0"
    ]


# --- Alarms ---------------------------------------------------------------------------------


def alarm(deployed, name):
    return deployed.one(ALARM, name).inputs


def expression(inputs) -> str:
    (query,) = [q for q in inputs["metricQueries"] if q.get("returnData")]
    return query["expression"]


def metrics(inputs) -> dict[str, dict]:
    return {q["id"]: q["metric"] for q in inputs["metricQueries"] if "metric" in q}


def test_there_are_exactly_five_alarms_all_notifying_the_topic(deployed):
    alarms = deployed.of_type(ALARM)
    assert len(alarms) == 5  # four for the service's health, one for scheduled refreshes
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:aidj-alerts"
    for a in alarms:
        assert a.inputs["alarmActions"] == [topic] and a.inputs["okActions"] == [topic]
        assert a.inputs["treatMissingData"] == "notBreaching"


def test_lambda_error_alarm_fires_above_5_percent_of_invocations_in_5_minutes(deployed):
    inputs = alarm(deployed, "lambda-error-rate")
    assert inputs["threshold"] == 5 and inputs["comparisonOperator"] == "GreaterThanThreshold"
    found = metrics(inputs)
    assert (found["failures"]["metricName"], found["total"]["metricName"]) == (
        "Errors",
        "Invocations",
    )
    assert {m["period"] for m in found.values()} == {300}
    assert expression(inputs) == "IF(total > 0, 100 * failures / total, 0)"


def test_api_5xx_alarm_fires_above_1_percent_of_requests_in_5_minutes(deployed):
    inputs = alarm(deployed, "api-5xx-rate")
    assert inputs["threshold"] == 1
    found = metrics(inputs)
    assert (found["failures"]["metricName"], found["total"]["metricName"]) == ("5xx", "Count")
    assert found["total"]["dimensions"] == {"ApiId": "http-api-id", "Stage": "$default"}
    assert {m["period"] for m in found.values()} == {300}
    assert "100 * failures / total" in expression(inputs)


def test_duration_alarm_fires_when_the_slowest_call_exceeds_20_seconds(deployed):
    inputs = alarm(deployed, "lambda-duration")
    assert (inputs["metricName"], inputs["statistic"], inputs["period"]) == (
        "Duration",
        "Maximum",
        300,
    )
    assert inputs["threshold"] == 20_000


# --- Time limits ----------------------------------------------------------------------------


def deployed_limits(deployed) -> tuple[float, float, float, float]:
    """(request deadline, duration alarm, function timeout, integration timeout) in seconds."""
    env = function_env(deployed)
    return (
        float(env[REQUEST_DEADLINE_VARIABLE]),
        alarm(deployed, "lambda-duration")["threshold"] / 1000,
        deployed.one(FUNCTION).inputs["timeout"],
        deployed.one(INTEGRATION).inputs["timeoutMilliseconds"] / 1000,
    )


def test_the_deployed_time_limits_are_the_defaults_derived_once(deployed):
    assert deployed_limits(deployed) == (25, 20, 29, 29)


def test_the_duration_alarm_can_fire_before_any_request_reaches_its_deadline(deployed):
    deadline, alarm_s, _, _ = deployed_limits(deployed)
    assert alarm_s < deadline


def test_the_function_answers_before_its_timeout_and_the_gateway_cut_off(deployed):
    deadline, _, function_timeout, integration_timeout = deployed_limits(deployed)
    assert deadline < function_timeout <= integration_timeout


@pytest.mark.parametrize("timeout_s", range(11, INTEGRATION_TIMEOUT_S + 1))
def test_every_allowed_timeout_keeps_the_limits_in_order(timeout_s):
    limits = StackConfig(stack="t", region=REGION, timeout_s=timeout_s).time_limits
    assert (
        limits.duration_alarm_ms / 1000
        < limits.request_deadline_s
        < limits.function_timeout_s
        <= limits.integration_timeout_s
    )


def test_a_shorter_function_timeout_shortens_the_deadline_and_the_alarm(tiny_zip):
    limits = TimeLimits.derive(15)
    assert (limits.request_deadline_s, limits.duration_alarm_ms) == (14, 11_200)
    result = deploy(lambda: StackConfig(stack="short", region=REGION, timeout_s=15), tiny_zip)
    assert deployed_limits(result) == (14, 11.2, 15, 29)


@pytest.mark.parametrize("timeout_s", [60, 30, 10, 1])
def test_a_timeout_that_contradicts_the_gateway_or_the_deadline_is_refused(timeout_s):
    with pytest.raises(ConfigError) as refused:
        StackConfig(stack="t", region=REGION, timeout_s=timeout_s)
    message = str(refused.value)
    assert "aidj:timeoutSeconds" in message and f"is {timeout_s}:" in message
    assert "use 11 to 29 seconds" in message and "pulumi config set aidj:timeoutSeconds" in message


def test_the_environment_setting_cannot_override_the_derived_deadline():
    with pytest.raises(ConfigError, match="aidj:environment sets AIDJ_REQUEST_TIMEOUT_S"):
        StackConfig(stack="t", region=REGION, environment={REQUEST_DEADLINE_VARIABLE: "60"})


def test_throttle_alarm_fires_on_any_throttled_table_request(deployed):
    inputs = alarm(deployed, "dynamodb-throttles")
    assert inputs["threshold"] == 0 and inputs["comparisonOperator"] == "GreaterThanThreshold"
    found = metrics(inputs)
    assert {m["metricName"] for m in found.values()} == {"ThrottledRequests"}
    assert {m["dimensions"]["TableName"] for m in found.values()} == {"history-physical"}
    assert all(ref in expression(inputs) for ref in found)


def test_alarms_have_no_actions_when_no_topic_is_configured(tiny_zip):
    result = deploy(lambda: StackConfig(stack="quiet", region=REGION), tiny_zip)
    assert all(a.inputs.get("alarmActions", []) == [] for a in result.of_type(ALARM))


# --- Outputs and config ---------------------------------------------------------------------


def test_outputs_name_endpoint_table_function_and_bucket(deployed):
    assert (
        deployed.outputs["api_endpoint"] == f"https://http-api.execute-api.{REGION}.amazonaws.com"
    )
    assert deployed.outputs["table_name"] == "history-physical"
    assert deployed.outputs["function_name"] == "playlist-physical"
    assert deployed.outputs["artifact_bucket"] == "artifacts-bucket"


def dev_config() -> dict[str, str]:
    """Pulumi.dev.yaml as the engine hands it to the program (objects JSON-encoded)."""
    raw = yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())["config"]
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in raw.items()}


def run_main(tiny_zip, monkeypatch, extra: dict[str, str], secret_keys: list[str] | None = None):
    """Run the real entry point under mocks with the committed dev config plus ``extra``."""
    from aidj_infra.stack import main

    exported: dict[str, object] = {}
    mocks = RecordingMocks()
    monkeypatch.setattr(pulumi, "export", lambda name, value: exported.setdefault(name, value))
    pulumi.runtime.set_mocks(mocks, project="aidj", stack="dev", preview=False)
    pulumi.runtime.set_all_config(
        {
            **dev_config(),
            "aidj:lambdaZip": str(tiny_zip),
            "aidj:catalogArtifact": str(tiny_catalog()),
            **extra,
        },
        secret_keys or [],
    )
    try:
        pulumi.runtime.test(main)()
    finally:
        pulumi.runtime.set_all_config({}, [])
    return exported, mocks.resources


def test_main_exports_the_outputs_using_the_committed_dev_config(tiny_zip, monkeypatch):
    exported, _ = run_main(tiny_zip, monkeypatch, {})
    assert {"api_endpoint", "table_name", "function_name", "artifact_bucket"} <= set(exported)


def test_a_spotify_secret_left_in_an_old_stack_config_never_reaches_any_resource(
    tiny_zip, monkeypatch
):
    _, resources = run_main(
        tiny_zip,
        monkeypatch,
        {"aidj:spotifyClientSecret": "left-from-an-old-config"},
        ["aidj:spotifyClientSecret"],
    )
    assert "left-from-an-old-config" not in json.dumps([r.inputs for r in resources], default=str)


def test_committed_dev_config_loads_and_holds_no_account_ids_or_secrets():
    text = (REPO / "Pulumi.dev.yaml").read_text()
    assert not re.search(r"(?<!\d)\d{12}(?!\d)", text), (
        "account ids belong in credentials, not config"
    )
    assert "secure:" not in text and "spotifyClientSecret" not in dev_config()
    pulumi.runtime.set_all_config(dev_config())
    try:
        cfg = StackConfig.load()
    finally:
        pulumi.runtime.set_all_config({})
    assert (cfg.region, cfg.memory_mb, cfg.timeout_s, cfg.log_retention_days) == (
        "eu-west-1",
        512,
        29,
        14,
    )


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("architecture", "sparc", "architecture"),
        ("log_retention_days", 10, "logRetentionDays"),
        ("cors_origins", ("dj.example.com",), "corsOrigins"),
        ("memory_mb", 64, "memoryMb"),
        ("alarm_topic_arn", "my-topic", "alarmTopicArn"),
    ],
)
def test_invalid_settings_fail_before_any_resource_naming_the_key(field, value, key):
    with pytest.raises(ConfigError, match=f"aidj:{key}"):
        StackConfig(stack="t", region=REGION, **{field: value})


def snake_to_action(call: str) -> str:
    return "dynamodb:" + "".join(part.capitalize() for part in call.split("_"))


def test_policy_allows_every_dynamodb_call_the_history_store_makes():
    """A call added to the store without widening the policy would be AccessDenied only on AWS."""
    from aidj_infra.iam import DYNAMODB_ACTIONS

    source = (REPO / "services/playlist/src/aidj_service/stores/dynamodb.py").read_text()
    calls = set(re.findall(r"\bclient\.([a-z_]+)\(", source))
    assert calls, "found no DynamoDB client calls; has the store moved?"
    assert {snake_to_action(call) for call in calls} <= set(DYNAMODB_ACTIONS)


def test_policy_allows_the_bedrock_call_the_interpreter_makes():
    from aidj_infra.iam import BEDROCK_ACTIONS

    source = (REPO / "services/playlist/src/aidj_service/clients/bedrock.py").read_text()
    calls = set(re.findall(r"\bclient\.([a-z_]+)\(", source))
    # converse and invoke_model are authorised by InvokeModel; the *_stream variants would not be.
    assert calls and calls <= {"converse", "invoke_model"}
    assert BEDROCK_ACTIONS == ("bedrock:InvokeModel",)


def load_with(extra: dict[str, str]) -> StackConfig:
    pulumi.runtime.set_all_config({"aws:region": REGION, **extra})
    try:
        return StackConfig.load()
    finally:
        pulumi.runtime.set_all_config({})


def test_list_settings_accept_a_yaml_list_or_a_comma_separated_string():
    from_yaml = load_with(
        {"aidj:corsOrigins": json.dumps(["https://a.example", "https://b.example"])}
    )
    from_cli = load_with({"aidj:corsOrigins": "https://a.example, https://b.example"})
    assert (
        from_yaml.cors_origins
        == from_cli.cors_origins
        == ("https://a.example", "https://b.example")
    )


def test_missing_region_is_reported_with_the_command_that_sets_it():
    pulumi.runtime.set_all_config({})
    with pytest.raises(ConfigError, match="pulumi config set aws:region"):
        StackConfig.load()
