"""A user pool for tests: moto's cognito-idp issues real RS256 tokens, and a local HTTP server
on 127.0.0.1 serves the pool's JWKS document, so the service fetches keys the way it does from
Cognito (``GET <issuer>/.well-known/jwks.json``) without reaching the internet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from .document_server import DocumentServer

REGION = "eu-west-1"
PASSWORD = "Correct-Horse-42"


class JwksServer(DocumentServer):
    """Serves one JWKS document at any path ending in /.well-known/jwks.json; counts requests."""

    def __init__(self, document: dict[str, Any]) -> None:
        super().__init__()
        self.document = document
        self.requests = 0

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        self.requests += 1
        found = path.endswith("/.well-known/jwks.json")
        body = json.dumps(self.document if found else {"message": "no"}).encode()
        return 200 if found else 404, {"content-type": "application/json"}, body

    @property
    def url(self) -> str:
        return self.origin


@dataclass
class UserPool:
    """A moto user pool with one public app client; ``token(email)`` signs a user in."""

    client: Any
    pool_id: str
    client_id: str
    jwks: JwksServer

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{REGION}.amazonaws.com/{self.pool_id}"

    @property
    def jwks_url(self) -> str:
        return f"{self.jwks.url}/{self.pool_id}/.well-known/jwks.json"

    def token(self, email: str) -> str:
        """An access token for ``email`` (created on first use), as the hosted UI would hand out."""
        try:
            self.client.admin_create_user(
                UserPoolId=self.pool_id, Username=email, MessageAction="SUPPRESS"
            )
            self.client.admin_set_user_password(
                UserPoolId=self.pool_id, Username=email, Password=PASSWORD, Permanent=True
            )
        except self.client.exceptions.UsernameExistsException:
            pass
        result = self.client.admin_initiate_auth(
            UserPoolId=self.pool_id,
            ClientId=self.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
        )
        return result["AuthenticationResult"]["AccessToken"]

    def sub(self, email: str) -> str:
        user = self.client.admin_get_user(UserPoolId=self.pool_id, Username=email)
        return next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")


@pytest.fixture
def user_pool(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[UserPool]:
    from moto import mock_aws
    from moto.utilities.utils import load_resource

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws(), JwksServer(load_resource("cognitoidp/resources/jwks-public.json")) as jwks:
        client = boto3.client("cognito-idp", region_name=REGION)
        pool_id = client.create_user_pool(PoolName="aidj-test-users")["UserPool"]["Id"]
        client_id = client.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="aidj-test-web",
            GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        yield UserPool(client=client, pool_id=pool_id, client_id=client_id, jwks=jwks)
