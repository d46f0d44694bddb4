"""Wires the modules into one stack: storage and catalog -> role -> function -> API -> alarms ->
refresh schedule (-> the usage dashboard, with ``aidj:metrics: true``), in the home region and in
each other region of ``aidj:regions``."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import pulumi
import pulumi_aws as aws

from . import alarms as alarm_module
from . import api as api_module
from . import catalog_store, cognito, iam, regions, storage
from . import dashboard as dashboard_module
from . import function as function_module
from . import living as living_module
from . import platforms as platforms_module
from .catalog_store import CatalogArtifact
from .config import NAMESPACE, ConfigError, StackConfig
from .models import MODELS_VARIABLE, models_variable
from .package import BuildResult, Target, build_lambda_zip, catalog_paths, describe

REPO_ROOT = Path(__file__).resolve().parents[3]
BUILD_DIR = REPO_ROOT / "build" / "lambda"
CATALOG_BUILD_DIR = REPO_ROOT / "build" / "catalog"
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
    return build_lambda_zip(REPO_ROOT, BUILD_DIR, target=Target(architecture=cfg.architecture))


def deployment_catalog(cfg: StackConfig) -> CatalogArtifact:
    """The catalog to serve: a built artifact from config, else built (or reused) from the CSVs."""
    if cfg.catalog_artifact:
        folder = Path(cfg.catalog_artifact)
        if not (folder / "manifest.json").is_file():
            raise ConfigError(
                f"aidj:catalogArtifact points at {folder}, which holds no manifest.json; build it "
                "with `aidj catalog build CSV... --out DIR` or unset the key"
            )
        return catalog_store.packed_artifact(folder, CATALOG_BUILD_DIR)
    csvs = catalog_paths(cfg.catalog_csv or os.environ.get("AIDJ_CATALOG") or DEFAULT_CATALOG)
    for csv in csvs:
        if not csv.is_file():
            raise ConfigError(
                f"catalog CSV {csv} not found; set `pulumi config set aidj:catalogCsv PATH[{os.pathsep}PATH...]` "
                "or aidj:catalogArtifact (a folder from `aidj catalog build`)"
            )
    return catalog_store.artifact_from_csvs(csvs, CATALOG_BUILD_DIR)


def create_stack(
    cfg: StackConfig, build: BuildResult | None = None, catalog: CatalogArtifact | None = None
) -> dict[str, pulumi.Output]:
    """Declare every resource; return the stack outputs (exported by :func:`main`)."""
    build = build or deployment_zip(cfg)
    catalog = catalog or deployment_catalog(cfg)
    account_id = aws.get_caller_identity_output().account_id

    # Once, in the home region: the state (global when aidj:regions lists more) and identity.
    table = storage.history_table(cfg)
    key = living_module.token_key(cfg)
    sign_in = cognito.sign_in(cfg)
    # Delivery platforms' settings: SSM parameters, secrets encrypted with the same key. Home
    # region only: other regions' functions deliver to no platform (docs/DEPLOY.md, Regions).
    platforms = bool(platforms_module.platform_parameters(cfg, key))
    shared = Shared(build, catalog, account_id, table.name, key, sign_in)

    home = _regional(cfg, shared, table.arn, platforms)
    if cfg.metrics:  # the dashboard shows the home region's function and alarms
        dashboard_module.dashboard(cfg, home.function.name, home.alarms)
    endpoints = {cfg.region: home.api.api_endpoint}
    for region in regions.other_regions(cfg):
        replica = table.arn.apply(lambda arn, region=region: regions.replica_arn(arn, region))
        there = regions.regional_config(cfg, region)
        endpoints[region] = _regional(there, shared, replica, platforms=False).api.api_endpoint

    outputs = {
        "api_endpoint": home.api.api_endpoint,
        "table_name": table.name,
        "function_name": home.function.name,
        "token_key_arn": key.arn,
        "artifact_bucket": home.bucket.bucket,
        "catalog_bucket": home.catalog_bucket.bucket,
        "catalog_key": pulumi.Output.from_input(catalog.key),
        "catalog_tracks": pulumi.Output.from_input(catalog.tracks),
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
class Shared:
    """What every region's copy uses: the code, the catalog, the table, the key, the sign-in."""

    build: BuildResult
    catalog: CatalogArtifact
    account_id: pulumi.Output[str]
    table_name: pulumi.Output[str]
    key: aws.kms.Key
    sign_in: cognito.SignIn | None


@dataclass(frozen=True)
class Regional:
    bucket: aws.s3.Bucket
    catalog_bucket: aws.s3.Bucket
    function: aws.lambda_.Function
    api: aws.apigatewayv2.Api
    alarms: list[aws.cloudwatch.MetricAlarm]


def _regional(
    cfg: StackConfig, shared: Shared, table_arn: pulumi.Input[str], platforms: bool
) -> Regional:
    """What runs in one region (``cfg.placement``): code and catalog -> role -> function -> API ->
    alarms -> refresh."""
    bucket = storage.artifact_bucket(cfg)
    code = storage.upload_zip(cfg, bucket, shared.build)
    catalog = shared.catalog
    catalog_bucket = catalog_store.catalog_bucket(cfg)
    catalog_object = catalog_store.upload_catalog(cfg, catalog_bucket, catalog)
    logs = function_module.log_group(cfg)
    role, policy = iam.function_role(
        cfg,
        table_arn=table_arn,
        log_group=logs,
        account_id=shared.account_id,
        token_key=shared.key,
        catalog_object_arn=catalog_bucket.arn.apply(
            lambda arn: catalog_store.object_arn(arn, catalog.key)
        ),
        platforms=platforms,
    )
    function = function_module.playlist_function(
        cfg,
        build=shared.build,
        code=code,
        role=role,
        logs=logs,
        table_name=shared.table_name,
        # the catalog object must exist before a cold start asks for it
        depends_on=[policy, logs, catalog_object],
        token_key_arn=shared.key.arn,
        extra_environment=_feature_environment(cfg, shared.sign_in),
        catalog=(catalog_bucket.bucket, catalog.key),
        ephemeral_storage_mb=catalog_store.ephemeral_storage_mb(catalog.bytes),
        platforms_path=platforms_module.parameters_path(cfg) if platforms else None,
    )
    refresh = living_module.refresh(cfg, function)

    http = api_module.http_api(cfg, function, guard=shared.sign_in)
    seed_alarms = alarm_module.alarms(
        cfg,
        function_name=function.name,
        api_id=http.api.id,
        stage=api_module.STAGE,
        table_name=shared.table_name,
    )
    return Regional(
        bucket=bucket,
        catalog_bucket=catalog_bucket,
        function=function,
        api=http.api,
        alarms=[*alarm_module.all_of(seed_alarms), refresh.alarm],
    )


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
