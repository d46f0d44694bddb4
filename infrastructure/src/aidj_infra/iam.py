"""The function's role: exactly the table, the configured models, its own log group and the token key.

No managed policies: AWSLambdaBasicExecutionRole alone grants logs:* on every log group in the
account. The policy documents are built by plain functions so tests can inspect them.
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from .config import StackConfig
from .models import allowed_model_ids, foundation_model_id, is_inference_profile
from .platforms import SSM_ACTIONS, parameters_arn

# Exactly the calls aidj_service.stores.dynamodb makes (conditional writes need nothing extra).
DYNAMODB_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
)
# InvokeModel also authorises the Converse API, which the service may use for the same model.
BEDROCK_ACTIONS = ("bedrock:InvokeModel",)
# The log group is created by the stack, so the function needs no logs:CreateLogGroup.
LOGS_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
# Spotify refresh tokens: sealed and opened with the stack's own key (aidj_service.stores.tokens).
KMS_ACTIONS = ("kms:Encrypt", "kms:Decrypt")
# The catalog artifact: read at cold start (aidj_service.edge.catalog_fetch), never written.
CATALOG_ACTIONS = ("s3:GetObject",)

ASSUME_ROLE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def bedrock_resources(cfg: StackConfig, account_id: str) -> list[str]:
    """ARNs the function may invoke: each offered model (or inference profile and every model it
    routes to), nothing else.

    A cross-region profile forwards each request to the foundation model in one of its regions,
    and IAM checks both the profile and that regional model ARN.
    """
    arns: list[str] = []
    for model_id in allowed_model_ids(cfg.bedrock_model_id, cfg.bedrock_models):
        if is_inference_profile(model_id):
            arns.append(f"arn:aws:bedrock:{cfg.region}:{account_id}:inference-profile/{model_id}")
        arns.extend(
            f"arn:aws:bedrock:{region}::foundation-model/{foundation_model_id(model_id)}"
            for region in cfg.model_regions
        )
    return list(dict.fromkeys(arns))


def function_policy(
    cfg: StackConfig,
    *,
    table_arn: str,
    log_group_arn: str,
    account_id: str,
    token_key_arn: str | None = None,
    catalog_object_arn: str | None = None,
    platforms_arn: str | None = None,
) -> dict:
    """The least-privilege policy document for the function (resolved values, not Outputs)."""
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "History",
                "Effect": "Allow",
                "Action": list(DYNAMODB_ACTIONS),
                "Resource": [table_arn, f"{table_arn}/index/*"],
            },
            {
                "Sid": "Interpret",
                "Effect": "Allow",
                "Action": list(BEDROCK_ACTIONS),
                "Resource": bedrock_resources(cfg, account_id),
            },
            {
                "Sid": "Logs",
                "Effect": "Allow",
                "Action": list(LOGS_ACTIONS),
                # Log streams are addressed as "<group arn>:log-stream:<name>".
                "Resource": [log_group_arn, f"{log_group_arn}:*"],
            },
        ],
    }
    if catalog_object_arn is not None:
        document["Statement"].append(
            {
                "Sid": "Catalog",
                "Effect": "Allow",
                "Action": list(CATALOG_ACTIONS),
                "Resource": [catalog_object_arn],  # this artifact only, not the bucket
            }
        )
    if token_key_arn is not None:
        document["Statement"].append(
            {
                "Sid": "Tokens",
                "Effect": "Allow",
                "Action": list(KMS_ACTIONS),
                "Resource": [token_key_arn],
            }
        )
    if platforms_arn is not None:
        document["Statement"].append(
            {
                "Sid": "PlatformSettings",
                "Effect": "Allow",
                "Action": list(SSM_ACTIONS),
                "Resource": [platforms_arn],
            }
        )
    return document


def function_role(
    cfg: StackConfig,
    *,
    table_arn: pulumi.Input[str],
    log_group: aws.cloudwatch.LogGroup,
    account_id: pulumi.Input[str],
    token_key: aws.kms.Key | None = None,
    catalog_object_arn: pulumi.Input[str] | None = None,
    platforms: bool = False,
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    at = cfg.placement
    role = aws.iam.Role(
        at.name("function-role"),
        assume_role_policy=ASSUME_ROLE_POLICY,
        description=f"AI DJ {cfg.stack}: playlist function",
        tags=cfg.tags,
    )
    key_arn = token_key.arn if token_key is not None else None
    document = pulumi.Output.all(
        table_arn, log_group.arn, account_id, key_arn, catalog_object_arn
    ).apply(
        lambda values: json.dumps(
            function_policy(
                cfg,
                table_arn=values[0],
                log_group_arn=values[1],
                account_id=values[2],
                token_key_arn=values[3],
                catalog_object_arn=values[4],
                platforms_arn=parameters_arn(cfg, values[2]) if platforms else None,
            )
        )
    )
    policy = aws.iam.RolePolicy(at.name("function-policy"), role=role.id, policy=document)
    return role, policy
