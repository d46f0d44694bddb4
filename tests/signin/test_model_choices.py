"""Which Bedrock model a request may pick with "interpreter": "bedrock:<name>"."""

from __future__ import annotations

import pytest

from aidj_service.clients.bedrock_models import ModelChoices, UnknownModel, tool_choice

NOVA = "eu.amazon.nova-lite-v1:0"
LLAMA = "eu.meta.llama3-2-3b-instruct-v1:0"
ENV = {"AIDJ_BEDROCK_MODELS": f'{{"nova": "{NOVA}", "llama": "{LLAMA}"}}'}


def test_no_variable_offers_no_choices():
    assert ModelChoices.from_env({}).names == ()


def test_the_choices_are_named_bedrock_colon_name_sorted():
    assert ModelChoices.from_env(ENV).names == ("bedrock:llama", "bedrock:nova")


def test_a_choice_resolves_to_its_model_id():
    assert ModelChoices.from_env(ENV).model_id("bedrock:nova") == NOVA


@pytest.mark.parametrize("requested", ["bedrock:gpt", "bedrock:", "nova", "bedrock:NOVA"])
def test_an_unoffered_model_is_refused_naming_the_choices(requested):
    with pytest.raises(UnknownModel, match="choose one of bedrock:llama, bedrock:nova"):
        ModelChoices.from_env(ENV).model_id(requested)


@pytest.mark.parametrize("raw", ["[1]", "{", '{"Nova": "x"}', '{"nova": ""}', '{"nova": 3}'])
def test_a_malformed_variable_is_refused_with_an_example(raw):
    with pytest.raises(ValueError, match="AIDJ_BEDROCK_MODELS must be a JSON object"):
        ModelChoices.from_env({"AIDJ_BEDROCK_MODELS": raw})


@pytest.mark.parametrize(
    ("model_id", "forced"),
    [
        ("eu.anthropic.claude-haiku-4-5-20251001-v1:0", True),
        (NOVA, True),
        ("amazon.nova-micro-v1:0", True),
        (LLAMA, False),
        ("meta.llama3-70b-instruct-v1:0", False),
    ],
)
def test_llama_is_asked_for_the_tool_without_forcing_it(model_id, forced):
    choice = tool_choice(model_id, "set_playlist_parameters")
    assert choice == ({"tool": {"name": "set_playlist_parameters"}} if forced else {"auto": {}})
