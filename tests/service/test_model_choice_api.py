"""A request picks one of the offered Bedrock models ("interpreter": "bedrock:<name>"), all
through the same Converse call (the fake Bedrock on 127.0.0.1); the answer says which model
read the prompt."""

from __future__ import annotations

import json

import pytest

from aidj_service.edge import lambda_adapter
from tests.service.conftest import FIXTURES, call
from tests.support.fake_bedrock import aws_test_env, fake_bedrock  # noqa: F401  (fixtures)

CLAUDE = "eu.anthropic.claude-haiku-4-5-20251001-v1:0"
NOVA = "eu.amazon.nova-lite-v1:0"
LLAMA = "eu.meta.llama3-2-3b-instruct-v1:0"
OFFERED = (("llama", LLAMA), ("nova", NOVA))
PROMPT = "dark techno for a late night drive"


@pytest.fixture
def api(make_api, fake_bedrock):
    return make_api(bedrock_model_id=CLAUDE, bedrock_models=OFFERED)


def ask(api, interpreter: str):
    return call(
        api, "POST", "/playlist", {"prompt": PROMPT, "interpreter": interpreter, "limit": 6}
    )


@pytest.mark.parametrize(("name", "model_id"), [("nova", NOVA), ("llama", LLAMA)])
def test_the_chosen_model_reads_the_prompt_and_the_answer_says_so(
    api, fake_bedrock, name, model_id
):
    fake_bedrock.reply_tool({"playlist_name": "Night Drive", "genres": ["techno"]})
    answer = ask(api, f"bedrock:{name}")
    assert answer.status == 200
    assert [c.model_id for c in fake_bedrock.calls] == [model_id]
    info = answer.json_body()["interpreter"]
    assert (info["name"], info["requested"], info["model"]) == (
        "bedrock",
        f"bedrock:{name}",
        model_id,
    )
    assert answer.json_body()["parameters"]["genres"] == ["techno"]


def test_plain_bedrock_keeps_the_stacks_default_model(api, fake_bedrock):
    fake_bedrock.reply_tool({"playlist_name": "Night Drive"})
    assert ask(api, "bedrock").json_body()["interpreter"]["model"] == CLAUDE
    assert fake_bedrock.calls[0].model_id == CLAUDE


def test_a_model_not_offered_is_a_422_listing_the_offer(api, fake_bedrock):
    answer = ask(api, "bedrock:gpt")
    error = answer.json_body()["error"]
    assert (answer.status, error["code"]) == (422, "unknown_model")
    assert "bedrock:llama, bedrock:nova" in error["message"]
    assert fake_bedrock.calls == []


@pytest.mark.parametrize("interpreter", ["bedrock:Nova", "bedrock:", "openai:gpt", "bedrock:a b"])
def test_a_malformed_choice_fails_validation(api, interpreter):
    answer = ask(api, interpreter)
    assert answer.status == 422 and answer.json_body()["error"]["code"] == "validation_error"


def test_a_failing_model_falls_back_and_names_no_model(api, fake_bedrock):
    fake_bedrock.fail("AccessDeniedException", status=403, times=5)
    info = ask(api, "bedrock:nova").json_body()["interpreter"]
    assert (info["name"], info["model"]) == ("local", None)
    assert info["fallback_reason"]


def test_the_local_interpreter_names_no_model(api):
    assert ask(api, "local").json_body()["interpreter"]["model"] is None


def test_a_model_is_picked_through_the_lambda_handler(make_api, fake_bedrock):
    fake_bedrock.reply_tool({"playlist_name": "Night Drive", "genres": ["techno"]})
    handler = lambda_adapter.make_handler(
        lambda: make_api(local_mode=False, bedrock_model_id=CLAUDE, bedrock_models=OFFERED)
    )
    event = json.loads((FIXTURES / "post_playlist.json").read_text())
    event["body"] = json.dumps({"prompt": PROMPT, "interpreter": "bedrock:nova", "limit": 6})

    class Context:
        aws_request_id = "c6af9ac6"

        def get_remaining_time_in_millis(self) -> int:
            return 30_000

    result = handler(event, Context())
    assert result["statusCode"] == 200
    assert json.loads(result["body"])["interpreter"]["model"] == NOVA


def test_the_page_learns_the_offered_models(api):
    assert call(api, "GET", "/config").json_body()["model_choices"] == [
        "bedrock:llama",
        "bedrock:nova",
    ]
