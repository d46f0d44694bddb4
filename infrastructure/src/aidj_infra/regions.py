"""More than one region (``aidj:regions: [eu-west-1, us-east-1]``): the API and the function in
each, over one DynamoDB global table.

``aws:region`` is the home: the table (with a replica, point-in-time recovery on, in every
other listed region), the token key and the user pool live there, and its resources keep their
names. Every other region gets its own artifact bucket, function, role, API, refresh schedule
and alarms (see :class:`~aidj_infra.placement.Placement`). Its function uses the local table
replica and the home region's token key (KMS accepts a key ARN from another region).

Global tables settle concurrent writes to one item by last writer wins, so the service keeps
every write to a playlist in that playlist's home region (the region that created it) and
answers 421 elsewhere; see docs/DEPLOY.md, *Regions*.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pulumi
import pulumi_aws as aws

from .config import StackConfig
from .models import is_inference_profile
from .placement import Placement

# A cross-region inference profile serves one geography; a region's functions use its own.
PROFILE_GEOGRAPHIES = {"us": "us.", "eu": "eu.", "ap": "apac."}
REGIONS_VARIABLE = "AIDJ_REGIONS"


def other_regions(cfg: StackConfig) -> tuple[str, ...]:
    """The listed regions besides the home, in the order listed."""
    return tuple(region for region in cfg.regions if region != cfg.region)


def replication(cfg: StackConfig) -> dict[str, Any]:
    """Table arguments that make it global: a stream (replication needs it) and the replicas."""
    others = other_regions(cfg)
    if not others:
        return {}
    return {
        "stream_enabled": True,
        "stream_view_type": "NEW_AND_OLD_IMAGES",
        "replicas": [
            aws.dynamodb.TableReplicaArgs(
                region_name=region,
                # Every replica recoverable to the second, like the home table.
                point_in_time_recovery=True,
                propagate_tags=True,
                deletion_protection_enabled=cfg.deletion_protection,
            )
            for region in others
        ],
    }


def geography(region: str) -> str:
    return region.split("-", 1)[0]


def model_for_region(model_id: str, region: str) -> str:
    """The same model as seen from ``region``: a geography profile swapped for that region's."""
    prefix = PROFILE_GEOGRAPHIES.get(geography(region))
    if prefix is None or not is_inference_profile(model_id):
        return model_id
    current = model_id.split(".", 1)[0] + "."
    if current not in PROFILE_GEOGRAPHIES.values():
        return model_id  # global. and the like serve every region already
    return prefix + model_id.split(".", 1)[1]


def regional_config(cfg: StackConfig, region: str) -> StackConfig:
    """The stack's settings as they apply to the copies declared in ``region``."""
    topic = cfg.alarm_topic_arn
    if topic is not None and topic.split(":")[3] != region:
        # CloudWatch alarms notify topics of their own region only.
        pulumi.log.warn(
            f"aidj:alarmTopicArn is in {topic.split(':')[3]}: the alarms in {region} change "
            "state but notify nobody; give that region a topic of its own to be paged"
        )
        topic = None
    return dataclasses.replace(
        cfg,
        region=region,
        placement=Placement(region),
        alarm_topic_arn=topic,
        bedrock_model_id=model_for_region(cfg.bedrock_model_id, region),
        bedrock_models={
            name: model_for_region(model_id, region)
            for name, model_id in cfg.bedrock_models.items()
        },
        # The routing regions of that region's geography; IAM allows the model in each.
        bedrock_regions=tuple(r for r in cfg.bedrock_regions if geography(r) == geography(region)),
    )


def replica_arn(table_arn: str, region: str) -> str:
    """The ARN of the table's replica in ``region`` (same account and name)."""
    parts = table_arn.split(":")
    parts[3] = region
    return ":".join(parts)


def environment(cfg: StackConfig) -> dict[str, pulumi.Input[str]]:
    """Tells the service that playlists have home regions; nothing for a one-region stack."""
    if not other_regions(cfg):
        return {}
    return {REGIONS_VARIABLE: ",".join(cfg.regions)}
