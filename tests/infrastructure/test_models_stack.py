"""aidj:bedrockModels: the models a request may choose, and IAM for exactly those."""

from __future__ import annotations

import json

import pytest

from aidj_infra.config import ConfigError, StackConfig
from aidj_infra.models import MODELS_VARIABLE

from .conftest import ACCOUNT_ID, REGION, deploy
from .test_stack import function_env

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws")

CLAUDE = "eu.anthropic.claude-haiku-4-5-20251001-v1:0"
NOVA = "eu.amazon.nova-lite-v1:0"
LLAMA = "eu.meta.llama3-2-3b-instruct-v1:0"
CHOICES = {"nova": NOVA, "llama": LLAMA, "claude": CLAUDE}


def with_models() -> StackConfig:
    return StackConfig(
        stack="test",
        region=REGION,
        bedrock_model_id=CLAUDE,
        bedrock_regions=("eu-central-1", "eu-west-1"),
        bedrock_models=CHOICES,
    )


@pytest.fixture(scope="module")
def several(tiny_zip):
    return deploy(with_models, tiny_zip)


def interpret_statement(deployed) -> dict:
    (statement,) = [s for s in deployed.policy()["Statement"] if s["Sid"] == "Interpret"]
    return statement


def test_by_default_the_function_is_offered_no_model_choices(deployed):
    assert MODELS_VARIABLE not in function_env(deployed)


def test_the_function_reads_the_choices_sorted_by_name(several):
    variable = function_env(several)[MODELS_VARIABLE]
    assert json.loads(variable) == CHOICES
    assert list(json.loads(variable)) == ["claude", "llama", "nova"]
    assert function_env(several)["BEDROCK_MODEL_ID"] == CLAUDE  # plain "bedrock" still uses it


def test_iam_allows_exactly_each_offered_profile_and_the_models_it_routes_to(several):
    statement = interpret_statement(several)
    assert statement["Action"] == ["bedrock:InvokeModel"]
    expected = []
    for model_id in (CLAUDE, LLAMA, NOVA):  # the default first, then by name; no repeats
        expected.append(f"arn:aws:bedrock:{REGION}:{ACCOUNT_ID}:inference-profile/{model_id}")
        foundation = model_id.split(".", 1)[1]
        expected += [
            f"arn:aws:bedrock:{region}::foundation-model/{foundation}"
            for region in ("eu-central-1", "eu-west-1")
        ]
    assert statement["Resource"] == expected
    assert not any("*" in arn for arn in statement["Resource"])


def test_a_plain_model_id_is_allowed_in_the_stack_region_only(tiny_zip):
    plain = deploy(
        lambda: StackConfig(
            stack="t", region=REGION, bedrock_models={"micro": "amazon.nova-micro-v1:0"}
        ),
        tiny_zip,
    )
    assert (
        f"arn:aws:bedrock:{REGION}::foundation-model/amazon.nova-micro-v1:0"
        in interpret_statement(plain)["Resource"]
    )


@pytest.mark.parametrize("name", ["Nova", "nova lite", "", "bedrock:nova", "x" * 33])
def test_a_name_a_request_could_not_carry_is_refused(name):
    with pytest.raises(ConfigError, match="aidj:bedrockModels has the name"):
        StackConfig(stack="t", region=REGION, bedrock_models={name: NOVA})


def test_a_choice_without_a_model_id_is_refused():
    with pytest.raises(ConfigError, match="aidj:bedrockModels gives 'nova' no model id"):
        StackConfig(stack="t", region=REGION, bedrock_models={"nova": " "})


def test_choices_load_from_a_yaml_map():
    from .test_stack import load_with

    assert load_with({"aidj:bedrockModels": json.dumps(CHOICES)}).bedrock_models == CHOICES
