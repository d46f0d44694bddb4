"""The catalog travels as its own artifact: a private bucket, one object by digest, read-only."""

from __future__ import annotations

import pytest

from aidj.catalog_artifact import read_manifest
from aidj_infra.catalog_store import (
    EPHEMERAL_MAX_MB,
    EPHEMERAL_MIN_MB,
    ephemeral_storage_mb,
)
from aidj_infra.config import ConfigError

from .conftest import tiny_catalog

OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
FUNCTION = "aws:lambda/function:Function"


def catalog_key() -> str:
    return f"catalogs/{read_manifest(tiny_catalog()).digest}.tar"


def test_the_catalog_has_a_bucket_of_its_own_that_blocks_public_access(deployed):
    assert deployed.one("aws:s3/bucket:Bucket", "catalog")
    block = deployed.one(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "catalog-private"
    ).inputs
    assert block["bucket"] == "catalog-id"
    assert all(
        block[k]
        for k in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )


def test_the_catalog_bucket_is_versioned_and_encrypted(deployed):
    versioning = deployed.one("aws:s3/bucketVersioning:BucketVersioning").inputs
    assert versioning["bucket"] == "catalog-id"
    assert versioning["versioningConfiguration"]["status"] == "Enabled"
    encryption = deployed.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs
    assert encryption["bucket"] == "catalog-id"
    rule = encryption["rules"][0]["applyServerSideEncryptionByDefault"]
    assert rule["sseAlgorithm"] == "AES256"


def test_the_artifact_is_uploaded_under_its_content_digest(deployed):
    upload = deployed.one(OBJECT, "catalog-artifact").inputs
    assert upload["bucket"] == "catalog-id"
    assert upload["key"] == catalog_key()
    assert upload["serverSideEncryption"] == "AES256"


def test_the_function_is_told_the_bucket_and_key_and_not_a_path_in_its_zip(deployed):
    env = deployed.one(FUNCTION).inputs["environment"]["variables"]
    assert env["AIDJ_CATALOG_BUCKET"] == "catalog-bucket"
    assert env["AIDJ_CATALOG_KEY"] == catalog_key()
    assert "AIDJ_CATALOG" not in env


def test_the_function_may_only_read_that_one_object(deployed):
    statements = [s for s in deployed.policy()["Statement"] if s["Sid"] == "Catalog"]
    assert statements == [
        {
            "Sid": "Catalog",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": [f"arn:aws:s3:eu-west-1:123456789012:catalog/{catalog_key()}"],
        }
    ]
    others = [s for s in deployed.policy()["Statement"] if s["Sid"] != "Catalog"]
    assert not [a for s in others for a in s["Action"] if a.startswith("s3:")]


def test_ephemeral_storage_is_sized_from_the_artifact(deployed):
    size = deployed.one(FUNCTION).inputs["ephemeralStorage"]["size"]
    assert size == ephemeral_storage_mb(read_manifest(tiny_catalog()).bytes) == EPHEMERAL_MIN_MB


@pytest.mark.parametrize(
    ("artifact_mb", "at_least"),
    [(1, EPHEMERAL_MIN_MB), (216, 216 + 256), (2_100, 2_100 + 256)],
)
def test_ephemeral_storage_holds_the_unpacked_artifact_with_headroom(artifact_mb, at_least):
    size = ephemeral_storage_mb(artifact_mb * 2**20)
    assert at_least <= size <= EPHEMERAL_MAX_MB


def test_a_catalog_too_large_for_lambdas_tmp_is_refused_before_any_resource():
    with pytest.raises(ConfigError, match="catalogArtifact"):
        ephemeral_storage_mb(10 * 2**30)


def test_the_outputs_name_the_catalog_key(deployed):
    assert deployed.outputs["catalog_key"] == catalog_key()
    assert deployed.outputs["catalog_bucket"] == "catalog-bucket"


def test_a_build_from_before_a_format_bump_is_rebuilt_not_reused(tmp_path, monkeypatch):
    from aidj import catalog as catalog_module
    from aidj import catalog_artifact
    from aidj_infra.catalog_store import artifact_from_csvs

    csv = tiny_catalog().parent / "tiny.csv"
    artifact_from_csvs([csv], tmp_path)
    bumped = catalog_module.CACHE_FORMAT + 1
    monkeypatch.setattr(catalog_module, "CACHE_FORMAT", bumped)
    monkeypatch.setattr(catalog_artifact, "CACHE_FORMAT", bumped)
    artifact_from_csvs([csv], tmp_path)  # reusing the first build would fail: "rebuild it"
    builds = sorted(p for p in tmp_path.iterdir() if p.is_dir())
    assert [read_manifest(p).cache_format for p in builds] == [bumped - 1, bumped]
