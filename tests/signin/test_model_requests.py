"""Each offered model is asked through the same Converse call (the fake Bedrock on 127.0.0.1)."""

from __future__ import annotations

import pytest

from aidj.local_interpreter import LocalInterpreter
from aidj_service.clients.bedrock import TOOL_NAME, BedrockInterpreter
from tests.support.fake_bedrock import FakeBedrock, aws_test_env, fake_bedrock  # noqa: F401

NOVA = "eu.amazon.nova-lite-v1:0"
LLAMA = "eu.meta.llama3-2-3b-instruct-v1:0"


@pytest.fixture(scope="module")
def local() -> LocalInterpreter:
    return LocalInterpreter(use_embeddings=False)


@pytest.mark.parametrize("model_id", [NOVA, LLAMA])
def test_the_chosen_model_gets_the_converse_call(fake_bedrock: FakeBedrock, local, model_id):
    reader = BedrockInterpreter(model_id=model_id, fallback=local, read_timeout=2.0)
    fake_bedrock.reply_tool({"playlist_name": "Quiet", "energy": 0.2})
    result = reader.interpret_detailed("quiet music for reading")
    [call] = fake_bedrock.calls
    assert call.model_id == model_id
    assert (result.interpreter, result.intent.energy) == ("bedrock", 0.2)


def test_llama_is_not_forced_to_call_the_tool(fake_bedrock: FakeBedrock, local):
    BedrockInterpreter(model_id=LLAMA, fallback=local).interpret("calm jazz")
    assert fake_bedrock.calls[0].body["toolConfig"]["toolChoice"] == {"auto": {}}


def test_nova_is_forced_to_call_the_tool(fake_bedrock: FakeBedrock, local):
    BedrockInterpreter(model_id=NOVA, fallback=local).interpret("calm jazz")
    assert fake_bedrock.calls[0].body["toolConfig"]["toolChoice"] == {"tool": {"name": TOOL_NAME}}


def test_a_model_answering_in_text_falls_back_to_the_local_interpreter(
    fake_bedrock: FakeBedrock, local
):
    fake_bedrock.reply_text("Here are some calm jazz songs you might like...")
    result = BedrockInterpreter(model_id=LLAMA, fallback=local).interpret_detailed("calm jazz")
    assert result.interpreter == "local" and result.fallback_reason
