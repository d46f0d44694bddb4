"""Lambda package benchmark: zip sizes (code only), and cold start with the catalog from S3.

    uv run python -m benchmarks.lambda_package [--catalog PATH | --artifact DIR] [--runs N] [--arm64]

(`-m` from the repository root: run as a file, benchmarks/responses.py would shadow the
`responses` package moto imports.)

Sizes are those of the zips `pulumi up` deploys (Python 3.12, manylinux wheels); they carry no
catalog. The cold start is measured on this machine with the same build for the local
interpreter: the zip unpacked into an empty directory, a fresh `python -I -S` per run that sees
only it, boto3 (as Lambda's runtime provides it) and the standard library, answering one
`POST /playlist` API Gateway v2 event against DynamoDB and S3 (moto server on 127.0.0.1). The
catalog artifact (`--artifact`, a folder from `aidj catalog build`, or built from `--catalog`)
is uploaded to the moto bucket and fetched into an empty /tmp stand-in by every run. "First
response" runs from process start to the answer: interpreter start, imports, artifact fetch
(download + unpack + digest checks), mapping, model load, interpretation, playlist, DynamoDB
write; the fetch is also reported on its own (its download part is bounded by bandwidth on AWS).
Prints a Markdown table for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import boto3
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from aidj.catalog import resolve_catalog_paths
from aidj_infra import function as function_module
from aidj_infra import storage
from aidj_infra.catalog_store import artifact_from_csvs, packed_artifact
from aidj_infra.config import StackConfig
from aidj_infra.local_lambda import apigw_event, cold_invoke, runtime_dir, unpack
from aidj_infra.package import EMBEDDING_MODEL, Target, build_lambda_zip
from aidj_service.edge.catalog_fetch import DEFAULT_RANGES

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "build" / "lambda"
REGION = "eu-west-1"
TABLE = "aidj-bench-history"
CATALOG_BUCKET = "aidj-bench-catalog"
MIB = 1024 * 1024
# what aidj_service.edge.catalog_fetch logs once per cold start
FETCH_LOG = re.compile(
    r"catalog artifact \w+: fetched \((\d+) bytes in ([0-9.]+) s, ([0-9.]+) s of it waiting on S3, "
    r"([0-9.]+) s CPU\)"
)
# and what aidj_service.edge.lambda_adapter logs once the service is built
START_LOG = re.compile(
    r"service started in [0-9.]+ s: imports ([0-9.]+) s, catalog ([0-9.]+) s, api ([0-9.]+) s, "
    r"warm ([0-9.]+) s"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--catalog",
        default=None,
        help="catalog CSVs joined by the path separator (default: both shared files)",
    )
    ap.add_argument("--artifact", type=Path, help="a folder from `aidj catalog build`")
    ap.add_argument("--runs", type=int, default=5, help="cold starts to time")
    ap.add_argument("--arm64", action="store_true", help="also build the arm64 zip")
    ap.add_argument(
        "--ranges",
        type=int,
        default=None,
        help="AIDJ_CATALOG_RANGES for the function (byte ranges downloaded side by side)",
    )
    ap.add_argument(
        "--local-only",
        action="store_true",
        help="skip the deployed (Python 3.12) zips: offline, without their wheels in uv's cache",
    )
    args = ap.parse_args()
    catalog_dir = REPO / "build" / "catalog"
    artifact = (
        packed_artifact(args.artifact, catalog_dir)
        if args.artifact
        else artifact_from_csvs(resolve_catalog_paths(args.catalog), catalog_dir)
    )
    uv = shutil.which("uv") or sys.exit("uv is not on PATH")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request access log

    rows: list[tuple[str, str]] = []
    architectures = [] if args.local_only else ["x86_64", "arm64"] if args.arm64 else ["x86_64"]
    for arch in architectures:
        built = build_lambda_zip(REPO, BUILD, target=Target(architecture=arch))
        rows.append(
            (
                f"deployed zip, Python 3.12 {arch} (zipped / unzipped)",
                f"{built.size_bytes / MIB:.1f} MiB / {built.unzipped_bytes / MIB:.1f} MiB",
            )
        )
        print(f"built {built.path}", file=sys.stderr)

    local = Target.local()
    built = build_lambda_zip(REPO, BUILD, target=local)
    runtime = runtime_dir(REPO, BUILD, local, uv)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        boto3.client(
            "dynamodb",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        ).create_table(TableName=TABLE, **storage.table_key_schema())
        s3 = boto3.client(
            "s3",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        s3.create_bucket(
            Bucket=CATALOG_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        s3.upload_file(str(artifact.tar), CATALOG_BUCKET, artifact.key)
        with tempfile.TemporaryDirectory(prefix="aidj-bench-") as tmp:
            task_root = unpack(built.path, Path(tmp) / "task")
            cfg = StackConfig(
                stack="bench", region=REGION, environment={"AIDJ_INTERPRETER": "local"}
            )
            catalog = (CATALOG_BUCKET, artifact.key)
            env = {
                k: str(v)
                for k, v in function_module.environment(cfg, TABLE, catalog=catalog).items()
            }
            env.update(
                AIDJ_EMBEDDING_MODEL=str(task_root / EMBEDDING_MODEL),
                AWS_LAMBDA_FUNCTION_NAME="aidj-bench",
                AWS_REGION=REGION,
                AWS_DEFAULT_REGION=REGION,
                AWS_ACCESS_KEY_ID="x",
                AWS_SECRET_ACCESS_KEY="x",
                AWS_ENDPOINT_URL=url,
                AIDJ_DYNAMODB_ENDPOINT_URL=url,
            )
            if args.ranges is not None:
                env["AIDJ_CATALOG_RANGES"] = str(args.ranges)
            event = apigw_event(
                "POST",
                "/playlist",
                {"prompt": "energetic music for working out", "limit": 20},
                {"content-type": "application/json"},
            )
            firsts, imports, warms, fetches, waits = [], [], [], [], []
            fetch_cpus, cpus, catalogs, apis, warmings = [], [], [], [], []
            service_imports: list[float] = []
            for run in range(args.runs):
                # an empty /tmp per run: every cold start fetches the artifact
                env["AIDJ_CACHE_DIR"] = str(Path(tmp) / f"tmp-{run}")
                # The same request twice: the second one shows a warm container's latency.
                start = cold_invoke(task_root, runtime, [event, event], env)
                shutil.rmtree(Path(tmp) / f"tmp-{run}", ignore_errors=True)
                found = FETCH_LOG.search(start.logs)
                if found is None:
                    sys.exit(f"the function did not fetch the catalog artifact:\n{start.logs}")
                fetches.append(float(found.group(2)))
                waits.append(float(found.group(3)))
                fetch_cpus.append(float(found.group(4)))
                steps = START_LOG.search(start.logs)
                if steps is None:
                    sys.exit(f"the function did not log its start:\n{start.logs}")
                service_imports.append(float(steps.group(1)))
                catalogs.append(float(steps.group(2)))
                apis.append(float(steps.group(3)))
                warmings.append(float(steps.group(4)))
                cpus.append(start.cpu_times_s[0])
                for response in start.responses:
                    if response["statusCode"] >= 400:
                        sys.exit(
                            f"the function answered {response['statusCode']}: {response['body']}"
                        )
                firsts.append(start.first_response_s)
                imports.append(start.import_s)
                warms.append(start.response_times_s[1] - start.response_times_s[0])
    finally:
        server.stop()

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms"

    own = [first - wait for first, wait in zip(firsts, waits, strict=True)]
    rows += [
        (
            f"catalog artifact: {artifact.tracks:,} tracks, packed tar",
            f"{artifact.tar.stat().st_size / MIB:.1f} MiB",
        ),
        (
            f"cold start: process start → first response (median / min / max of {args.runs})",
            f"{statistics.median(firsts):.2f} / {min(firsts):.2f} / {max(firsts):.2f} s",
        ),
        ("cold start, first run (files not yet in the page cache)", f"{firsts[0]:.2f} s"),
        ("… importing `app` (the artifact's download starts first, in a thread)", ms(imports)),
        ("… the service's build: its imports (Api, operations, stores)", ms(service_imports)),
        ("… the service's build: waiting for the catalog after them", ms(catalogs)),
        ("… the service's build: the Api (catalog mapped, stores, operations)", ms(apis)),
        ("… warming: embedding model, artist lookup, title marks", ms(warmings)),
        (
            f"artifact fetch (its thread, {args.ranges or DEFAULT_RANGES} ranges at once): "
            "download + unpack + digests, wall",
            ms(fetches),
        ),
        (
            "… of which waiting on S3 (the longest range, from its request; on AWS: bandwidth)",
            ms(waits),
        ),
        ("… its thread's CPU", ms(fetch_cpus)),
        (
            "**function's own time**: cold start less the S3 wait (median)",
            f"{statistics.median(own):.2f} s",
        ),
        (
            "process CPU (all threads) at the first response (median)",
            f"{statistics.median(cpus):.2f} s",
        ),
        ("warm request in the same process (median)", ms(warms)),
        (
            f"local zip, Python {local.python_version} {local.architecture} (zipped / unzipped)",
            f"{built.size_bytes / MIB:.1f} MiB / {built.unzipped_bytes / MIB:.1f} MiB",
        ),
    ]

    print("| measure | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
