"""The fake Converse endpoint stays honest: boto3 parses its answers and raises its errors as modelled."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config

from tests.support.fake_bedrock import TOOL_NAME, FakeBedrock

MESSAGES = [{"role": "user", "content": [{"text": "hi"}]}]


@pytest.fixture
def runtime(fake_bedrock: FakeBedrock):
    return boto3.session.Session().client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=fake_bedrock.url,
        config=Config(retries={"total_max_attempts": 1}),
    )


def test_a_tool_answer_parses_into_the_documented_shape(fake_bedrock: FakeBedrock, runtime) -> None:
    fake_bedrock.reply_tool({"energy": 0.5})

    answer = runtime.converse(
        modelId="us.anthropic.claude-haiku-4-5-20251001-v1:0", messages=MESSAGES
    )

    assert answer["stopReason"] == "tool_use"
    assert answer["usage"]["totalTokens"] > 0 and answer["metrics"]["latencyMs"] > 0
    [block] = answer["output"]["message"]["content"]
    assert block["toolUse"]["name"] == TOOL_NAME and block["toolUse"]["input"] == {"energy": 0.5}
    assert fake_bedrock.calls[0].model_id == "us.anthropic.claude-haiku-4-5-20251001-v1:0"


@pytest.mark.parametrize(
    ("error_type", "status"),
    [
        ("ThrottlingException", 429),
        ("ValidationException", 400),
        ("AccessDeniedException", 403),
        ("ModelTimeoutException", 408),
    ],
)
def test_errors_raise_the_modelled_botocore_exceptions(
    fake_bedrock: FakeBedrock, runtime, error_type: str, status: int
) -> None:
    fake_bedrock.fail(error_type, status, message="from the fake")

    with pytest.raises(getattr(runtime.exceptions, error_type)) as caught:
        runtime.converse(modelId="m", messages=MESSAGES)

    assert caught.value.response["Error"]["Message"] == "from the fake"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_requests_are_signed_with_the_fake_credentials(fake_bedrock: FakeBedrock, runtime) -> None:
    runtime.converse(modelId="m", messages=MESSAGES)
    assert "Credential=testing/" in fake_bedrock.calls[0].headers["authorization"]
