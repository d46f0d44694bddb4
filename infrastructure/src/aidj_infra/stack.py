"""Wires the modules into one stack: storage -> role -> function -> API -> alarms -> refresh schedule
(-> the usage dashboard, with ``aidj:metrics: true``)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pulumi
import pulumi_aws as aws

from . import alarms as alarm_module
from . import api as api_module
from . import dashboard as dashboard_module
from . import function as function_module
from . import iam, storage
from . import living as living_module
from . import platforms as platforms_module
from .config import NAMESPACE, ConfigError, StackConfig
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

    table = storage.history_table(cfg)
    bucket = storage.artifact_bucket(cfg)
    code = storage.upload_zip(cfg, bucket, build)

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
        platforms=bool(parameters),
    )
    function = function_module.playlist_function(
        cfg,
        build=build,
        code=code,
        role=role,
        logs=logs,
        table_name=table.name,
        depends_on=[policy, logs],
        token_key_arn=key.arn,
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
        "lambda_zip_sha256": pulumi.Output.from_input(build.sha256),
        "lambda_zip_bytes": pulumi.Output.from_input(build.size_bytes),
        "lambda_unzipped_bytes": pulumi.Output.from_input(build.unzipped_bytes),
    }


def main() -> None:
    cfg = StackConfig.load()
    cfg = replace(cfg, platforms=platforms_module.read_platform_config(pulumi.Config(NAMESPACE)))
    for name, value in create_stack(cfg).items():
        pulumi.export(name, value)
