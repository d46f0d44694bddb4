"""Wires the modules into one stack: storage and catalog -> role -> function -> API -> alarms ->
refresh schedule (-> the usage dashboard, with ``aidj:metrics: true``)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pulumi
import pulumi_aws as aws

from . import alarms as alarm_module
from . import api as api_module
from . import catalog_store, iam, storage
from . import dashboard as dashboard_module
from . import function as function_module
from . import living as living_module
from . import platforms as platforms_module
from .catalog_store import CatalogArtifact
from .config import NAMESPACE, ConfigError, StackConfig
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

    table = storage.history_table(cfg)
    bucket = storage.artifact_bucket(cfg)
    code = storage.upload_zip(cfg, bucket, build)
    catalog_bucket = catalog_store.catalog_bucket(cfg)
    catalog_object = catalog_store.upload_catalog(cfg, catalog_bucket, catalog)

    logs = function_module.log_group(cfg)
    key = living_module.token_key(cfg)
    # Delivery platforms' settings: SSM parameters, secrets encrypted with the same key.
    parameters = platforms_module.platform_parameters(cfg, key)
    role, policy = iam.function_role(
        cfg,
        table=table,
        log_group=logs,
        account_id=account_id,
        token_key=key,
        catalog_object_arn=catalog_bucket.arn.apply(
            lambda arn: catalog_store.object_arn(arn, catalog.key)
        ),
        platforms=bool(parameters),
    )
    function = function_module.playlist_function(
        cfg,
        build=build,
        code=code,
        role=role,
        logs=logs,
        table_name=table.name,
        # the catalog object must exist before a cold start asks for it
        depends_on=[policy, logs, catalog_object],
        token_key_arn=key.arn,
        catalog=(catalog_bucket.bucket, catalog.key),
        ephemeral_storage_mb=catalog_store.ephemeral_storage_mb(catalog.bytes),
        platforms_path=platforms_module.parameters_path(cfg) if parameters else None,
    )
    refresh = living_module.refresh(cfg, function)

    http = api_module.http_api(cfg, function)
    seed_alarms = alarm_module.alarms(
        cfg,
        function_name=function.name,
        api_id=http.api.id,
        stage=api_module.STAGE,
        table_name=table.name,
    )
    if cfg.metrics:
        dashboard_module.dashboard(
            cfg, function.name, [*alarm_module.all_of(seed_alarms), refresh.alarm]
        )

    return {
        "api_endpoint": http.api.api_endpoint,
        "table_name": table.name,
        "function_name": function.name,
        "token_key_arn": key.arn,
        "artifact_bucket": bucket.bucket,
        "catalog_bucket": catalog_bucket.bucket,
        "catalog_key": pulumi.Output.from_input(catalog.key),
        "catalog_tracks": pulumi.Output.from_input(catalog.tracks),
        "lambda_zip_sha256": pulumi.Output.from_input(build.sha256),
        "lambda_zip_bytes": pulumi.Output.from_input(build.size_bytes),
        "lambda_unzipped_bytes": pulumi.Output.from_input(build.unzipped_bytes),
    }


def main() -> None:
    cfg = StackConfig.load()
    cfg = replace(cfg, platforms=platforms_module.read_platform_config(pulumi.Config(NAMESPACE)))
    for name, value in create_stack(cfg).items():
        pulumi.export(name, value)
