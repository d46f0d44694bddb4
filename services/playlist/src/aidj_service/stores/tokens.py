"""Spotify refresh tokens for scheduled playlists, kept encrypted and never logged.

A scheduled playlist that was saved to Spotify follows its new versions there while the user
is away; that needs the refresh token the PKCE sign-in returned. It is stored per (user,
playlist), sealed before it touches storage:

- deployed: AWS KMS (``kms:Encrypt``/``kms:Decrypt`` on the stack's own key, with the user and
  playlist as encryption context, so a sealed token cannot be replayed for another playlist),
  stored in the history table under ``user_id = "tok#<user>"``, ``sk = <playlist id>``;
- locally: one file encrypted as a whole with Fernet (AES-128-CBC + HMAC) under a key from the
  environment (``AIDJ_TOKEN_KEY``); without that key the server refuses to keep tokens rather
  than write them in the clear.

Tokens are deleted when the schedule is deleted, when the user signs out, and when Spotify
says they were revoked.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from botocore.exceptions import BotoCoreError, ClientError

from aidj_service.stores.history import unavailable_on

TOKEN_PREFIX = "tok#"


class TokenVaultUnavailable(RuntimeError):
    """This server cannot keep tokens (no key configured); the message says how to enable it."""


class TokenVault(Protocol):
    def put(self, user_id: str, playlist_id: str, refresh_token: str) -> None: ...

    def get(self, user_id: str, playlist_id: str) -> str | None: ...

    def delete(self, user_id: str, playlist_id: str) -> None: ...

    def delete_user(self, user_id: str) -> int:
        """Forget every token of a user (sign-out); how many there were."""
        ...


class DynamoDBItems(Protocol):
    """The DynamoDB client calls a KMS vault makes (boto3's client has them)."""

    def put_item(self, **request: Any) -> dict[str, Any]: ...

    def get_item(self, **request: Any) -> dict[str, Any]: ...

    def delete_item(self, **request: Any) -> dict[str, Any]: ...

    def query(self, **request: Any) -> dict[str, Any]: ...


class KmsSealing(Protocol):
    """The KMS client calls that seal and unseal a token."""

    def encrypt(self, **request: Any) -> dict[str, Any]: ...

    def decrypt(self, **request: Any) -> dict[str, Any]: ...


@runtime_checkable
class TableStore(Protocol):
    """A history store kept in a DynamoDB table: sealed tokens live in the same table."""

    table_name: str
    client: DynamoDBItems


class FileTokenVault:
    """All tokens in one Fernet-encrypted JSON file: ``{user: {playlist: token}}``."""

    def __init__(self, path: str | Path, key: str) -> None:
        try:
            from cryptography.fernet import Fernet
        except ImportError:
            raise TokenVaultUnavailable(
                "keeping Spotify sign-ins needs the 'cryptography' package: install aidj-service[tokens]"
            ) from None
        try:
            self._fernet = Fernet(key.encode())
        except (ValueError, TypeError):
            raise TokenVaultUnavailable(
                "AIDJ_TOKEN_KEY is not a Fernet key: create one with "
                "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
            ) from None
        self.path = Path(path)
        self._lock = threading.Lock()

    def _read(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        return json.loads(self._fernet.decrypt(self.path.read_bytes()))

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(self._fernet.encrypt(json.dumps(data, sort_keys=True).encode()))
        os.replace(tmp, self.path)

    def put(self, user_id: str, playlist_id: str, refresh_token: str) -> None:
        with self._lock:
            data = self._read()
            data.setdefault(user_id, {})[playlist_id] = refresh_token
            self._write(data)

    def get(self, user_id: str, playlist_id: str) -> str | None:
        with self._lock:
            return self._read().get(user_id, {}).get(playlist_id)

    def delete(self, user_id: str, playlist_id: str) -> None:
        with self._lock:
            data = self._read()
            if data.get(user_id, {}).pop(playlist_id, None) is not None:
                if not data[user_id]:
                    del data[user_id]
                self._write(data)

    def delete_user(self, user_id: str) -> int:
        with self._lock:
            data = self._read()
            gone = data.pop(user_id, {})
            if gone:
                self._write(data)
            return len(gone)


# It lives in the history table: KMS or DynamoDB not answering is the history being unavailable.
@unavailable_on(BotoCoreError, ClientError, methods=("put", "get", "delete", "delete_user"))
class KmsTokenVault:
    """Tokens sealed by KMS, stored in the history table."""

    name = "dynamodb (sealed tokens)"

    def __init__(
        self, table_name: str, key_id: str, *, dynamodb: DynamoDBItems, kms: KmsSealing
    ) -> None:
        self.table_name = table_name
        self.key_id = key_id
        self.dynamodb = dynamodb
        self.kms = kms

    @staticmethod
    def _context(user_id: str, playlist_id: str) -> dict[str, str]:
        return {"aidj:user": user_id, "aidj:playlist": playlist_id}

    def _key(self, user_id: str, playlist_id: str) -> dict[str, Any]:
        return {"user_id": {"S": TOKEN_PREFIX + user_id}, "sk": {"S": playlist_id}}

    def put(self, user_id: str, playlist_id: str, refresh_token: str) -> None:
        sealed = self.kms.encrypt(
            KeyId=self.key_id,
            Plaintext=refresh_token.encode(),
            EncryptionContext=self._context(user_id, playlist_id),
        )["CiphertextBlob"]
        self.dynamodb.put_item(
            TableName=self.table_name,
            Item={**self._key(user_id, playlist_id), "sealed": {"B": sealed}},
        )

    def get(self, user_id: str, playlist_id: str) -> str | None:
        item = self.dynamodb.get_item(
            TableName=self.table_name, Key=self._key(user_id, playlist_id), ConsistentRead=True
        ).get("Item")
        if not item:
            return None
        try:
            plain = self.kms.decrypt(
                CiphertextBlob=item["sealed"]["B"],
                KeyId=self.key_id,
                EncryptionContext=self._context(user_id, playlist_id),
            )["Plaintext"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "InvalidCiphertextException":
                return None  # sealed for another user or playlist: not this one's token
            raise
        return plain.decode()

    def delete(self, user_id: str, playlist_id: str) -> None:
        self.dynamodb.delete_item(TableName=self.table_name, Key=self._key(user_id, playlist_id))

    def delete_user(self, user_id: str) -> int:
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "user_id = :u",
            "ExpressionAttributeValues": {":u": {"S": TOKEN_PREFIX + user_id}},
            "ProjectionExpression": "user_id, sk",
        }
        count = 0
        while True:
            answer = self.dynamodb.query(**query)
            for item in answer.get("Items") or []:
                self.dynamodb.delete_item(
                    TableName=self.table_name, Key={"user_id": item["user_id"], "sk": item["sk"]}
                )
                count += 1
            if not answer.get("LastEvaluatedKey"):
                return count
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
