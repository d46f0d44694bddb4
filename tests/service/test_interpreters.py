"""Which interpreter answers: the local one by default, Bedrock when asked, and the fallback said out loud."""

from __future__ import annotations

from aidj_service.config import DEFAULT_BEDROCK_MODEL_ID
from tests.service.conftest import call
from tests.support.fake_bedrock import aws_test_env, fake_bedrock  # noqa: F401  (fixtures)

PROMPT = "dark techno for a late night drive"


def test_bedrock_parameters_are_used_when_asked(make_api, fake_bedrock) -> None:
    fake_bedrock.reply_tool(
        {"playlist_name": "Night Drive", "genres": ["techno"], "energy": 0.82, "limit": 6}
    )
    api = make_api()

    body = call(api, "POST", "/playlist", {"prompt": PROMPT, "interpreter": "bedrock"}).json_body()

    assert body["interpreter"] == {
        "name": "bedrock",
        "requested": "bedrock",
        "model": DEFAULT_BEDROCK_MODEL_ID,  # which model read the prompt
        "fallback_reason": None,
        "cached": False,
    }
    assert body["parameters"]["genres"] == ["techno"] and body["parameters"]["energy"] == 0.82
    assert body["tracks_count"] == 6
    assert len(fake_bedrock.calls) == 1


def test_bedrock_can_be_the_configured_default(make_api, fake_bedrock) -> None:
    fake_bedrock.reply_tool({"playlist_name": "Night Drive", "genres": ["techno"]})
    body = call(
        make_api(interpreter="bedrock"), "POST", "/playlist", {"prompt": PROMPT}
    ).json_body()
    assert body["interpreter"]["name"] == "bedrock"


def test_a_failing_bedrock_falls_back_to_the_local_interpreter_and_says_why(
    make_api, fake_bedrock
) -> None:
    fake_bedrock.fail(
        "AccessDeniedException", status=403, message="not allowed to invoke this model", times=3
    )
    api = make_api()

    response = call(api, "POST", "/playlist", {"prompt": PROMPT, "interpreter": "bedrock"})

    body = response.json_body()
    assert response.status == 200
    assert body["interpreter"]["name"] == "local" and body["interpreter"]["requested"] == "bedrock"
    assert body["interpreter"]["fallback_reason"]
    assert body["parameters"] == api.dj.interpreter.interpret(PROMPT).to_dict()


def test_the_bedrock_interpreter_is_built_once_per_process(make_api, fake_bedrock) -> None:
    api = make_api()
    for _ in range(2):
        fake_bedrock.reply_tool({"genres": ["techno"]})
    first = api.interpreter("bedrock")
    call(api, "POST", "/playlist", {"prompt": PROMPT, "interpreter": "bedrock"})
    call(api, "POST", "/playlist", {"prompt": PROMPT + " 2", "interpreter": "bedrock"})
    assert api.interpreter("bedrock") is first


def test_the_local_interpreter_never_touches_bedrock(make_api, fake_bedrock) -> None:
    call(make_api(), "POST", "/playlist", {"prompt": PROMPT})
    assert fake_bedrock.calls == []
