"""Delivery platforms' settings as SSM parameters the function reads once, at cold start.

Secrets (the MusicKit private key, the Google client secret, a Subsonic password) are set with
``pulumi config set --secret aidj:<key> ...`` and become SecureString parameters encrypted with
the stack's own KMS key; the other settings (ids, URLs) are String parameters beside them. The
function's environment holds only the path (``AIDJ_PLATFORM_SECRETS_PATH``), its role may read
only that path (``ssm:GetParametersByPath``, not recursive) and decrypt only with that key. The
service maps each parameter's last path segment onto the variable it names
(``aidj_service.delivery.settings.load_settings``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .config import NAMESPACE, StackConfig

SECRETS_PATH_VARIABLE = "AIDJ_PLATFORM_SECRETS_PATH"  # the service's delivery.settings name
SSM_ACTIONS = ("ssm:GetParametersByPath",)


@dataclass(frozen=True)
class PlatformSetting:
    key: str  # the Pulumi config key under aidj:
    variable: str  # the service's variable (and the parameter's name)
    secret: bool


PLATFORM_SETTINGS = (
    PlatformSetting("appleMusicTeamId", "AIDJ_APPLE_MUSIC_TEAM_ID", secret=False),
    PlatformSetting("appleMusicKeyId", "AIDJ_APPLE_MUSIC_KEY_ID", secret=False),
    PlatformSetting("appleMusicPrivateKey", "AIDJ_APPLE_MUSIC_PRIVATE_KEY", secret=True),
    PlatformSetting("appleMusicStorefront", "AIDJ_APPLE_MUSIC_STOREFRONT", secret=False),
    PlatformSetting("googleClientId", "GOOGLE_CLIENT_ID", secret=False),
    # the page's YouTube sign-in code is exchanged by the function with this secret
    PlatformSetting("googleClientSecret", "GOOGLE_CLIENT_SECRET", secret=True),
    PlatformSetting("googleRedirectUris", "AIDJ_GOOGLE_REDIRECT_URIS", secret=False),
    PlatformSetting("subsonicUrl", "AIDJ_SUBSONIC_URL", secret=False),
    PlatformSetting("subsonicUser", "AIDJ_SUBSONIC_USER", secret=False),
    PlatformSetting("subsonicPassword", "AIDJ_SUBSONIC_PASSWORD", secret=True),
)


def read_platform_config(config: pulumi.Config) -> dict[str, Any]:
    """The platform settings the stack sets, by service variable; secrets stay Outputs marked secret."""
    values: dict[str, Any] = {}
    for setting in PLATFORM_SETTINGS:
        value = config.get_secret(setting.key) if setting.secret else config.get(setting.key)
        if value is not None:
            values[setting.variable] = value
    return values


def parameters_path(cfg: StackConfig) -> str:
    return f"/{cfg.name}/platforms"


def parameters_arn(cfg: StackConfig, account_id: str) -> str:
    """What ``GetParametersByPath`` on the path is authorised against (the path itself)."""
    return f"arn:aws:ssm:{cfg.region}:{account_id}:parameter{parameters_path(cfg)}"


def platform_parameters(
    cfg: StackConfig, key: aws.kms.Key, values: Mapping[str, Any] | None = None
) -> list[aws.ssm.Parameter]:
    """One parameter per platform setting the stack sets; secrets as SecureString under ``key``."""
    values = cfg.platforms if values is None else values
    parameters = []
    for setting in PLATFORM_SETTINGS:
        if setting.variable not in values:
            continue
        value = values[setting.variable]
        parameters.append(
            aws.ssm.Parameter(
                f"platform-{setting.key}",
                name=f"{parameters_path(cfg)}/{setting.variable}",
                type="SecureString" if setting.secret else "String",
                value=pulumi.Output.secret(value) if setting.secret else value,
                key_id=key.arn if setting.secret else None,
                description=f"AI DJ {cfg.stack}: {NAMESPACE}:{setting.key} for playlist delivery",
                tags=cfg.tags,
            )
        )
    return parameters
