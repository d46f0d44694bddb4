"""Typed stack configuration.

Everything that differs between stacks (dev, prod, a reviewer's sandbox) is read here, once, and
validated before any resource is declared: a typo in ``Pulumi.<stack>.yaml`` should fail the
preview with a message that says which key to fix, not half-way through an update.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

from .models import foundation_model_id, is_inference_profile
from .models import model_problem as _model_problem
from .placement import HOME, Placement

NAMESPACE = "aidj"

ARCHITECTURES = ("x86_64", "arm64")

# The only values CloudWatch Logs accepts; anything else is rejected by AWS mid-update.
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

# Sign-in (aidj_infra.cognito): none, or a Cognito user pool and a JWT authorizer.
AUTH_MODES = ("none", "cognito")

DEFAULT_MODEL_ID = "eu.anthropic.claude-haiku-4-5-20251001-v1:0"

# ---- time limits: every one derives from these, in TimeLimits below, and nowhere else.
# API Gateway (HTTP API) stops waiting for the function after this and answers 503 itself.
INTEGRATION_TIMEOUT_S = 29
# Kept between the service's request deadline and the gateway's cut-off: a cold start's init
# (which the gateway counts and the function's clock does not), the answer and its log line.
GATEWAY_HEADROOM_S = 4
# The function's timeout must outlast its request deadline by this, or Lambda kills it before
# it can answer its own 503.
ANSWER_MARGIN_S = 1
# The service needs room for its work above its 5 s store timeout (AIDJ_STORE_TIMEOUT_S).
MIN_REQUEST_DEADLINE_S = 10
# The duration alarm fires at this share of the deadline: a slowing trend shows before
# requests reach the deadline (503s), let alone the gateway's cut-off.
DURATION_ALARM_SHARE = 0.8
# Set by the stack from TimeLimits; aidj:environment may not contradict it.
REQUEST_DEADLINE_VARIABLE = "AIDJ_REQUEST_TIMEOUT_S"


class ConfigError(ValueError):
    """A stack setting is missing or invalid; the message names the key and how to set it."""


@dataclass(frozen=True)
class TimeLimits:
    """How long each layer waits, derived from the one setting ``aidj:timeoutSeconds``.

    request deadline < function timeout <= integration timeout, and the duration alarm sits
    under the request deadline. The function timeout is at most the integration timeout: a
    request running on after the gateway answered 503 only burns money. The hourly refresh
    (the same function) gets that time too and leaves unfinished playlists due for the next run.
    """

    integration_timeout_s: int  # API Gateway answers 503 itself after this
    function_timeout_s: int  # Lambda kills the invocation after this
    request_deadline_s: int  # the service answers by then (AIDJ_REQUEST_TIMEOUT_S)
    duration_alarm_ms: float  # the alarm on Lambda's Duration (Maximum) fires above this

    @classmethod
    def derive(cls, function_timeout_s: int) -> TimeLimits:
        deadline = min(
            function_timeout_s - ANSWER_MARGIN_S, INTEGRATION_TIMEOUT_S - GATEWAY_HEADROOM_S
        )
        return cls(
            integration_timeout_s=INTEGRATION_TIMEOUT_S,
            function_timeout_s=function_timeout_s,
            request_deadline_s=deadline,
            duration_alarm_ms=float(round(DURATION_ALARM_SHARE * deadline * 1000)),
        )


@dataclass(frozen=True)
class StackConfig:
    """Settings for one stack. Defaults are the dev values; prod overrides a few."""

    stack: str
    region: str
    architecture: str = "x86_64"
    memory_mb: int = 512
    # The function's timeout; the request deadline and the duration alarm follow (TimeLimits).
    timeout_s: int = INTEGRATION_TIMEOUT_S
    log_retention_days: int = 14
    cors_origins: tuple[str, ...] = ("http://localhost:8000",)
    bedrock_model_id: str = DEFAULT_MODEL_ID
    # Regions a cross-region inference profile may route a request to. IAM must allow the
    # foundation model in each of them, or Bedrock answers AccessDenied at random.
    bedrock_regions: tuple[str, ...] = ()
    alarm_topic_arn: str | None = None
    # Public: the web page signs in with PKCE, so the function needs no Spotify client secret.
    spotify_client_id: str = ""
    # Extra non-secret environment for the function (feature flags, log level).
    environment: Mapping[str, str] = field(default_factory=dict)
    # A prebuilt deployment zip; when set the program does not build one (tests, CI artifacts).
    lambda_zip: str | None = None
    catalog_csv: str | None = None
    # A folder from `aidj catalog build`; unset, the stack builds one from catalog_csv.
    catalog_artifact: str | None = None
    deletion_protection: bool = False
    api_throttle_rate: float = 20.0
    api_throttle_burst: int = 40
    # Sign-in (aidj_infra.cognito); anonymous creation can only be turned off with it on.
    auth: str = "none"
    anonymous: bool = True
    auth_domain_prefix: str = ""  # the hosted UI's <prefix>.auth.<region>.amazoncognito.com
    # Regions the API and function run in, over one global table (aidj_infra.regions); empty or
    # just aws:region means one region. aws:region is the home: the table and user pool live there.
    regions: tuple[str, ...] = ()
    # name -> Bedrock model id a request may pick with "interpreter": "bedrock:<name>".
    bedrock_models: Mapping[str, str] = field(default_factory=dict)
    # Which region the resources being declared go to (set by aidj_infra.regions, never config).
    placement: Placement = HOME
    # Usage metrics: the function logs one embedded-metric line per request (AIDJ_METRICS=on) and
    # the stack adds a CloudWatch dashboard of them beside the alarms. Off by default (cost: DEPLOY.md).
    metrics: bool = False
    # Delivery platforms' settings by service variable (aidj_infra.platforms); secrets are Outputs.
    platforms: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check(
            self.architecture in ARCHITECTURES, "architecture", f"must be one of {ARCHITECTURES}"
        )
        _check(128 <= self.memory_mb <= 10240, "memoryMb", "must be between 128 and 10240")
        shortest = MIN_REQUEST_DEADLINE_S + ANSWER_MARGIN_S
        _check(
            shortest <= self.timeout_s <= INTEGRATION_TIMEOUT_S,
            "timeoutSeconds",
            f"is {self.timeout_s}: use {shortest} to {INTEGRATION_TIMEOUT_S} seconds. Above "
            f"{INTEGRATION_TIMEOUT_S}, API Gateway has already answered 503 (its integration "
            "timeout) while the function runs on; below "
            f"{shortest}, the request deadline leaves no room above the store timeout. Unset, "
            f"it is {INTEGRATION_TIMEOUT_S}",
        )
        _check(
            REQUEST_DEADLINE_VARIABLE not in self.environment,
            "environment",
            f"sets {REQUEST_DEADLINE_VARIABLE}, which the stack derives from aidj:timeoutSeconds "
            "(under API Gateway's timeout); remove it and set aidj:timeoutSeconds instead",
        )
        _check(
            self.log_retention_days in LOG_RETENTION_DAYS,
            "logRetentionDays",
            f"must be one of CloudWatch's values {LOG_RETENTION_DAYS}",
        )
        _check(
            bool(self.cors_origins),
            "corsOrigins",
            'needs at least one origin, e.g. ["https://dj.example.com"]',
        )
        for origin in self.cors_origins:
            _check(
                origin == "*" or origin.startswith(("http://", "https://")),
                "corsOrigins",
                f"{origin!r} is not an origin; use scheme://host[:port]",
            )
        _check(
            bool(self.bedrock_model_id),
            "bedrockModelId",
            "must name a Bedrock model or inference profile",
        )
        if self.alarm_topic_arn is not None:
            _check(
                self.alarm_topic_arn.startswith("arn:"), "alarmTopicArn", "must be an SNS topic ARN"
            )
        _check(
            self.api_throttle_rate > 0 and self.api_throttle_burst > 0,
            "apiThrottle",
            "must be positive",
        )

        _check(self.auth in AUTH_MODES, "auth", f"must be one of {AUTH_MODES}")
        _check(
            self.anonymous or self.auth == "cognito",
            "anonymous",
            "can be false only with aidj:auth: cognito, or nobody could create a playlist",
        )
        _check(
            not self.regions or self.region in self.regions,
            "regions",
            f"must include aws:region ({self.region}), the home region of the table and user pool",
        )
        _check(
            not self.regions or self.placement.region is not None or self.regions[0] == self.region,
            "regions",
            f"must start with aws:region ({self.region}): the service counts the first region "
            "as the home of playlists made before regions were turned on",
        )
        _check(len(set(self.regions)) == len(self.regions), "regions", "lists a region twice")
        for name, model_id in self.bedrock_models.items():
            problem = _model_problem(name, model_id)
            _check(problem is None, "bedrockModels", problem or "")

    @property
    def time_limits(self) -> TimeLimits:
        return TimeLimits.derive(self.timeout_s)

    @property
    def name(self) -> str:
        """Prefix for physical names, so two stacks can share one account."""
        return f"aidj-{self.stack}"

    @property
    def tags(self) -> dict[str, str]:
        """On every resource, so cost reports and the console group a stack's resources."""
        return {"project": "aidj", "stack": self.stack}

    @property
    def is_inference_profile(self) -> bool:
        return is_inference_profile(self.bedrock_model_id)

    @property
    def foundation_model_id(self) -> str:
        """The model an inference profile routes to (the id without its geography prefix)."""
        return foundation_model_id(self.bedrock_model_id)

    @property
    def model_regions(self) -> tuple[str, ...]:
        return self.bedrock_regions or (self.region,)

    @classmethod
    def load(
        cls, config: pulumi.Config | None = None, aws_config: pulumi.Config | None = None
    ) -> StackConfig:
        """Read the current stack's ``aidj:*`` and ``aws:region`` settings."""
        cfg = config or pulumi.Config(NAMESPACE)
        aws_cfg = aws_config or pulumi.Config("aws")
        region = aws_cfg.get("region")
        if not region:
            raise ConfigError("aws:region is not set; run `pulumi config set aws:region eu-west-1`")
        defaults = cls(stack="defaults", region=region)
        if cfg.get("spotifyClientSecret") is not None:
            pulumi.log.warn(
                f"{NAMESPACE}:spotifyClientSecret is no longer used (the web page signs in with "
                f"PKCE, which needs no secret): `pulumi config rm {NAMESPACE}:spotifyClientSecret`"
            )
        return cls(
            stack=pulumi.get_stack(),
            region=region,
            architecture=cfg.get("architecture") or defaults.architecture,
            memory_mb=cfg.get_int("memoryMb") or defaults.memory_mb,
            timeout_s=cfg.get_int("timeoutSeconds") or defaults.timeout_s,
            log_retention_days=cfg.get_int("logRetentionDays") or defaults.log_retention_days,
            cors_origins=_strings(cfg.get("corsOrigins"), "corsOrigins") or defaults.cors_origins,
            bedrock_model_id=cfg.get("bedrockModelId") or defaults.bedrock_model_id,
            bedrock_regions=_strings(cfg.get("bedrockRegions"), "bedrockRegions"),
            alarm_topic_arn=cfg.get("alarmTopicArn") or None,
            spotify_client_id=cfg.get("spotifyClientId") or "",
            environment=_mapping(cfg.get_object("environment"), "environment"),
            lambda_zip=cfg.get("lambdaZip") or None,
            catalog_csv=cfg.get("catalogCsv") or None,
            catalog_artifact=cfg.get("catalogArtifact") or None,
            deletion_protection=bool(cfg.get_bool("deletionProtection")),
            api_throttle_rate=cfg.get_float("apiThrottleRate") or defaults.api_throttle_rate,
            api_throttle_burst=cfg.get_int("apiThrottleBurst") or defaults.api_throttle_burst,
            auth=cfg.get("auth") or defaults.auth,
            anonymous=cfg.get_bool("anonymous") is not False,
            auth_domain_prefix=cfg.get("authDomainPrefix") or "",
            regions=_strings(cfg.get("regions"), "regions"),
            bedrock_models=_mapping(cfg.get_object("bedrockModels"), "bedrockModels"),
            metrics=bool(cfg.get_bool("metrics")),
        )


def _check(ok: bool, key: str, why: str) -> None:
    if not ok:
        raise ConfigError(
            f"{NAMESPACE}:{key} {why}; fix it with `pulumi config set {NAMESPACE}:{key} ...`"
        )


def _strings(value: Any, key: str) -> tuple[str, ...]:
    """A YAML list (handed over as JSON) or "a,b", friendlier on the command line."""
    if value is None:
        return ()
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            raise ConfigError(f"{NAMESPACE}:{key} is not a valid list: {value!r}") from None
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"{NAMESPACE}:{key} must be a list of strings or a comma-separated string")


def _mapping(value: Any, key: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return {k: str(v) for k, v in value.items()}
    raise ConfigError(f"{NAMESPACE}:{key} must be a map of environment variable names to values")
