"""Sign-in with Cognito (aidj:auth: cognito): the pool, the page's client, the JWT authorizer."""

from __future__ import annotations

import json

import pytest

from aidj_infra.config import ConfigError, StackConfig

from .conftest import ACCOUNT_ID, REGION, deploy
from .test_stack import function_env

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws")

POOL = "aws:cognito/userPool:UserPool"
CLIENT = "aws:cognito/userPoolClient:UserPoolClient"
DOMAIN = "aws:cognito/userPoolDomain:UserPoolDomain"
AUTHORIZER = "aws:apigatewayv2/authorizer:Authorizer"
ROUTE = "aws:apigatewayv2/route:Route"
SIGN_IN_VARIABLES = {
    "AIDJ_AUTH",
    "AIDJ_COGNITO_ISSUER",
    "AIDJ_COGNITO_CLIENT_ID",
    "AIDJ_COGNITO_DOMAIN",
    "AIDJ_ANONYMOUS",
}


def signed_in(**overrides) -> StackConfig:
    settings = dict(
        stack="test",
        region=REGION,
        cors_origins=("https://dj.example.com", "http://localhost:8000", "http://127.0.0.1:8000"),
        auth="cognito",
    )
    return StackConfig(**{**settings, **overrides})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cognito(tiny_zip):
    return deploy(signed_in, tiny_zip)


@pytest.fixture(scope="module")
def members_only(tiny_zip):
    return deploy(lambda: signed_in(anonymous=False), tiny_zip)


def guarded(deployed) -> dict[str, bool]:
    """Route key -> whether the gateway demands a token on it."""
    return {
        r.inputs["routeKey"]: r.inputs.get("authorizationType") == "JWT"
        for r in deployed.of_type(ROUTE)
    }


def test_the_default_stack_declares_no_sign_in_at_all(deployed):
    for kind in (POOL, CLIENT, DOMAIN, AUTHORIZER):
        assert deployed.of_type(kind) == []
    assert not any(guarded(deployed).values())
    assert not SIGN_IN_VARIABLES & set(function_env(deployed))
    assert "user_pool_id" not in deployed.outputs


def test_a_user_pool_signs_users_in_by_verified_email(cognito):
    pool = cognito.one(POOL, "users").inputs
    assert pool["usernameAttributes"] == ["email"]
    assert pool["autoVerifiedAttributes"] == ["email"]
    assert pool["passwordPolicy"]["minimumLength"] >= 12
    assert pool["deletionProtection"] == "INACTIVE"
    assert pool["userPoolTier"] == "LITE"


def test_the_pool_refuses_deletion_where_the_stack_is_protected(tiny_zip):
    protected = deploy(lambda: signed_in(deletion_protection=True), tiny_zip)
    assert protected.one(POOL).inputs["deletionProtection"] == "ACTIVE"


def test_the_page_client_is_public_and_uses_the_authorization_code_flow(cognito):
    client = cognito.one(CLIENT, "web-client").inputs
    assert client["generateSecret"] is False  # PKCE proves the page, no secret to leak
    assert client["allowedOauthFlows"] == ["code"]
    assert client["allowedOauthFlowsUserPoolClient"] is True
    assert client["supportedIdentityProviders"] == ["COGNITO"]
    assert client["explicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    assert client["userPoolId"] == "users-id"


def test_callbacks_are_the_page_at_each_origin_cognito_accepts(cognito):
    client = cognito.one(CLIENT).inputs
    # http://127.0.0.1 is not a callback Cognito takes (https, or http://localhost only)
    assert client["callbackUrls"] == ["https://dj.example.com/", "http://localhost:8000/"]
    assert client["logoutUrls"] == client["callbackUrls"]


def test_the_hosted_ui_domain_is_named_after_the_stack_unless_configured(cognito, tiny_zip):
    assert cognito.one(DOMAIN).inputs == {"domain": "aidj-test", "userPoolId": "users-id"}
    custom = deploy(lambda: signed_in(auth_domain_prefix="dj-login"), tiny_zip)
    assert custom.one(DOMAIN).inputs["domain"] == "dj-login"


def test_the_authorizer_checks_the_pools_access_tokens_for_the_page_client(cognito):
    authorizer = cognito.one(AUTHORIZER).inputs
    assert authorizer["authorizerType"] == "JWT"
    assert authorizer["identitySources"] == ["$request.header.Authorization"]
    assert authorizer["jwtConfiguration"] == {
        "audiences": ["web-client-id"],
        "issuer": f"https://cognito-idp.{REGION}.amazonaws.com/users-id",
    }
    assert authorizer["apiId"] == "http-api-id"


def test_every_state_changing_route_and_the_own_history_need_a_token(cognito):
    routes = guarded(cognito)
    for key, needs_token in routes.items():
        method = key.split(" ", 1)[0]
        if key == "POST /playlist":
            continue
        assert needs_token == (
            method in {"POST", "PUT", "PATCH", "DELETE"}
            or key in {"GET /playlists", "GET /me/taste"}
        ), key
    authorizers = {
        r.inputs["authorizerId"] for r in cognito.of_type(ROUTE) if "authorizerId" in r.inputs
    }
    assert authorizers == {"cognito-authorizer-id"}


def test_share_links_the_page_and_health_stay_open(cognito):
    routes = guarded(cognito)
    for key in ("GET /playlists/{id}", "GET /", "GET /health", "GET /config", "GET /openapi.json"):
        assert routes[key] is False, key


def test_anonymous_creation_stays_open_at_the_gateway_by_default(cognito):
    assert guarded(cognito)["POST /playlist"] is False
    assert function_env(cognito)["AIDJ_ANONYMOUS"] == "true"


def test_turning_anonymous_off_guards_creation_too(members_only):
    assert guarded(members_only)["POST /playlist"] is True
    assert function_env(members_only)["AIDJ_ANONYMOUS"] == "false"


def test_the_function_learns_the_issuer_client_and_hosted_ui(cognito):
    env = function_env(cognito)
    assert env["AIDJ_AUTH"] == "cognito"
    assert env["AIDJ_COGNITO_ISSUER"] == f"https://cognito-idp.{REGION}.amazonaws.com/users-id"
    assert env["AIDJ_COGNITO_CLIENT_ID"] == "web-client-id"
    assert env["AIDJ_COGNITO_DOMAIN"] == f"https://aidj-test.auth.{REGION}.amazoncognito.com"


def test_the_outputs_name_the_pool_client_and_sign_in_domain(cognito):
    assert cognito.outputs["user_pool_id"] == "users-id"
    assert cognito.outputs["user_pool_client_id"] == "web-client-id"
    assert cognito.outputs["sign_in_domain"] == f"https://aidj-test.auth.{REGION}.amazoncognito.com"


def test_sign_in_adds_no_permission_to_the_function(cognito, deployed):
    # Tokens are checked against the pool's public keys: the role needs nothing from Cognito.
    assert json.dumps(cognito.policy()).count("cognito") == 0
    assert [s["Sid"] for s in cognito.policy()["Statement"]] == [
        s["Sid"] for s in deployed.policy()["Statement"]
    ]


def test_anonymous_off_without_sign_in_is_refused_naming_the_key():
    with pytest.raises(ConfigError, match="aidj:anonymous can be false only with aidj:auth"):
        StackConfig(stack="t", region=REGION, anonymous=False)


def test_an_unknown_sign_in_kind_is_refused():
    with pytest.raises(ConfigError, match="aidj:auth must be one of"):
        StackConfig(stack="t", region=REGION, auth="saml")


def test_sign_in_without_any_callback_origin_fails_before_any_resource(tiny_zip):
    only_plain_http = ("http://127.0.0.1:8000",)
    with pytest.raises(Exception, match="aidj:corsOrigins"):
        deploy(lambda: signed_in(cors_origins=only_plain_http), tiny_zip)


def test_sign_in_settings_load_from_stack_config():
    from .test_stack import load_with

    cfg = load_with(
        {
            "aidj:auth": "cognito",
            "aidj:anonymous": "false",
            "aidj:authDomainPrefix": "dj-login",
            "aidj:corsOrigins": "https://dj.example.com",
        }
    )
    assert (cfg.auth, cfg.anonymous, cfg.auth_domain_prefix) == ("cognito", False, "dj-login")
    assert load_with({}).auth == "none" and load_with({}).anonymous is True


def test_the_account_id_appears_nowhere_in_the_sign_in_resources(cognito):
    for kind in (POOL, CLIENT, DOMAIN):
        assert ACCOUNT_ID not in json.dumps(cognito.one(kind).inputs, default=str)
