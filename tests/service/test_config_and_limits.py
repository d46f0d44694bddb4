"""Settings from the environment and the per-user token bucket."""

from __future__ import annotations

import pytest

from aidj_service.config import Settings, SettingsError
from aidj_service.edge.ratelimit import RateLimiter


def test_defaults_suit_a_local_server() -> None:
    settings = Settings.from_env({})
    assert (settings.history, settings.interpreter, settings.local_mode) == (
        "sqlite",
        "local",
        None,
    )
    assert settings.cors_origins == () and settings.max_body_bytes == 64 * 1024
    assert settings.for_host("127.0.0.1").effective_cors_origins == ()  # the page's own origin only
    assert settings.for_host("0.0.0.0").effective_cors_origins == ("*",)
    assert settings.forwarded_allow_ips is None and settings.allowed_hosts == ()
    assert settings.spotify_api_url == "https://api.spotify.com/v1"
    assert settings.bedrock_model_id == "us.anthropic.claude-haiku-4-5-20251001-v1:0"


def test_in_lambda_with_a_table_history_is_dynamodb_and_nothing_is_trusted() -> None:
    settings = Settings.from_env(
        {"AWS_LAMBDA_FUNCTION_NAME": "aidj", "DYNAMODB_TABLE_NAME": "history"}
    )
    assert settings.history == "dynamodb" and settings.local_mode is False
    assert settings.effective_rate_limit == 30
    assert settings.db_path.startswith("/tmp/")


def test_every_variable_is_read() -> None:
    settings = Settings.from_env(
        {
            "SPOTIFY_CLIENT_ID": "cid",
            "SPOTIFY_API_URL": "http://127.0.0.1:9/v1/",
            "DYNAMODB_TABLE_NAME": "t",
            "BEDROCK_MODEL_ID": "m",
            "AWS_REGION": "eu-west-1",
            "AIDJ_CATALOG": "/c.csv",
            "AIDJ_CACHE_DIR": "/cache",
            "AIDJ_HISTORY": "dynamodb",
            "AIDJ_DB_PATH": "/db",
            "AIDJ_INTERPRETER": "bedrock",
            "AIDJ_LOCAL_MODE": "no",
            "AIDJ_CORS_ORIGINS": "https://a.example, https://b.example",
            "AIDJ_RATE_LIMIT_PER_MINUTE": "12",
            "AIDJ_MAX_BODY_BYTES": "1000",
            "AIDJ_ALLOWED_HOSTS": "dj.lan, Box.local",
            "AIDJ_FORWARDED_ALLOW_IPS": "127.0.0.1",
            "AIDJ_STORE_TIMEOUT_S": "2.5",
            "AIDJ_REQUEST_TIMEOUT_S": "12",
        }
    )
    assert settings == Settings(
        spotify_client_id="cid",
        spotify_api_url="http://127.0.0.1:9/v1",
        dynamodb_table_name="t",
        bedrock_model_id="m",
        aws_region="eu-west-1",
        catalog="/c.csv",
        cache_dir="/cache",
        history="dynamodb",
        db_path="/db",
        interpreter="bedrock",
        local_mode=False,
        cors_origins=("https://a.example", "https://b.example"),
        rate_limit_per_minute=12,
        max_body_bytes=1000,
        allowed_hosts=("dj.lan", "box.local"),
        forwarded_allow_ips="127.0.0.1",
        store_timeout_s=2.5,
        request_timeout_s=12.0,
    )


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"AIDJ_HISTORY": "postgres"}, "AIDJ_HISTORY"),
        ({"AIDJ_HISTORY": "dynamodb"}, "DYNAMODB_TABLE_NAME"),
        ({"AIDJ_INTERPRETER": "gpt"}, "AIDJ_INTERPRETER"),
        ({"AIDJ_LOCAL_MODE": "maybe"}, "AIDJ_LOCAL_MODE"),
        ({"AIDJ_RATE_LIMIT_PER_MINUTE": "lots"}, "AIDJ_RATE_LIMIT_PER_MINUTE"),
        ({"AIDJ_MAX_BODY_BYTES": "0"}, "AIDJ_MAX_BODY_BYTES"),
        (
            {"AIDJ_STORE_TIMEOUT_S": "60"},
            "AIDJ_STORE_TIMEOUT_S",
        ),  # would outlast the request deadline
        ({"AIDJ_STORE_TIMEOUT_S": "soon"}, "AIDJ_STORE_TIMEOUT_S"),
        ({"AIDJ_REQUEST_TIMEOUT_S": "0"}, "AIDJ_REQUEST_TIMEOUT_S"),
        (  # a store allowed longer than the request itself would outlive it
            {"AIDJ_REQUEST_TIMEOUT_S": "4", "AIDJ_STORE_TIMEOUT_S": "5"},
            "AIDJ_STORE_TIMEOUT_S.*AIDJ_REQUEST_TIMEOUT_S",
        ),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(SettingsError, match=names):
        Settings.from_env(env)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_refills_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(6, clock=clock)  # 6 a minute: one every 10 s
    assert [limiter.acquire("u") for _ in range(6)] == [0.0] * 6
    assert limiter.acquire("u") == pytest.approx(10.0)
    clock.now = 10.0
    assert limiter.acquire("u") == 0.0
    assert limiter.acquire("u") > 0


def test_buckets_are_per_user() -> None:
    limiter = RateLimiter(1, clock=Clock())
    assert limiter.acquire("a") == 0.0 and limiter.acquire("b") == 0.0
    assert limiter.acquire("a") > 0


def test_zero_disables_the_limit() -> None:
    limiter = RateLimiter(0)
    assert not limiter.enabled and all(limiter.acquire("u") == 0.0 for _ in range(1000))


def test_memory_is_bounded_by_forgetting_idle_users() -> None:
    limiter = RateLimiter(1, max_users=3, clock=Clock())
    for user in "abcde":
        limiter.acquire(user)
    assert limiter.acquire("a") == 0.0  # forgotten, so a full bucket again
