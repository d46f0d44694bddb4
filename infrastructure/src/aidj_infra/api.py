"""The public HTTP API (API Gateway v2) in front of the function."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

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
    "PUT /me/spotify",
    "POST /playlists/{id}/deliver",
    "POST /auth/google/token",
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
# x-spotify-token: with sign-in on, Authorization carries the sign-in and Spotify travels beside it
CORS_HEADERS = ("content-type", "authorization", "idempotency-key", "edit-key", "x-spotify-token")
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


def http_api(
    cfg: StackConfig, function: aws.lambda_.Function, guard: RouteGuard | None = None
) -> HttpApi:
    """The API; with a ``guard`` (sign-in), the routes it names need a valid token first."""
    at = cfg.placement
    api = aws.apigatewayv2.Api(
        at.name("http-api"),
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
        region=at.region,
    )
    integration = aws.apigatewayv2.Integration(
        at.name("playlist-integration"),
        api_id=api.id,
        integration_type="AWS_PROXY",
        integration_method="POST",
        integration_uri=function.invoke_arn,
        # The service's Lambda adapter parses the 2.0 event shape (rawPath, requestContext.http).
        payload_format_version="2.0",
        # Just under API Gateway's 30 s hard limit; every other time limit derives from it.
        timeout_milliseconds=cfg.time_limits.integration_timeout_s * 1000,
        region=at.region,
    )
    route_auth = guard.attach(cfg, api) if guard is not None else _open
    routes = [
        aws.apigatewayv2.Route(
            at.name(f"route-{_slug(route_key)}"),
            api_id=api.id,
            route_key=route_key,
            target=integration.id.apply(lambda integration_id: f"integrations/{integration_id}"),
            **route_auth(route_key),
            region=at.region,
        )
        for route_key in ROUTES
    ]
    access_logs = aws.cloudwatch.LogGroup(
        at.name("api-access-logs"),
        name=f"/aws/apigateway/{cfg.name}",
        retention_in_days=cfg.log_retention_days,
        tags=cfg.tags,
        region=at.region,
    )
    stage = aws.apigatewayv2.Stage(
        at.name("default-stage"),
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
        region=at.region,
    )
    aws.lambda_.Permission(
        at.name("api-invoke"),
        action="lambda:InvokeFunction",
        function=function.name,
        principal="apigateway.amazonaws.com",
        # Only this API (any stage, any route) may invoke the function.
        source_arn=api.execution_arn.apply(lambda arn: f"{arn}/*/*"),
        region=at.region,
    )
    return HttpApi(api=api, stage=stage, routes=routes)


class RouteGuard(Protocol):
    """Sign-in for the API (aidj_infra.cognito): declares its authorizer on ``api`` and says,
    per route key, what the route needs (``authorization_type``/``authorizer_id``, or nothing)."""

    def attach(
        self, cfg: StackConfig, api: aws.apigatewayv2.Api
    ) -> Callable[[str], dict[str, Any]]: ...


def _open(route_key: str) -> dict[str, Any]:
    return {}


def _slug(route_key: str) -> str:
    method, path = route_key.split(" ", 1)
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in path).strip("-") or "root"
    return f"{method.lower()}-{cleaned}"
