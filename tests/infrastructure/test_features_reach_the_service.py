"""What the stack tells each function about sign-in, regions and models is what the service reads:
the variables one side writes are parsed by the other's ``Settings.from_env``."""

from __future__ import annotations

import pytest

from aidj_infra.config import StackConfig
from aidj_service.config import Settings

from .conftest import REGION, deploy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws")

OTHER = "us-east-1"
NOVA = "eu.amazon.nova-lite-v1:0"


def everything_on() -> StackConfig:
    return StackConfig(
        stack="test",
        region=REGION,
        cors_origins=("https://dj.example.com",),
        auth="cognito",
        anonymous=False,
        regions=(REGION, OTHER),
        bedrock_regions=("eu-west-1", "us-east-1"),
        bedrock_models={"nova": NOVA},
    )


@pytest.fixture(scope="module")
def stack(tiny_zip):
    return deploy(everything_on, tiny_zip)


def settings_in(function, region: str) -> Settings:
    """The function's settings as Lambda starts it (Lambda adds AWS_REGION and its name)."""
    env = dict(function.inputs["environment"]["variables"])
    return Settings.from_env({**env, "AWS_REGION": region, "AWS_LAMBDA_FUNCTION_NAME": "playlist"})


def functions_by_region(stack) -> dict[str, object]:
    return {
        f.inputs.get("region") or REGION: f for f in stack.of_type("aws:lambda/function:Function")
    }


def test_every_regions_function_starts_with_the_settings_it_was_given(stack):
    for region, function in functions_by_region(stack).items():
        settings = settings_in(function, region)
        assert settings.signs_in and settings.anonymous is False
        assert settings.cognito_issuer == f"https://cognito-idp.{REGION}.amazonaws.com/users-id"
        assert settings.home_regions.here == region
        assert settings.home_regions.regions == (REGION, OTHER)


def test_each_function_offers_the_models_of_its_own_geography(stack):
    offered = {
        region: settings_in(function, region).model_choices.models
        for region, function in functions_by_region(stack).items()
    }
    assert offered == {REGION: {"nova": NOVA}, OTHER: {"nova": "us.amazon.nova-lite-v1:0"}}


def test_the_default_stacks_function_runs_without_any_of_it(deployed):
    (function,) = deployed.of_type("aws:lambda/function:Function")
    settings = settings_in(function, REGION)
    assert not settings.signs_in and not settings.home_regions.active
    assert settings.model_choices.models == {}
