"""Pulumi mocks: the program runs against an in-process engine that records every resource.

No AWS account, no Pulumi CLI: ``pulumi.runtime.set_mocks`` replaces the engine, each resource's
inputs are recorded as they are registered, and tests read those plain dicts.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest

# Builds in tests take wheels from uv's cache only (warmed by `uv sync`); a test never reaches
# a host outside 127.0.0.1, so a wheel missing from the cache skips the test instead.
os.environ.setdefault("AIDJ_WHEELS_OFFLINE", "1")

ACCOUNT_ID = "123456789012"
REGION = "eu-west-1"


@dataclass
class Recorded:
    type: str
    name: str
    inputs: dict[str, Any]


@dataclass
class RecordingMocks(pulumi.runtime.Mocks):
    resources: list[Recorded] = field(default_factory=list)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        self.resources.append(Recorded(args.typ, args.name, dict(args.inputs)))
        state = dict(args.inputs)
        kind = args.typ.split(":")[1].split("/")[0]
        kind = {"cloudwatch": "logs"}.get(kind, kind) if "logGroup" in args.typ else kind
        # pulumi-aws 7 takes a per-resource region; a resource without one is in the stack's.
        region = args.inputs.get("region") or REGION
        state.setdefault("name", f"{args.name}-physical")
        state.setdefault("arn", f"arn:aws:{kind}:{region}:{ACCOUNT_ID}:{args.name}")
        if args.typ == "aws:lambda/function:Function":
            state["invokeArn"] = (
                f"arn:aws:apigateway:{region}:lambda:path/functions/{state['arn']}/invocations"
            )
        if args.typ == "aws:apigatewayv2/api:Api":
            state["apiEndpoint"] = f"https://{args.name}.execute-api.{region}.amazonaws.com"
            state["executionArn"] = f"arn:aws:execute-api:{region}:{ACCOUNT_ID}:{args.name}-id"
        if args.typ == "aws:s3/bucket:Bucket":
            state["bucket"] = f"{args.name}-bucket"
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT_ID,
                "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/ci",
                "userId": "ci",
                "id": ACCOUNT_ID,
            }
        raise AssertionError(f"the program called {args.token}, which these tests do not mock")


@dataclass
class Deployed:
    resources: list[Recorded]
    outputs: dict[str, Any]

    def of_type(self, type_: str) -> list[Recorded]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> Recorded:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        assert len(found) == 1, (
            f"expected one {type_} {name or ''}, found {[r.name for r in found]}"
        )
        return found[0]

    def policy(self) -> dict:
        return json.loads(
            self.one("aws:iam/rolePolicy:RolePolicy", "function-policy").inputs["policy"]
        )


@pytest.fixture(scope="session")
def tiny_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stands in for the real 95 MB zip: the mocks tests check wiring, not packaging."""
    path = tmp_path_factory.mktemp("zip") / "lambda.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("app.py", "def lambda_handler(event, context):\n    return {}\n")
    return path


@functools.cache
def tiny_catalog() -> Path:
    """A catalog artifact of a few hundred real tracks (`aidj catalog build`), built once."""
    from aidj.catalog_artifact import build_artifact
    from tests.conftest import CATALOG_114K

    if not CATALOG_114K.exists():
        pytest.skip(f"catalog not found at {CATALOG_114K}; set AIDJ_SHARED_DIR")
    folder = Path(tempfile.mkdtemp(prefix="aidj-tiny-catalog-"))
    lines = CATALOG_114K.read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "tiny.csv").write_text(lines[0] + "".join(lines[1::300]), encoding="utf-8")
    build_artifact([folder / "tiny.csv"], folder / "artifact")
    return folder / "artifact"


def deploy(build_config, tiny_zip: Path, mocks: RecordingMocks | None = None) -> Deployed:
    """Run the program under mocks with the config ``build_config()`` returns; collect everything."""
    from aidj_infra.catalog_store import packed_artifact
    from aidj_infra.package import describe
    from aidj_infra.stack import create_stack

    mocks = mocks or RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="aidj", stack="test", preview=False)
    outputs: dict[str, Any] = {}
    catalog = packed_artifact(tiny_catalog(), tiny_catalog().parent / "packed")

    @pulumi.runtime.test
    def run():
        declared = create_stack(build_config(), describe(tiny_zip), catalog)
        return pulumi.Output.all(**declared).apply(outputs.update)

    run()
    return Deployed(mocks.resources, outputs)


@pytest.fixture(scope="module")
def deployed(tiny_zip: Path) -> Iterator[Deployed]:
    from aidj_infra.config import StackConfig

    def config() -> StackConfig:
        return StackConfig(
            stack="test",
            region=REGION,
            cors_origins=("https://dj.example.com",),
            bedrock_model_id="eu.anthropic.claude-haiku-4-5-20251001-v1:0",
            bedrock_regions=("eu-central-1", "eu-west-1", "eu-west-3"),
            alarm_topic_arn=f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:aidj-alerts",
            spotify_client_id="client-id",
        )

    yield deploy(config, tiny_zip)
