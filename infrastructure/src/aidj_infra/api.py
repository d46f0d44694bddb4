"""The public HTTP API (API Gateway v2) in front of the function."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .config import StackConfig

STAGE = "$default"

# Every route the service answers. OPTIONS is deliberately absent: with a CORS configuration
# API Gateway answers preflight requests itself, without invoking (and paying for) the function.
ROUTES = (
    "POST /playlist",
    "GET /playlists",
    "GET /playlists/{id}",
    "POST /playlists/{id}/versions",
    "POST /playlists/{id}/revert",
    "POST /playlists/{id}/extend",
    "PUT /playlists/{id}/schedule",
    "DELETE /playlists/{id}/schedule",
    "POST /playlists/{id}/play",
    "POST /playlists/{id}/deliver",
    "DELETE /me/spotify-tokens",
    "GET /me/taste",
    "PATCH /me/taste",
    "DELETE /me/taste",
    "GET /health",
    "GET /openapi.json",
    "GET /config",
    "GET /",
    "GET /static/{proxy+}",
)

CORS_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# The same lists the service sends when it answers CORS itself (aidj_service.edge.middleware).
CORS_HEADERS = ("content-type", "authorization", "idempotency-key", "edit-key")
CORS_EXPOSED_HEADERS = ("retry-after", "x-request-id", "idempotent-replayed")

# Fields of the access log: enough to tie a 5xx to the function's log by request id.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "latencyMs": "$context.responseLatency",
        "integrationStatus": "$context.integrationStatus",
        "integrationError": "$context.integrationErrorMessage",
    }
)


@dataclass(frozen=True)
class HttpApi:
    api: aws.apigatewayv2.Api
    stage: aws.apigatewayv2.Stage
    routes: list[aws.apigatewayv2.Route]


def http_api(cfg: StackConfig, function: aws.lambda_.Function) -> HttpApi:
    api = aws.apigatewayv2.Api(
        "http-api",
        name=cfg.name,
        protocol_type="HTTP",
        cors_configuration=aws.apigatewayv2.ApiCorsConfigurationArgs(
            allow_origins=list(cfg.cors_origins),
            allow_methods=list(CORS_METHODS),
            allow_headers=list(CORS_HEADERS),
            expose_headers=list(CORS_EXPOSED_HEADERS),
            max_age=3600,
        ),
        tags=cfg.tags,
    )
    integration = aws.apigatewayv2.Integration(
        "playlist-integration",
        api_id=api.id,
        integration_type="AWS_PROXY",
        integration_method="POST",
        integration_uri=function.invoke_arn,
        # The service's Lambda adapter parses the 2.0 event shape (rawPath, requestContext.http).
        payload_format_version="2.0",
        # Just under API Gateway's 30 s hard limit; every other time limit derives from it.
        timeout_milliseconds=cfg.time_limits.integration_timeout_s * 1000,
    )
    routes = [
        aws.apigatewayv2.Route(
            f"route-{_slug(route_key)}",
            api_id=api.id,
            route_key=route_key,
            target=integration.id.apply(lambda integration_id: f"integrations/{integration_id}"),
        )
        for route_key in ROUTES
    ]
    access_logs = aws.cloudwatch.LogGroup(
        "api-access-logs",
        name=f"/aws/apigateway/{cfg.name}",
        retention_in_days=cfg.log_retention_days,
        tags=cfg.tags,
    )
    stage = aws.apigatewayv2.Stage(
        "default-stage",
        api_id=api.id,
        name=STAGE,
        auto_deploy=True,
        # A ceiling on what a runaway client can cost us (Lambda and Bedrock bill per request).
        default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
            throttling_rate_limit=cfg.api_throttle_rate,
            throttling_burst_limit=cfg.api_throttle_burst,
        ),
        access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(
            destination_arn=access_logs.arn, format=ACCESS_LOG_FORMAT
        ),
        tags=cfg.tags,
        opts=pulumi.ResourceOptions(depends_on=routes),
    )
    aws.lambda_.Permission(
        "api-invoke",
        action="lambda:InvokeFunction",
        function=function.name,
        principal="apigateway.amazonaws.com",
        # Only this API (any stage, any route) may invoke the function.
        source_arn=api.execution_arn.apply(lambda arn: f"{arn}/*/*"),
    )
    return HttpApi(api=api, stage=stage, routes=routes)


def _slug(route_key: str) -> str:
    method, path = route_key.split(" ", 1)
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in path).strip("-") or "root"
    return f"{method.lower()}-{cleaned}"
