"""Sign-in with Cognito (``aidj:auth: cognito``; off by default): who a caller is.

A user pool (email as the user name) with a hosted UI domain, and one public app client for
the web page: Authorization Code flow, no client secret (the page is public code, so it proves
itself with PKCE instead). Every API region gets a JWT authorizer that checks the pool's
access tokens (issuer, signature, expiry, ``client_id``) on every state-changing route and on a
user's own history before the function is invoked. The service takes the token's ``sub`` as the
user; Spotify stays the music account, linked to that user through the refresh-token vault.

With ``aidj:anonymous: true`` (the default) ``POST /playlist`` stays open at the gateway so
anonymous callers can still create; the service then verifies a token that does come with it
itself (it does so whenever no authorizer ran), and ``aidj:anonymous: false`` guards it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .config import ConfigError, StackConfig

# What the authorizer reads; the page sends "Authorization: Bearer <access token>".
IDENTITY_SOURCE = "$request.header.Authorization"
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
# Reads that are one user's own data: unguarded they could only answer "sign in first".
PERSONAL_READS = ("GET /playlists", "GET /me/taste")
CREATE_ROUTE = "POST /playlist"
OAUTH_SCOPES = ("openid", "email")
USER_POOL_TIER = "LITE"
ACCESS_TOKEN_MINUTES = 60
REFRESH_TOKEN_DAYS = 30
# Cognito accepts http:// callbacks only for localhost; everything else must be https.
LOCAL_CALLBACK = "http://localhost"


def needs_sign_in(route_key: str, *, anonymous: bool) -> bool:
    """Whether the gateway demands a valid token before the route reaches the function."""
    if route_key == CREATE_ROUTE:
        return not anonymous
    method = route_key.split(" ", 1)[0]
    return method in STATE_CHANGING or route_key in PERSONAL_READS


def callback_urls(cfg: StackConfig) -> list[str]:
    """Where the hosted UI may send the user back: the page at each configured origin."""
    urls = [
        f"{origin.rstrip('/')}/"
        for origin in cfg.cors_origins
        if origin.startswith("https://") or origin.startswith(LOCAL_CALLBACK)
    ]
    if not urls:
        raise ConfigError(
            "aidj:auth is cognito but no aidj:corsOrigins entry can be a sign-in callback "
            "(https://..., or http://localhost for testing); add the page's origin with "
            "`pulumi config set aidj:corsOrigins ...`"
        )
    return urls


def domain_prefix(cfg: StackConfig) -> str:
    """The hosted UI's prefix; unique per region across all of AWS, so it is configurable."""
    return cfg.auth_domain_prefix or cfg.name


@dataclass(frozen=True)
class SignIn:
    pool: aws.cognito.UserPool
    client: aws.cognito.UserPoolClient
    domain: aws.cognito.UserPoolDomain
    issuer: pulumi.Output[str]
    hosted_ui: str
    anonymous: bool

    def attach(
        self, cfg: StackConfig, api: aws.apigatewayv2.Api
    ) -> Callable[[str], dict[str, Any]]:
        """Declare the JWT authorizer on ``api`` (in its region); say what each route needs."""
        authorizer = aws.apigatewayv2.Authorizer(
            cfg.placement.name("cognito-authorizer"),
            api_id=api.id,
            name="cognito",
            authorizer_type="JWT",
            identity_sources=[IDENTITY_SOURCE],
            jwt_configuration=aws.apigatewayv2.AuthorizerJwtConfigurationArgs(
                # Access tokens carry client_id, which the authorizer matches against audiences.
                audiences=[self.client.id],
                issuer=self.issuer,
            ),
            region=cfg.placement.region,
        )

        def route_auth(route_key: str) -> dict[str, Any]:
            if not needs_sign_in(route_key, anonymous=self.anonymous):
                return {}
            return {"authorization_type": "JWT", "authorizer_id": authorizer.id}

        return route_auth

    def environment(self) -> dict[str, pulumi.Input[str]]:
        """What the service needs to verify tokens itself and to send the page to sign in."""
        return {
            "AIDJ_AUTH": "cognito",
            "AIDJ_COGNITO_ISSUER": self.issuer,
            "AIDJ_COGNITO_CLIENT_ID": self.client.id,
            "AIDJ_COGNITO_DOMAIN": self.hosted_ui,
            "AIDJ_ANONYMOUS": "true" if self.anonymous else "false",
        }


def sign_in(cfg: StackConfig) -> SignIn | None:
    """The user pool, its page client and hosted UI domain (home region); None unless configured."""
    if cfg.auth != "cognito":
        return None
    pool = aws.cognito.UserPool(
        "users",
        name=f"{cfg.name}-users",
        username_attributes=["email"],
        auto_verified_attributes=["email"],
        password_policy=aws.cognito.UserPoolPasswordPolicyArgs(
            minimum_length=12,
            require_lowercase=True,
            require_uppercase=True,
            require_numbers=True,
            require_symbols=False,
            temporary_password_validity_days=3,
        ),
        account_recovery_setting=aws.cognito.UserPoolAccountRecoverySettingArgs(
            recovery_mechanisms=[
                aws.cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs(
                    name="verified_email", priority=1
                )
            ]
        ),
        # Lite: the classic hosted UI, PKCE and JWTs are all the page needs, at the lowest price.
        user_pool_tier=USER_POOL_TIER,
        # Users are the one thing a redeploy cannot recreate: a protected stack keeps its pool
        # even when sign-in is turned off again (Pulumi forgets it instead of deleting it).
        deletion_protection="ACTIVE" if cfg.deletion_protection else "INACTIVE",
        tags=cfg.tags,
        opts=pulumi.ResourceOptions(retain_on_delete=cfg.deletion_protection),
    )
    callbacks = callback_urls(cfg)
    client = aws.cognito.UserPoolClient(
        "web-client",
        name=f"{cfg.name}-web",
        user_pool_id=pool.id,
        # Public client: the page's code is public, so a secret would not be one. PKCE instead.
        generate_secret=False,
        allowed_oauth_flows_user_pool_client=True,
        allowed_oauth_flows=["code"],
        allowed_oauth_scopes=list(OAUTH_SCOPES),
        supported_identity_providers=["COGNITO"],
        callback_urls=callbacks,
        logout_urls=callbacks,
        # Only the hosted UI signs in; the client may refresh, never take passwords itself.
        explicit_auth_flows=["ALLOW_REFRESH_TOKEN_AUTH"],
        prevent_user_existence_errors="ENABLED",
        enable_token_revocation=True,
        access_token_validity=ACCESS_TOKEN_MINUTES,
        id_token_validity=ACCESS_TOKEN_MINUTES,
        refresh_token_validity=REFRESH_TOKEN_DAYS,
        token_validity_units=aws.cognito.UserPoolClientTokenValidityUnitsArgs(
            access_token="minutes", id_token="minutes", refresh_token="days"
        ),
    )
    prefix = domain_prefix(cfg)
    domain = aws.cognito.UserPoolDomain("hosted-ui", domain=prefix, user_pool_id=pool.id)
    # Built from the pool id (not pool.endpoint) so every region's authorizer names the same issuer.
    issuer = pool.id.apply(
        lambda pool_id: f"https://cognito-idp.{cfg.region}.amazonaws.com/{pool_id}"
    )
    return SignIn(
        pool=pool,
        client=client,
        domain=domain,
        issuer=issuer,
        hosted_ui=f"https://{prefix}.auth.{cfg.region}.amazoncognito.com",
        anonymous=cfg.anonymous,
    )
