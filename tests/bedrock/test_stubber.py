"""The exact Converse request, and error mapping, checked with botocore's Stubber (no network at all)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import ANY, Stubber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidj.genres import GENRES
from aidj.intent import FIELD_NAMES
from aidj_service.clients.bedrock import (
    TOOL_NAME,
    BedrockInterpreter,
    intent_tool_schema,
    system_prompt,
)


@pytest.fixture
def runtime(aws_test_env: None):
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def converse_response(tool_input: dict) -> dict:
    return {
        "output": {
            "message": {
                "role": "assistant",
                "content": [
                    {"toolUse": {"toolUseId": "tooluse_1", "name": TOOL_NAME, "input": tool_input}}
                ],
            }
        },
        "stopReason": "tool_use",
        "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15},
        "metrics": {"latencyMs": 100},
    }


def test_the_converse_request_is_exactly_as_documented(runtime, local) -> None:
    client, stubber = runtime
    stubber.add_response(
        "converse",
        converse_response({"genres": ["k-pop"], "danceability": 0.8}),
        expected_params={
            "modelId": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
            "system": [{"text": system_prompt()}],
            "messages": [
                {"role": "user", "content": [{"text": "<request>k-pop para bailar</request>"}]}
            ],
            "toolConfig": {
                "tools": [
                    {
                        "toolSpec": {
                            "name": TOOL_NAME,
                            "description": ANY,
                            "inputSchema": {"json": intent_tool_schema()},
                        }
                    }
                ],
                "toolChoice": {"tool": {"name": TOOL_NAME}},
            },
            "inferenceConfig": {"maxTokens": ANY, "temperature": 0},
        },
    )

    intent = BedrockInterpreter(client=client, fallback=local).interpret("k-pop para bailar")

    assert intent.genres == ["k-pop"]
    assert intent.danceability == 0.8


def test_a_throttling_client_error_falls_back(runtime, local) -> None:
    client, stubber = runtime
    stubber.add_client_error(
        "converse",
        service_error_code="ThrottlingException",
        service_message="Rate exceeded",
        http_status_code=429,
    )

    result = BedrockInterpreter(client=client, fallback=local).interpret_detailed("rock")

    assert (result.interpreter, result.fallback_reason) == (
        "local",
        "bedrock throttled: Rate exceeded",
    )


def test_an_unknown_client_error_still_falls_back_with_its_code(runtime, local) -> None:
    client, stubber = runtime
    stubber.add_client_error(
        "converse",
        service_error_code="ModelErrorException",
        service_message="",
        http_status_code=424,
    )

    result = BedrockInterpreter(client=client, fallback=local).interpret_detailed("rock")

    assert result.fallback_reason == "bedrock error ModelErrorException"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
tool_inputs = st.dictionaries(
    st.sampled_from(sorted(FIELD_NAMES)) | st.text(max_size=12), json_values, max_size=8
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tool_input=tool_inputs)
def test_any_tool_answer_yields_a_valid_intent_and_never_raises(
    runtime, local, tool_input: dict
) -> None:
    client, stubber = runtime
    stubber.add_response("converse", converse_response(tool_input))

    result = BedrockInterpreter(client=client, fallback=local, cache_size=0).interpret_detailed(
        "something odd"
    )

    assert result.interpreter in ("bedrock", "local")
    assert (result.fallback_reason is None) == (result.interpreter == "bedrock")
    intent = result.intent
    assert 1 <= intent.track_count <= 100
    assert all(0.0 <= value <= 1.0 for value in intent.targets().values())
    assert set(intent.genres) <= set(GENRES)
