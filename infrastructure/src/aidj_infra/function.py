"""The playlist function and its log group."""

from __future__ import annotations

import base64
from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from .config import REQUEST_DEADLINE_VARIABLE, StackConfig
from .package import EMBEDDING_MODEL, LAMBDA_PYTHON, BuildResult
from .platforms import SECRETS_PATH_VARIABLE

HANDLER = "app.lambda_handler"
RUNTIME = f"python{LAMBDA_PYTHON}"
TASK_ROOT = "/var/task"  # where Lambda unpacks the zip


def log_group(cfg: StackConfig) -> aws.cloudwatch.LogGroup:
    # Created by the stack (not lazily by Lambda) so it has a retention and the role needs no
    # logs:CreateLogGroup; Lambda's default would keep logs forever.
    return aws.cloudwatch.LogGroup(
        cfg.placement.name("function-logs"),
        name=f"/aws/lambda/{cfg.name}",
        retention_in_days=cfg.log_retention_days,
        tags=cfg.tags,
        region=cfg.placement.region,
    )


def environment(
    cfg: StackConfig,
    table_name: pulumi.Input[str],
    token_key_arn: pulumi.Input[str] | None = None,
    catalog: tuple[pulumi.Input[str], str] | None = None,
    platforms_path: str | None = None,
    extra: Mapping[str, pulumi.Input[str]] | None = None,
) -> dict[str, pulumi.Input[str]]:
    """The function's variables; ``catalog`` is the artifact's (bucket, key)."""
    env: dict[str, pulumi.Input[str]] = {
        # Deployed, prompts are understood by Bedrock (the service falls back to the local
        # interpreter when Bedrock fails); aidj:environment may override these two.
        "AIDJ_INTERPRETER": "bedrock",
        # The engine is single-threaded numpy; more BLAS threads only contend for Lambda's vCPUs.
        "OMP_NUM_THREADS": "1",
        **cfg.environment,
        "AIDJ_HISTORY": "dynamodb",
        "DYNAMODB_TABLE_NAME": table_name,
        "BEDROCK_MODEL_ID": cfg.bedrock_model_id,
        "AIDJ_CORS_ORIGINS": ",".join(cfg.cors_origins),
        "SPOTIFY_CLIENT_ID": cfg.spotify_client_id,
        # answer (503 at worst) before the function's timeout and API Gateway's cut-off
        REQUEST_DEADLINE_VARIABLE: str(cfg.time_limits.request_deadline_s),
        # The catalog artifact is fetched into, and caches the core writes go to, the only
        # writable path (ephemeral storage sized from the artifact).
        "AIDJ_CACHE_DIR": "/tmp/aidj",
        # Prebuilt six-language embedding model: nothing to cut into /tmp at cold start.
        "AIDJ_EMBEDDING_MODEL": f"{TASK_ROOT}/{EMBEDDING_MODEL}",
    }
    if catalog is not None:
        env["AIDJ_CATALOG_BUCKET"], env["AIDJ_CATALOG_KEY"] = catalog
    if cfg.metrics:
        # one CloudWatch embedded-metric line per request; the stack's dashboard shows them
        env["AIDJ_METRICS"] = "on"
    if token_key_arn is not None:
        # Spotify refresh tokens for scheduled playlists are encrypted with this key before storage
        env["AIDJ_TOKEN_KMS_KEY_ID"] = token_key_arn
    # What optional features hand the service (sign-in, regions, model choices); none by default.
    env.update(extra or {})
    if platforms_path is not None:
        # Where the delivery platforms' settings and secrets are (SSM, read at cold start)
        env[SECRETS_PATH_VARIABLE] = platforms_path
    return env


def playlist_function(
    cfg: StackConfig,
    *,
    build: BuildResult,
    code: aws.s3.BucketObjectv2,
    role: aws.iam.Role,
    logs: aws.cloudwatch.LogGroup,
    table_name: pulumi.Input[str],
    depends_on: list[pulumi.Resource],
    token_key_arn: pulumi.Input[str] | None = None,
    extra_environment: Mapping[str, pulumi.Input[str]] | None = None,
    catalog: tuple[pulumi.Input[str], str] | None = None,
    ephemeral_storage_mb: int = 512,
    platforms_path: str | None = None,
) -> aws.lambda_.Function:
    return aws.lambda_.Function(
        cfg.placement.name("playlist"),
        runtime=RUNTIME,
        handler=HANDLER,
        architectures=[cfg.architecture],
        memory_size=cfg.memory_mb,
        timeout=cfg.time_limits.function_timeout_s,
        role=role.arn,
        s3_bucket=code.bucket,
        s3_key=code.key,
        # Lambda compares this to decide whether the code changed (base64 of the zip's SHA-256).
        source_code_hash=base64.b64encode(bytes.fromhex(build.sha256)).decode(),
        environment=aws.lambda_.FunctionEnvironmentArgs(
            variables=environment(
                cfg, table_name, token_key_arn, catalog, platforms_path, extra_environment
            )
        ),
        # the catalog artifact is unpacked into /tmp at cold start (aidj_infra.catalog_store)
        ephemeral_storage=aws.lambda_.FunctionEphemeralStorageArgs(size=ephemeral_storage_mb),
        logging_config=aws.lambda_.FunctionLoggingConfigArgs(
            log_format="Text", log_group=logs.name
        ),
        tags=cfg.tags,
        # The role's policy must exist before the first invocation tries to log or read the table.
        opts=pulumi.ResourceOptions(depends_on=depends_on),
        region=cfg.placement.region,
    )
