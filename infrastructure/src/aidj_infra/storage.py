"""Stateful resources: the history table and the bucket that holds deployment zips."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from .config import StackConfig
from .package import BuildResult
from .regions import replication

# The service's DynamoDB store is written against exactly this layout (one item per stored
# playlist under its owner, plus a GSI to fetch a playlist by id for share links).
PARTITION_KEY = "user_id"
SORT_KEY = "sk"
PLAYLIST_INDEX = "by_playlist_id"
PLAYLIST_INDEX_KEY = "playlist_id"
TTL_ATTRIBUTE = "expires_at"
# Scheduled playlists carry a constant shard and their next due time: the refresh finds the due
# ones with one Query (shard = "due", next_due <= now) instead of a table scan. Sparse: only
# scheduled playlists have these attributes.
DUE_INDEX = "by_due"
DUE_SHARD_KEY = "due_shard"
DUE_SORT_KEY = "next_due"


def table_key_schema() -> dict:
    """The table layout as boto3 ``create_table`` arguments (shared with the moto smoke test)."""
    return {
        "AttributeDefinitions": [
            {"AttributeName": PARTITION_KEY, "AttributeType": "S"},
            {"AttributeName": SORT_KEY, "AttributeType": "S"},
            {"AttributeName": PLAYLIST_INDEX_KEY, "AttributeType": "S"},
            {"AttributeName": DUE_SHARD_KEY, "AttributeType": "S"},
            {"AttributeName": DUE_SORT_KEY, "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": PLAYLIST_INDEX,
                "KeySchema": [{"AttributeName": PLAYLIST_INDEX_KEY, "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": DUE_INDEX,
                "KeySchema": [
                    {"AttributeName": DUE_SHARD_KEY, "KeyType": "HASH"},
                    {"AttributeName": DUE_SORT_KEY, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def history_table(cfg: StackConfig) -> aws.dynamodb.Table:
    return aws.dynamodb.Table(
        "history",
        # On-demand: traffic is spiky and small; provisioned capacity would either throttle or idle.
        billing_mode="PAY_PER_REQUEST",
        hash_key=PARTITION_KEY,
        range_key=SORT_KEY,
        attributes=[
            aws.dynamodb.TableAttributeArgs(name=PARTITION_KEY, type="S"),
            aws.dynamodb.TableAttributeArgs(name=SORT_KEY, type="S"),
            aws.dynamodb.TableAttributeArgs(name=PLAYLIST_INDEX_KEY, type="S"),
            aws.dynamodb.TableAttributeArgs(name=DUE_SHARD_KEY, type="S"),
            aws.dynamodb.TableAttributeArgs(name=DUE_SORT_KEY, type="S"),
        ],
        global_secondary_indexes=[
            aws.dynamodb.TableGlobalSecondaryIndexArgs(
                name=PLAYLIST_INDEX,
                key_schemas=[
                    aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                        attribute_name=PLAYLIST_INDEX_KEY, key_type="HASH"
                    )
                ],
                projection_type="ALL",
            ),
            aws.dynamodb.TableGlobalSecondaryIndexArgs(
                name=DUE_INDEX,
                key_schemas=[
                    aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                        attribute_name=DUE_SHARD_KEY, key_type="HASH"
                    ),
                    aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                        attribute_name=DUE_SORT_KEY, key_type="RANGE"
                    ),
                ],
                projection_type="ALL",
            ),
        ],
        # Expired items are deleted by DynamoDB for free, so history cannot grow without bound.
        ttl=aws.dynamodb.TableTtlArgs(attribute_name=TTL_ATTRIBUTE, enabled=True),
        # Users' history is the only state we keep: recoverable to any second of the last 35 days.
        point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
        # KMS-backed encryption at rest (AWS managed key, no key policy for us to get wrong).
        server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True),
        deletion_protection_enabled=cfg.deletion_protection,
        tags=cfg.tags,
        # Other regions' replicas (a global table), when aidj:regions lists more than one.
        **replication(cfg),
    )


def private_bucket(cfg: StackConfig, stem: str) -> aws.s3.Bucket:
    """A bucket in this placement's region that no ACL or policy can make public.

    Named ``stem`` (its access block ``stem-private``), so each bucket keeps its resource names.
    """
    at = cfg.placement
    bucket = aws.s3.Bucket(
        at.name(stem),
        # Only build outputs and copies of the catalog live in these buckets; destroying a dev
        # stack should not need a manual emptying.
        force_destroy=not cfg.deletion_protection,
        tags=cfg.tags,
        region=at.region,
    )
    aws.s3.BucketPublicAccessBlock(
        at.name(f"{stem}-private"),
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        region=at.region,
    )
    return bucket


def artifact_bucket(cfg: StackConfig) -> aws.s3.Bucket:
    return private_bucket(cfg, "artifacts")


def upload_zip(
    cfg: StackConfig, bucket: aws.s3.Bucket, build: BuildResult
) -> aws.s3.BucketObjectv2:
    """Upload the zip under a content-addressed key.

    The zip (~47 MiB) would also fit a direct upload, but through S3 the upload is a resource
    Pulumi diffs by content, and a large catalog can push the zip past 50 MB without breaking
    deploys (250 MB unzipped stays the limit).
    """
    return aws.s3.BucketObjectv2(
        cfg.placement.name("lambda-zip"),
        bucket=bucket.id,
        # A new key per content hash makes the function update exactly when the code changes.
        key=f"lambda/{build.sha256}.zip",
        source=pulumi.FileAsset(str(build.path)),
        content_type="application/zip",
        server_side_encryption="AES256",
        tags=cfg.tags,
        region=cfg.placement.region,
    )
