"""Delivery platforms' settings: SSM parameters (secrets as SecureString), read by the function."""

from __future__ import annotations

import pulumi
import pytest

from aidj_infra.config import StackConfig
from aidj_infra.platforms import PLATFORM_SETTINGS, read_platform_config

from .conftest import ACCOUNT_ID, REGION, deploy
from .test_stack import FUNCTION, function_env, is_secret

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws")

PARAMETER = "aws:ssm/parameter:Parameter"
PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIGH...\n-----END PRIVATE KEY-----"


@pytest.fixture(scope="module")
def with_platforms(tiny_zip):
    def config() -> StackConfig:
        return StackConfig(
            stack="test",
            region=REGION,
            platforms={
                "AIDJ_APPLE_MUSIC_TEAM_ID": "TEAM123456",
                "AIDJ_APPLE_MUSIC_KEY_ID": "KEY1234567",
                "AIDJ_APPLE_MUSIC_PRIVATE_KEY": pulumi.Output.secret(PRIVATE_KEY),
                "AIDJ_SUBSONIC_PASSWORD": pulumi.Output.secret("hunter2"),
                "GOOGLE_CLIENT_ID": "aidj.apps.googleusercontent.com",
                "GOOGLE_CLIENT_SECRET": pulumi.Output.secret("GOCSPX-secret"),
            },
        )

    return deploy(config, tiny_zip)


def parameters(deployed) -> dict[str, dict]:
    return {r.inputs["name"]: r.inputs for r in deployed.of_type(PARAMETER)}


def test_each_platform_setting_is_a_parameter_under_the_stack_s_path(with_platforms):
    assert sorted(parameters(with_platforms)) == [
        "/aidj-test/platforms/AIDJ_APPLE_MUSIC_KEY_ID",
        "/aidj-test/platforms/AIDJ_APPLE_MUSIC_PRIVATE_KEY",
        "/aidj-test/platforms/AIDJ_APPLE_MUSIC_TEAM_ID",
        "/aidj-test/platforms/AIDJ_SUBSONIC_PASSWORD",
        "/aidj-test/platforms/GOOGLE_CLIENT_ID",
        "/aidj-test/platforms/GOOGLE_CLIENT_SECRET",
    ]


def test_secrets_are_secure_strings_under_the_stack_s_key_and_secret_in_the_state(with_platforms):
    found = parameters(with_platforms)
    for name in ("AIDJ_APPLE_MUSIC_PRIVATE_KEY", "AIDJ_SUBSONIC_PASSWORD", "GOOGLE_CLIENT_SECRET"):
        secret = found[f"/aidj-test/platforms/{name}"]
        assert secret["type"] == "SecureString"
        assert secret["keyId"] == f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:spotify-tokens"
        assert is_secret(secret["value"])
    assert found["/aidj-test/platforms/AIDJ_APPLE_MUSIC_TEAM_ID"]["type"] == "String"
    assert found["/aidj-test/platforms/GOOGLE_CLIENT_ID"]["type"] == "String"


def test_the_function_gets_the_path_and_no_secret(with_platforms):
    env = function_env(with_platforms)
    assert env["AIDJ_PLATFORM_SECRETS_PATH"] == "/aidj-test/platforms"
    assert not any(name in env for s in PLATFORM_SETTINGS for name in [s.variable])
    assert "hunter2" not in str(with_platforms.one(FUNCTION).inputs)
    assert "GOCSPX-secret" not in str(with_platforms.one(FUNCTION).inputs)


def test_the_role_reads_only_that_path(with_platforms):
    (statement,) = [
        s for s in with_platforms.policy()["Statement"] if s["Sid"] == "PlatformSettings"
    ]
    assert statement["Action"] == ["ssm:GetParametersByPath"]
    assert statement["Resource"] == [
        f"arn:aws:ssm:{REGION}:{ACCOUNT_ID}:parameter/aidj-test/platforms"
    ]


def test_a_stack_without_platforms_has_no_parameters_path_or_permission(deployed):
    assert deployed.of_type(PARAMETER) == []
    assert "AIDJ_PLATFORM_SECRETS_PATH" not in function_env(deployed)
    assert "PlatformSettings" not in [s["Sid"] for s in deployed.policy()["Statement"]]


def test_secret_keys_are_read_as_secrets_from_the_stack_config():
    asked: list[tuple[str, str]] = []

    class Config:
        def get(self, key):
            asked.append(("plain", key))
            return "TEAM123456" if key == "appleMusicTeamId" else None

        def get_secret(self, key):
            asked.append(("secret", key))
            return "pw" if key == "subsonicPassword" else None

    values = read_platform_config(Config())  # type: ignore[arg-type]
    assert values == {"AIDJ_APPLE_MUSIC_TEAM_ID": "TEAM123456", "AIDJ_SUBSONIC_PASSWORD": "pw"}
    assert ("secret", "appleMusicPrivateKey") in asked and ("secret", "subsonicPassword") in asked
    assert ("secret", "googleClientSecret") in asked
