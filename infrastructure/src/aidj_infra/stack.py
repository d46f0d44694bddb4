"""Wires the modules into one stack: storage -> role -> function -> API -> alarms -> refresh schedule,
in the home region and in each other region of ``aidj:regions``."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import pulumi
import pulumi_aws as aws

from . import alarms as alarm_module
from . import api as api_module
from . import cognito, iam, regions, storage
from . import function as function_module
from . import living as living_module
from . import platforms as platforms_module
from .config import NAMESPACE, ConfigError, StackConfig
from .models import MODELS_VARIABLE, models_variable
from .package import BuildResult, Target, build_lambda_zip, catalog_paths, describe

REPO_ROOT = Path(__file__).resolve().parents[3]
BUILD_DIR = REPO_ROOT / "build" / "lambda"
_SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
# both shared files: the 114k set for breadth, TidyTuesday for release years (eras)
DEFAULT_CATALOG = os.pathsep.join(
    str(_SHARED_DATA / name)
    for name in ("spotify_tracks_114k.csv", "spotify_songs_tidytuesday_2020-01-21.csv")
)


def deployment_zip(cfg: StackConfig) -> BuildResult:
    """The zip to deploy: a prebuilt one from config, else built (or reused) under build/."""
    if cfg.lambda_zip:
        path = Path(cfg.lambda_zip)
        if not path.is_file():
            raise ConfigError(
                f"aidj:lambdaZip points at {path}, which does not exist; build it or unset the key"
            )
        return describe(path)
    csvs = catalog_paths(cfg.catalog_csv or os.environ.get("AIDJ_CATALOG") or DEFAULT_CATALOG)
    for csv in csvs:
        if not csv.is_file():
            raise ConfigError(
                f"catalog CSV {csv} not found; set `pulumi config set aidj:catalogCsv PATH[{os.pathsep}PATH...]` "
                "(the function ships a compiled copy of it)"
            )
    return build_lambda_zip(
        REPO_ROOT, BUILD_DIR, csvs, target=Target(architecture=cfg.architecture)
    )


def create_stack(cfg: StackConfig, build: BuildResult | None = None) -> dict[str, pulumi.Output]:
    """Declare every resource; return the stack outputs (exported by :func:`main`)."""
    build = build or deployment_zip(cfg)
    account_id = aws.get_caller_identity_output().account_id

    # Once, in the home region: the state (global when aidj:regions lists more) and identity.
    table = storage.history_table(cfg)
    key = living_module.token_key(cfg)
    sign_in = cognito.sign_in(cfg)
    # Delivery platforms' settings: SSM parameters, secrets encrypted with the same key. Home
    # region only: other regions' functions deliver to no platform (docs/DEPLOY.md, Regions).
    platforms = bool(platforms_module.platform_parameters(cfg, key))

    home = _regional(cfg, build, account_id, table.name, table.arn, key, sign_in, platforms)
    endpoints = {cfg.region: home.api.api_endpoint}
    for region in regions.other_regions(cfg):
        replica = table.arn.apply(lambda arn, region=region: regions.replica_arn(arn, region))
        there = regions.regional_config(cfg, region)
        endpoints[region] = _regional(
            there, build, account_id, table.name, replica, key, sign_in, platforms=False
        ).api.api_endpoint

    outputs = {
        "api_endpoint": home.api.api_endpoint,
        "table_name": table.name,
        "function_name": home.function.name,
        "token_key_arn": key.arn,
        "artifact_bucket": home.bucket.bucket,
        "lambda_zip_sha256": pulumi.Output.from_input(build.sha256),
        "lambda_zip_bytes": pulumi.Output.from_input(build.size_bytes),
        "lambda_unzipped_bytes": pulumi.Output.from_input(build.unzipped_bytes),
    }
    if len(endpoints) > 1:
        outputs["api_endpoints"] = pulumi.Output.all(**endpoints)
    if sign_in is not None:
        outputs["user_pool_id"] = sign_in.pool.id
        outputs["user_pool_client_id"] = sign_in.client.id
        outputs["sign_in_domain"] = pulumi.Output.from_input(sign_in.hosted_ui)
    return outputs


@dataclass(frozen=True)
class Regional:
    bucket: aws.s3.Bucket
    function: aws.lambda_.Function
    api: aws.apigatewayv2.Api


def _regional(
    cfg: StackConfig,
    build: BuildResult,
    account_id: pulumi.Input[str],
    table_name: pulumi.Input[str],
    table_arn: pulumi.Input[str],
    key: aws.kms.Key,
    sign_in: cognito.SignIn | None,
    platforms: bool,
) -> Regional:
    """What runs in one region (``cfg.placement``): code -> role -> function -> API -> alarms -> refresh."""
    bucket = storage.artifact_bucket(cfg)
    code = storage.upload_zip(cfg, bucket, build)
    logs = function_module.log_group(cfg)
    role, policy = iam.function_role(
        cfg,
        table_arn=table_arn,
        log_group=logs,
        account_id=account_id,
        token_key=key,
        platforms=platforms,
    )
    function = function_module.playlist_function(
        cfg,
        build=build,
        code=code,
        role=role,
        logs=logs,
        table_name=table_name,
        depends_on=[policy, logs],
        token_key_arn=key.arn,
        extra_environment=_feature_environment(cfg, sign_in),
        platforms_path=platforms_module.parameters_path(cfg) if platforms else None,
    )
    living_module.refresh(cfg, function)

    http = api_module.http_api(cfg, function, guard=sign_in)
    alarm_module.alarms(
        cfg,
        function_name=function.name,
        api_id=http.api.id,
        stage=api_module.STAGE,
        table_name=table_name,
    )
    return Regional(bucket=bucket, function=function, api=http.api)


def _feature_environment(
    cfg: StackConfig, sign_in: cognito.SignIn | None
) -> dict[str, pulumi.Input[str]]:
    """The optional features' settings for the function; empty for a default stack."""
    env: dict[str, pulumi.Input[str]] = {}
    if sign_in is not None:
        env.update(sign_in.environment())
    env.update(regions.environment(cfg))
    if cfg.bedrock_models:
        env[MODELS_VARIABLE] = models_variable(cfg.bedrock_models)
    return env


def main() -> None:
    cfg = StackConfig.load()
    cfg = replace(cfg, platforms=platforms_module.read_platform_config(pulumi.Config(NAMESPACE)))
    for name, value in create_stack(cfg).items():
        pulumi.export(name, value)
