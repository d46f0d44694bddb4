"""History in DynamoDB, in exactly the layout the infrastructure provisions.

- partition key ``user_id`` (S), sort key ``sk`` (S) = ``<created_at>#<playlist_id>``: a user's
  playlists newest first with one Query, one item per playlist (items never grow);
- GSI ``by_playlist_id`` (partition key ``playlist_id``, projection ALL) for share links;
- idempotency records in the same table under ``user_id = "idem#<user>"``, ``sk = <key>``, expired
  by the ``expires_at`` TTL attribute. They carry ``result_playlist_id`` rather than
  ``playlist_id`` so they stay out of the sparse GSI.
- archived versions under ``user_id = "ver#<playlist id>"``, ``sk = "v#<version, 8 digits>"``,
  the version's data in ``snapshot`` (no ``playlist_id``: out of the GSI);
- GSI ``by_due`` (``due_shard`` = "due", ``next_due``), set only on scheduled playlists: the
  refresh queries it rather than scanning the table.

A new version is two writes: the archive of the replaced version (idempotent: a version's data
never changes), then the record itself, conditional on its ``rev`` (optimistic concurrency, no
transaction, so it runs on every DynamoDB implementation the tests use).

A low-level client (thread-safe, unlike boto3 resources) with the type (de)serialisers; floats
become Decimals on the way in and plain ints/floats on the way out.
"""

from __future__ import annotations

import math
import time
from decimal import Decimal
from typing import Any, Protocol, cast

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from aidj_service.stores.history import (
    SUMMARY_FIELDS,
    IdempotencyRecord,
    PlaylistRecord,
    StaleWrite,
    decode_cursor,
    encode_cursor,
    next_due_of,
    unavailable_on,
)

PLAYLIST_INDEX = "by_playlist_id"
DUE_INDEX = "by_due"
DUE_SHARD = "due"
IDEM_PREFIX = "idem#"
VERSION_PREFIX = "ver#"
_KEY_FIELDS = ("user_id", "sk", "playlist_id", "created_at", "due_shard", "next_due")

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class DynamoDBClient(Protocol):
    """The DynamoDB calls the store makes (boto3's ``dynamodb`` client has them)."""

    def put_item(self, **request: Any) -> dict[str, Any]: ...

    def get_item(self, **request: Any) -> dict[str, Any]: ...

    def update_item(self, **request: Any) -> dict[str, Any]: ...

    def delete_item(self, **request: Any) -> dict[str, Any]: ...

    def query(self, **request: Any) -> dict[str, Any]: ...


# Throttling that outlasts boto3's retries, an unreachable endpoint, a missing table or a refused
# call: the conditional failures each method expects are handled inside it, before this applies.
@unavailable_on(BotoCoreError, ClientError)
class DynamoDBHistoryStore:
    name = "dynamodb"

    def __init__(
        self,
        table_name: str,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        client: DynamoDBClient | None = None,
    ) -> None:
        self.table_name = table_name
        if client is None:
            import boto3

            boto_client = boto3.client(
                "dynamodb",
                region_name=region or "us-east-1",
                endpoint_url=endpoint_url,
                config=Config(
                    connect_timeout=2,
                    read_timeout=5,
                    retries={"max_attempts": 4, "mode": "standard"},
                ),
            )
            client = cast(DynamoDBClient, boto_client)  # boto3 builds its calls at run time
        self.client = client

    def close(self) -> None:
        pass

    # ------------------------------------------------------------ playlists

    def put(self, record: PlaylistRecord) -> None:
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=_serialize(_item(record)),
                # a fresh UUID never collides; if it ever did, keep the first playlist rather than overwrite
                ConditionExpression="attribute_not_exists(user_id)",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            # boto3 retried a put whose first answer was lost: the item there is ours, the write is done
            existing = self.client.get_item(
                TableName=self.table_name,
                Key={"user_id": {"S": record.user_id}, "sk": {"S": record.sk}},
                ConsistentRead=True,
                ProjectionExpression="playlist_id",
            ).get("Item")
            if not existing or existing.get("playlist_id", {}).get("S") != record.playlist_id:
                raise

    def save(
        self, record: PlaylistRecord, *, expected_rev: int, archive: dict[str, Any] | None = None
    ) -> None:
        if archive is not None:
            self.client.put_item(
                TableName=self.table_name,
                Item=_serialize(
                    {
                        "user_id": VERSION_PREFIX + record.playlist_id,
                        "sk": f"v#{int(archive['version']):08d}",
                        "snapshot": archive,
                    }
                ),
            )
        condition = "attribute_exists(user_id) AND #rev = :rev"
        if expected_rev == 0:
            condition = "attribute_exists(user_id) AND (attribute_not_exists(#rev) OR #rev = :rev)"
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=_serialize(_item(record)),
                ConditionExpression=condition,
                ExpressionAttributeNames={"#rev": "rev"},
                ExpressionAttributeValues={":rev": {"N": str(expected_rev)}},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            # a retried write whose first answer was lost finds its own record there: done
            answer = self.client.get_item(
                TableName=self.table_name,
                Key={"user_id": {"S": record.user_id}, "sk": {"S": record.sk}},
                ConsistentRead=True,
            ).get("Item")
            current = _record(_deserialize(answer)) if answer is not None else None
            if current is None or current.data != from_dynamo(to_dynamo(record.data)):
                raise StaleWrite(
                    f"playlist {record.playlist_id} changed since revision {expected_rev}", current
                ) from None

    def get_version(self, playlist_id: str, version: int) -> dict[str, Any] | None:
        answer = self.client.get_item(
            TableName=self.table_name,
            Key={
                "user_id": {"S": VERSION_PREFIX + playlist_id},
                "sk": {"S": f"v#{int(version):08d}"},
            },
        ).get("Item")
        return _deserialize(answer)["snapshot"] if answer else None

    def recent(self, user_id: str, limit: int) -> list[PlaylistRecord]:
        if limit <= 0:
            return []
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "user_id = :u",
            "ExpressionAttributeValues": {":u": {"S": user_id}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        return [_record(item) for item in self._query_up_to(query, limit)]

    def due(self, now: str, limit: int = 100) -> list[PlaylistRecord]:
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": DUE_INDEX,
            "KeyConditionExpression": "due_shard = :d AND next_due <= :now",
            "ExpressionAttributeValues": {":d": {"S": DUE_SHARD}, ":now": {"S": now}},
            "Limit": limit,
        }
        return [_record(item) for item in self._query_up_to(query, limit)]

    def _query_up_to(self, query: dict[str, Any], limit: int) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while len(items) < limit:
            answer = self.client.query(**query)
            items.extend(_deserialize(item) for item in answer.get("Items") or [])
            last = answer.get("LastEvaluatedKey")
            if not last:
                break
            query["ExclusiveStartKey"] = last
        return items[:limit]

    def get(self, playlist_id: str) -> PlaylistRecord | None:
        answer = self.client.query(
            TableName=self.table_name,
            IndexName=PLAYLIST_INDEX,
            KeyConditionExpression="playlist_id = :p",
            ExpressionAttributeValues={":p": {"S": playlist_id}},
            Limit=1,
        )
        items = answer.get("Items") or []
        return _record(_deserialize(items[0])) if items else None

    def list(
        self, user_id: str, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[PlaylistRecord], str | None]:
        limit = max(1, int(limit))
        names = {
            f"#f{i}": name
            for i, name in enumerate(
                ("user_id", "sk", "playlist_id", "created_at", *SUMMARY_FIELDS)
            )
        }
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "#f0 = :u",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {":u": {"S": user_id}},
            "ProjectionExpression": ", ".join(names),
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        if cursor:
            query["ExclusiveStartKey"] = {
                "user_id": {"S": user_id},
                "sk": {"S": decode_cursor(cursor)},
            }
        items: list[dict[str, Any]] = []
        # Limit bounds items read per call, and a 1 MB page may hold fewer: keep reading until full.
        while len(items) < limit + 1:
            answer = self.client.query(**query)
            items.extend(answer.get("Items") or [])
            last = answer.get("LastEvaluatedKey")
            if not last:
                break
            query["ExclusiveStartKey"] = last
        records = [_record(_deserialize(item)) for item in items[:limit]]
        return records, (encode_cursor(records[-1].sk) if len(items) > limit else None)

    # ------------------------------------------------------------ idempotency

    def claim(
        self, user_id: str, key: str, fingerprint: str, ttl_s: int
    ) -> IdempotencyRecord | None:
        idem_user = IDEM_PREFIX + user_id
        for _ in range(3):
            now = int(time.time())
            try:
                self.client.put_item(
                    TableName=self.table_name,
                    Item=_serialize(
                        {
                            "user_id": idem_user,
                            "sk": key,
                            "state": "pending",
                            "fingerprint": fingerprint,
                            "expires_at": now + ttl_s,
                        }
                    ),
                    # TTL deletes lazily (within days): an expired record still present counts as gone
                    ConditionExpression="attribute_not_exists(user_id) OR expires_at < :now",
                    ExpressionAttributeValues={":now": {"N": str(now)}},
                )
                return None
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
            answer = self.client.get_item(
                TableName=self.table_name,
                Key={"user_id": {"S": idem_user}, "sk": {"S": key}},
                ConsistentRead=True,
            )
            if "Item" in answer:
                item = _deserialize(answer["Item"])
                return IdempotencyRecord(
                    state=item.get("state", "pending"),
                    fingerprint=item.get("fingerprint", ""),
                    playlist_id=item.get("result_playlist_id"),
                    response_status=item.get("response_status"),
                    response_error=item.get("response_error"),
                )
            # released between our put and our read: try to claim again
        raise RuntimeError("idempotency key kept changing hands; retry the request")

    def finish(
        self,
        user_id: str,
        key: str,
        *,
        playlist_id: str | None,
        response_status: int,
        response_error: dict[str, Any] | None = None,
    ) -> None:
        values: dict[str, Any] = {":done": "done", ":status": response_status}
        sets = ["#state = :done", "response_status = :status"]
        if playlist_id is not None:
            sets.append("result_playlist_id = :pid")
            values[":pid"] = playlist_id
        if response_error is not None:
            sets.append("response_error = :err")
            values[":err"] = response_error
        self.client.update_item(
            TableName=self.table_name,
            Key={"user_id": {"S": IDEM_PREFIX + user_id}, "sk": {"S": key}},
            UpdateExpression="SET " + ", ".join(sets),
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues=_serialize(values),
        )

    def release(self, user_id: str, key: str) -> None:
        try:
            self.client.delete_item(
                TableName=self.table_name,
                Key={"user_id": {"S": IDEM_PREFIX + user_id}, "sk": {"S": key}},
                ConditionExpression="#state = :pending",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":pending": {"S": "pending"}},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise


# ---------------------------------------------------------------- conversions


def to_dynamo(value: Any) -> Any:
    """JSON-like data as DynamoDB accepts it: floats as Decimal, non-finite floats as null."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int, Decimal)):
        return value
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): to_dynamo(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_dynamo(v) for v in value]
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB")


def _whole_exponent(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= 0  # 'n', 'N', 'F': NaN and infinity


def from_dynamo(value: Any) -> Any:
    """Back to plain JSON types: whole Decimals to int, others to float."""
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and _whole_exponent(value)
            else float(value)
        )
    if isinstance(value, dict):
        return {k: from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_dynamo(v) for v in value]
    return value


def _serialize(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(to_dynamo(v)) for k, v in data.items()}


def _deserialize(item: dict[str, Any]) -> dict[str, Any]:
    return {k: from_dynamo(_deserializer.deserialize(v)) for k, v in item.items()}


def _item(record: PlaylistRecord) -> dict[str, Any]:
    item = {k: v for k, v in record.data.items() if k not in _KEY_FIELDS}
    item.update(
        user_id=record.user_id,
        sk=record.sk,
        playlist_id=record.playlist_id,
        created_at=record.created_at,
    )
    due = next_due_of(record.data)
    if due is not None:
        item.update(due_shard=DUE_SHARD, next_due=due)
    return item


def _record(item: dict[str, Any]) -> PlaylistRecord:
    data = {k: v for k, v in item.items() if k not in _KEY_FIELDS}
    return PlaylistRecord(
        playlist_id=item["playlist_id"],
        user_id=item["user_id"],
        created_at=item["created_at"],
        data=data,
    )
