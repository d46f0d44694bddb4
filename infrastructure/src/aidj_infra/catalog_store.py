"""The catalog artifact's own bucket, its object, and the /tmp the function needs to hold it.

The zip carries code only: the compiled catalog (``aidj catalog build``, or built here from the
CSVs) is packed into one tar and stored under its content digest in a private, versioned,
encrypted bucket. The function is told the key and may read exactly that object; a new
catalog is a new key, so it deploys without a new zip.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws

from .config import ConfigError, StackConfig
from .storage import private_bucket

# Lambda's ephemeral storage limits (MB); the default 512 MB holds a catalog up to ~200 MB.
EPHEMERAL_MIN_MB = 512
EPHEMERAL_MAX_MB = 10240
# Beside the catalog, /tmp holds the service's own small caches and, during a fetch, nothing
# else: the tar is streamed into place, never stored whole.
EPHEMERAL_HEADROOM_MB = 256
EPHEMERAL_MARGIN = 1.1


@dataclass(frozen=True)
class CatalogArtifact:
    """A packed catalog ready to upload."""

    tar: Path
    digest: str
    tracks: int
    bytes: int  # unpacked: what it takes in /tmp

    @property
    def key(self) -> str:
        return f"catalogs/{self.digest}.tar"


def ephemeral_storage_mb(artifact_bytes: int) -> int:
    """/tmp for the unpacked artifact plus headroom, within Lambda's limits."""
    wanted = math.ceil(artifact_bytes * EPHEMERAL_MARGIN / 2**20) + EPHEMERAL_HEADROOM_MB
    if wanted > EPHEMERAL_MAX_MB:
        raise ConfigError(
            f"aidj:catalogArtifact needs {wanted} MB of /tmp, more than Lambda's {EPHEMERAL_MAX_MB} "
            "MB; serve a smaller catalog or move it to EFS"
        )
    return max(EPHEMERAL_MIN_MB, wanted)


def packed_artifact(folder: Path, build_dir: Path) -> CatalogArtifact:
    """The artifact in ``folder`` (from ``aidj catalog build``), packed under ``build_dir``."""
    from aidj.catalog import CatalogError
    from aidj.catalog_artifact import pack, read_manifest

    try:
        manifest = read_manifest(folder)
        manifest.check_loadable(str(folder))
    except CatalogError as exc:
        raise ConfigError(f"aidj:catalogArtifact: {exc}") from exc
    tar = build_dir / f"{manifest.digest}.tar"
    if not tar.exists():  # named by content: an existing tar is this one
        pack(folder, tar)
    return CatalogArtifact(tar, manifest.digest, manifest.tracks, manifest.bytes)


def artifact_from_csvs(csvs: list[Path], build_dir: Path) -> CatalogArtifact:
    """Build (or reuse, when the CSVs and the code's formats are unchanged) the artifact of
    ``csvs``, then pack it."""
    from aidj.catalog import CACHE_FORMAT
    from aidj.catalog_artifact import ARTIFACT_FORMAT, build_artifact, file_digest

    sources = hashlib.sha256()
    for csv in csvs:
        sources.update(f"{csv.name}\0{file_digest(csv).sha256}\n".encode())
    # the formats in the name: after a format bump the old build is not this code's to reuse
    folder = build_dir / f"from-{sources.hexdigest()[:16]}-{ARTIFACT_FORMAT}.{CACHE_FORMAT}"
    if not (folder / "manifest.json").exists():
        build_artifact(csvs, folder)
    return packed_artifact(folder, build_dir)


def catalog_bucket(cfg: StackConfig) -> aws.s3.Bucket:
    """Private, versioned (an overwritten or deleted catalog can be recovered), encrypted."""
    at = cfg.placement  # one per region: a function reads its catalog from its own region
    bucket = private_bucket(cfg, "catalog")
    aws.s3.BucketVersioning(
        at.name("catalog-versioning"),
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(
            status="Enabled"
        ),
        region=at.region,
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        at.name("catalog-encryption"),
        bucket=bucket.id,
        rules=[
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="AES256"
                ),
                bucket_key_enabled=True,
            )
        ],
        region=at.region,
    )
    return bucket


def upload_catalog(
    cfg: StackConfig, bucket: aws.s3.Bucket, artifact: CatalogArtifact
) -> aws.s3.BucketObjectv2:
    return aws.s3.BucketObjectv2(
        cfg.placement.name("catalog-artifact"),
        bucket=bucket.id,
        key=artifact.key,  # keyed by digest: a new catalog is a new object, the old one stays
        source=pulumi.FileAsset(str(artifact.tar)),
        content_type="application/x-tar",
        server_side_encryption="AES256",
        tags=cfg.tags,
        region=cfg.placement.region,
    )


def object_arn(bucket_arn: str, key: str) -> str:
    return f"{bucket_arn}/{key}"
