"""aidj:regions: the API and the function in each region over one global table."""

from __future__ import annotations

import json

import pytest

from aidj_infra.config import ConfigError, StackConfig
from aidj_infra.regions import model_for_region, replica_arn

from .conftest import ACCOUNT_ID, REGION, deploy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws")

TABLE = "aws:dynamodb/table:Table"
FUNCTION = "aws:lambda/function:Function"
API = "aws:apigatewayv2/api:Api"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SCHEDULE = "aws:scheduler/schedule:Schedule"
OTHER = "us-east-1"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:aidj-alerts"


def two_regions() -> StackConfig:
    return StackConfig(
        stack="test",
        region=REGION,
        regions=(REGION, OTHER),
        bedrock_model_id="eu.anthropic.claude-haiku-4-5-20251001-v1:0",
        bedrock_regions=("eu-west-1", "eu-west-3", "us-east-1", "us-west-2"),
        alarm_topic_arn=TOPIC,
    )


@pytest.fixture(scope="module")
def global_stack(tiny_zip):
    return deploy(two_regions, tiny_zip)


def in_region(deployed, kind: str, region: str | None) -> list:
    """Resources of ``kind`` declared in ``region`` (None: the stack's own, no region argument)."""
    return [r for r in deployed.of_type(kind) if r.inputs.get("region") == region]


def env_of(resource) -> dict[str, str]:
    return resource.inputs["environment"]["variables"]


def policy_of(deployed, name: str) -> dict:
    return json.loads(deployed.one("aws:iam/rolePolicy:RolePolicy", name).inputs["policy"])


def test_one_region_is_the_default_and_the_table_is_not_global(deployed):
    table = deployed.one(TABLE).inputs
    assert "replicas" not in table and "streamEnabled" not in table
    assert len(deployed.of_type(FUNCTION)) == 1 and len(deployed.of_type(API)) == 1
    assert "AIDJ_REGIONS" not in env_of(deployed.one(FUNCTION))
    assert "api_endpoints" not in deployed.outputs


def test_listing_only_the_home_region_changes_nothing(tiny_zip, deployed):
    single = deploy(lambda: StackConfig(stack="test", region=REGION, regions=(REGION,)), tiny_zip)
    assert len(single.resources) == len(
        deploy(lambda: StackConfig(stack="test", region=REGION), tiny_zip).resources
    )
    assert "replicas" not in single.one(TABLE).inputs


def test_the_table_is_one_global_table_with_a_recoverable_replica_per_other_region(global_stack):
    table = global_stack.one(TABLE).inputs
    assert table["streamEnabled"] is True  # replication runs on the stream
    assert table["streamViewType"] == "NEW_AND_OLD_IMAGES"
    assert [(r["regionName"], r["pointInTimeRecovery"]) for r in table["replicas"]] == [
        (OTHER, True)
    ]
    assert table["pointInTimeRecovery"] == {"enabled": True}  # and the home table's own


def test_each_region_runs_its_own_function_api_and_refresh(global_stack):
    for kind in (FUNCTION, API, SCHEDULE):
        assert len(in_region(global_stack, kind, None)) == 1, kind
        assert len(in_region(global_stack, kind, OTHER)) == 1, kind
    (function,) = in_region(global_stack, FUNCTION, OTHER)
    assert function.name == f"playlist-{OTHER}"
    # its code and its catalog come from buckets in its own region
    buckets = {b.name for b in in_region(global_stack, "aws:s3/bucket:Bucket", OTHER)}
    assert buckets == {f"artifacts-{OTHER}", f"catalog-{OTHER}"}
    assert function.inputs["s3Bucket"] == f"artifacts-{OTHER}-id"
    assert env_of(function)["AIDJ_CATALOG_BUCKET"] == f"catalog-{OTHER}-bucket"


def test_the_home_region_keeps_every_resource_name_it_had(global_stack, deployed):
    before = {(r.type, r.name) for r in deployed.resources}
    after = {(r.type, r.name) for r in global_stack.resources}
    assert before <= after


def test_both_functions_use_the_same_table_and_home_token_key(global_stack):
    functions = global_stack.of_type(FUNCTION)
    assert {env_of(f)["DYNAMODB_TABLE_NAME"] for f in functions} == {"history-physical"}
    key = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:spotify-tokens"
    assert {env_of(f)["AIDJ_TOKEN_KMS_KEY_ID"] for f in functions} == {key}
    assert {env_of(f)["AIDJ_REGIONS"] for f in functions} == {f"{REGION},{OTHER}"}


def test_the_other_regions_role_reaches_its_local_replica_only(global_stack):
    (statement,) = [
        s
        for s in policy_of(global_stack, f"function-policy-{OTHER}")["Statement"]
        if s["Sid"] == "History"
    ]
    replica = f"arn:aws:dynamodb:{OTHER}:{ACCOUNT_ID}:history"
    assert statement["Resource"] == [replica, f"{replica}/index/*"]


def test_each_region_calls_bedrock_through_its_own_geographys_profile(global_stack):
    (function,) = in_region(global_stack, FUNCTION, OTHER)
    model = "anthropic.claude-haiku-4-5-20251001-v1:0"
    assert env_of(function)["BEDROCK_MODEL_ID"] == f"us.{model}"
    (statement,) = [
        s
        for s in policy_of(global_stack, f"function-policy-{OTHER}")["Statement"]
        if s["Sid"] == "Interpret"
    ]
    assert statement["Resource"] == [
        f"arn:aws:bedrock:{OTHER}:{ACCOUNT_ID}:inference-profile/us.{model}",
        f"arn:aws:bedrock:us-east-1::foundation-model/{model}",
        f"arn:aws:bedrock:us-west-2::foundation-model/{model}",
    ]


def test_alarms_exist_per_region_and_page_only_where_the_topic_is(global_stack):
    home, other = in_region(global_stack, ALARM, None), in_region(global_stack, ALARM, OTHER)
    assert len(home) == len(other) == 5
    assert {a.name.removesuffix(f"-{OTHER}") for a in other} == {a.name for a in home}
    assert all(a.inputs["alarmActions"] == [TOPIC] for a in home)
    # CloudWatch notifies topics of the alarm's own region only
    assert all(a.inputs.get("alarmActions", []) == [] for a in other)


def test_the_other_regions_alarms_watch_its_own_function_and_api(global_stack):
    errors = global_stack.one(ALARM, f"lambda-error-rate-{OTHER}").inputs
    dimensions = {
        q["metric"]["dimensions"]["FunctionName"] for q in errors["metricQueries"] if "metric" in q
    }
    assert dimensions == {f"playlist-{OTHER}-physical"}


def test_the_outputs_list_every_regions_endpoint(global_stack):
    assert global_stack.outputs["api_endpoints"] == {
        REGION: f"https://http-api.execute-api.{REGION}.amazonaws.com",
        OTHER: f"https://http-api-{OTHER}.execute-api.{OTHER}.amazonaws.com",
    }


def test_regions_must_include_the_home_region():
    with pytest.raises(ConfigError, match=f"aidj:regions must include aws:region \\({REGION}\\)"):
        StackConfig(stack="t", region=REGION, regions=("us-east-1", "us-west-2"))


def test_regions_must_start_with_the_home_region():
    with pytest.raises(
        ConfigError, match=f"aidj:regions must start with aws:region \\({REGION}\\)"
    ):
        StackConfig(stack="t", region=REGION, regions=(OTHER, REGION))


def test_the_function_is_told_the_regions_home_first(global_stack):
    (function,) = in_region(global_stack, FUNCTION, OTHER)
    assert env_of(function)["AIDJ_REGIONS"].split(",") == [REGION, OTHER]


def test_a_region_listed_twice_is_refused():
    with pytest.raises(ConfigError, match="aidj:regions lists a region twice"):
        StackConfig(stack="t", region=REGION, regions=(REGION, OTHER, OTHER))


def test_regions_load_from_a_yaml_list():
    from .test_stack import load_with

    assert load_with({"aidj:regions": json.dumps([REGION, OTHER])}).regions == (REGION, OTHER)


@pytest.mark.parametrize(
    ("model_id", "region", "expected"),
    [
        ("eu.amazon.nova-lite-v1:0", "us-east-1", "us.amazon.nova-lite-v1:0"),
        ("us.meta.llama3-2-3b-instruct-v1:0", "eu-west-1", "eu.meta.llama3-2-3b-instruct-v1:0"),
        ("eu.amazon.nova-lite-v1:0", "ap-southeast-2", "apac.amazon.nova-lite-v1:0"),
        (
            "global.anthropic.claude-haiku-4-5-20251001-v1:0",
            "us-east-1",
            "global.anthropic.claude-haiku-4-5-20251001-v1:0",
        ),
        ("amazon.nova-micro-v1:0", "us-east-1", "amazon.nova-micro-v1:0"),
        ("eu.amazon.nova-lite-v1:0", "sa-east-1", "eu.amazon.nova-lite-v1:0"),
    ],
)
def test_a_geography_profile_is_swapped_for_the_regions_own(model_id, region, expected):
    assert model_for_region(model_id, region) == expected


def test_a_replica_arn_differs_from_the_tables_only_in_its_region():
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/aidj-history"
    assert replica_arn(arn, OTHER) == f"arn:aws:dynamodb:{OTHER}:{ACCOUNT_ID}:table/aidj-history"


def test_with_sign_in_every_regions_api_trusts_the_one_home_pool(tiny_zip):
    import dataclasses

    signed_in = deploy(
        lambda: dataclasses.replace(
            two_regions(), auth="cognito", cors_origins=("https://dj.example.com",)
        ),
        tiny_zip,
    )
    assert len(signed_in.of_type("aws:cognito/userPool:UserPool")) == 1
    authorizers = signed_in.of_type("aws:apigatewayv2/authorizer:Authorizer")
    assert sorted(a.inputs.get("region") or REGION for a in authorizers) == [REGION, OTHER]
    issuer = f"https://cognito-idp.{REGION}.amazonaws.com/users-id"
    assert {a.inputs["jwtConfiguration"]["issuer"] for a in authorizers} == {issuer}
    (other_api,) = in_region(signed_in, API, OTHER)
    (other_authorizer,) = in_region(signed_in, "aws:apigatewayv2/authorizer:Authorizer", OTHER)
    assert other_authorizer.inputs["apiId"] == f"{other_api.name}-id"
