"""A function's catalog comes from S3: built, uploaded, fetched at cold start, reused when warm."""

from __future__ import annotations

import json
import logging
import tarfile
from pathlib import Path

import pytest

from aidj import catalog_artifact
from aidj.catalog import CatalogError
from aidj.catalog_artifact import build_artifact, pack
from aidj_service.edge import lambda_adapter
from aidj_service.edge.catalog_fetch import (
    DEFAULT_RANGES,
    artifact_location,
    catalog_from_env,
    fetch_artifact,
    start_prefetch,
)
from tests.service.conftest import TABLE, create_table
from tests.service.test_lambda import Context, load_event

BUCKET = "aidj-test-catalog"
EVERY = 40  # every 40th row of the real 114k file: every genre, a quick compile


@pytest.fixture(scope="module")
def packed(catalog_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(the packed tar, its S3 key) as `aidj catalog build` and the stack make them."""
    folder = tmp_path_factory.mktemp("artifact")
    lines = catalog_path.read_text(encoding="utf-8").splitlines(keepends=True)
    csv = folder / "sample.csv"
    csv.write_text(lines[0] + "".join(lines[1::EVERY]), encoding="utf-8")
    manifest = build_artifact([csv], folder / "catalog")
    return pack(folder / "catalog", folder / "catalog.tar"), f"catalogs/{manifest.digest}.tar"


def test_build_upload_cold_start_and_answer_a_prompt(
    aws_env: None, monkeypatch: pytest.MonkeyPatch, packed: tuple[Path, str], tmp_path: Path
) -> None:
    from moto import mock_aws

    tar, key = packed
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "aidj")
    monkeypatch.setenv("DYNAMODB_TABLE_NAME", TABLE)
    monkeypatch.setenv("AIDJ_CATALOG_BUCKET", BUCKET)
    monkeypatch.setenv("AIDJ_CATALOG_KEY", key)
    monkeypatch.setenv("AIDJ_CACHE_DIR", str(tmp_path / "tmp-aidj"))
    for name in ("AIDJ_CATALOG", "AIDJ_HISTORY", "AIDJ_LOCAL_MODE", "AIDJ_DB_PATH"):
        monkeypatch.delenv(name, raising=False)
    service_logger = logging.getLogger("aidj_service")
    handlers, propagate = list(service_logger.handlers), service_logger.propagate
    try:
        with mock_aws():
            import boto3

            create_table(boto3.client("dynamodb", region_name="us-east-1"))
            s3 = boto3.client("s3", region_name="us-east-1")
            s3.create_bucket(Bucket=BUCKET)
            s3.upload_file(str(tar), BUCKET, key)
            handler = lambda_adapter.make_handler(lambda_adapter._default_api)
            event = load_event("post_playlist.json")
            event["body"] = json.dumps({"prompt": "energetic music for working out", "limit": 8})

            answer = handler(event, Context())
            s3.delete_object(Bucket=BUCKET, Key=key)  # warm: the container never asks again
            again = handler(event, Context())
            health = json.loads(handler(load_event("get_health.json"), Context())["body"])

        assert answer["statusCode"] == 200, answer["body"]
        assert len(json.loads(answer["body"])["tracks"]) == 8
        assert again["statusCode"] == 200, again["body"]
        sample_rows = sum(1 for _ in tar.parent.joinpath("sample.csv").open()) - 1
        assert health["catalog_tracks"] <= sample_rows  # the artifact's catalog, not the shared one
        fetched = list((tmp_path / "tmp-aidj").glob("catalog-*/manifest.json"))
        assert [p.parent.name for p in fetched] == [f"catalog-{key[9:41]}"]
    finally:
        service_logger.handlers[:] = handlers
        service_logger.propagate = propagate


def test_a_new_container_reuses_the_artifact_already_in_tmp(
    aws_env: None, packed: tuple[Path, str], tmp_path: Path
) -> None:
    from moto import mock_aws

    tar, key = packed
    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.upload_file(str(tar), BUCKET, key)
        first = fetch_artifact(BUCKET, key, root=tmp_path, s3=s3)
        s3.delete_object(Bucket=BUCKET, Key=key)
        second = fetch_artifact(BUCKET, key, root=tmp_path, s3=s3)
    assert not first.reused and first.bytes > 0
    assert second.reused and second.path == first.path


def test_a_missing_object_says_what_to_check(aws_env: None, tmp_path: Path) -> None:
    from moto import mock_aws

    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        with pytest.raises(CatalogError, match="read permission"):
            fetch_artifact(BUCKET, "catalogs/" + "a" * 64 + ".tar", root=tmp_path, s3=s3)
    assert not list(tmp_path.glob("catalog-*"))


def test_without_the_variables_the_local_catalog_is_used() -> None:
    assert artifact_location({}) is None


@pytest.mark.parametrize("given", ["AIDJ_CATALOG_BUCKET", "AIDJ_CATALOG_KEY"])
def test_half_an_artifact_location_names_the_missing_variable(given: str) -> None:
    missing = {"AIDJ_CATALOG_BUCKET", "AIDJ_CATALOG_KEY"} - {given}
    with pytest.raises(CatalogError, match=missing.pop()):
        artifact_location({given: "x"})


def artifact_env(key: str, tmp: Path) -> dict[str, str]:
    return {"AIDJ_CATALOG_BUCKET": BUCKET, "AIDJ_CATALOG_KEY": key, "AIDJ_CACHE_DIR": str(tmp)}


def test_a_started_prefetch_is_the_fetch_the_service_takes(
    aws_env: None, packed: tuple[Path, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from moto import mock_aws

    tar, key = packed
    env = artifact_env(key, tmp_path)
    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.upload_file(str(tar), BUCKET, key)
        prefetch = start_prefetch(env)
        assert prefetch is not None and start_prefetch(env) is prefetch  # one per artifact
        prefetch.result()
        s3.delete_object(Bucket=BUCKET, Key=key)
        with caplog.at_level(logging.INFO, logger="aidj_service"):
            path = catalog_from_env(env)
    assert path is not None and (Path(path) / "manifest.json").exists()
    # the prefetch's own download, not a second look at /tmp ("reused")
    assert "fetched" in caplog.text and "reused" not in caplog.text


def test_a_failed_prefetch_is_the_services_start_up_error_and_the_next_start_fetches_again(
    aws_env: None, packed: tuple[Path, str], tmp_path: Path
) -> None:
    from moto import mock_aws

    tar, key = packed
    env = artifact_env(key, tmp_path)
    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        start_prefetch(env)  # the object is not there yet
        with pytest.raises(CatalogError, match="read permission"):
            catalog_from_env(env)
        s3.upload_file(str(tar), BUCKET, key)
        path = catalog_from_env(env)
    assert path is not None and (Path(path) / "manifest.json").exists()


def test_half_an_artifact_location_starts_no_prefetch_and_is_refused_at_start_up() -> None:
    env = {"AIDJ_CATALOG_BUCKET": BUCKET}
    assert start_prefetch(env) is None  # no error at import: the Api's build says it
    with pytest.raises(CatalogError, match="AIDJ_CATALOG_KEY"):
        catalog_from_env(env)


def test_the_artifact_downloads_as_several_ranges_into_the_same_files(
    aws_env: None, packed: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto import mock_aws

    monkeypatch.setattr(catalog_artifact, "PART_BYTES", 1 << 16)  # a few ranges, side by side
    tar, key = packed
    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.upload_file(str(tar), BUCKET, key)
        asked: list[str] = []
        get_object = s3.get_object

        def spy(**kwargs: object) -> object:
            asked.append(str(kwargs["Range"]))
            return get_object(**kwargs)

        s3.get_object = spy
        fetched = fetch_artifact(BUCKET, key, root=tmp_path, s3=s3)
    assert len(asked) == 1 + DEFAULT_RANGES  # the manifest, then the files' runs
    built = tar.parent / "catalog"
    for name in sorted(p.name for p in built.iterdir()):
        assert (fetched.path / name).read_bytes() == (built / name).read_bytes(), name


def test_a_corrupted_object_in_s3_is_refused_and_nothing_is_kept(
    aws_env: None, packed: tuple[Path, str], tmp_path: Path
) -> None:
    from moto import mock_aws

    tar, key = packed
    with tarfile.open(tar) as archive:
        column = archive.getmembers()[-1]
    data = bytearray(tar.read_bytes())
    data[column.offset_data + column.size // 2] ^= 0x01  # one bit, inside the last column
    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key=key, Body=bytes(data))
        with pytest.raises(CatalogError, match="does not match the manifest"):
            fetch_artifact(BUCKET, key, root=tmp_path, s3=s3)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("given", ["0", "many", "99"])
def test_a_ranges_setting_out_of_bounds_is_refused_naming_it(given: str) -> None:
    env = {"AIDJ_CATALOG_BUCKET": BUCKET, "AIDJ_CATALOG_KEY": "k", "AIDJ_CATALOG_RANGES": given}
    assert start_prefetch(env) is None
    with pytest.raises(CatalogError, match="AIDJ_CATALOG_RANGES"):
        catalog_from_env(env)
