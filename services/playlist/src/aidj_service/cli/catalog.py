"""``aidj catalog build CSV... --out DIR``: the compiled catalog as a deployable artifact.

The stack uploads what this writes (``aidj:catalogArtifact``); locally ``--catalog DIR`` loads it.
Progress goes to stderr (a bar on a terminal, plain lines otherwise); the summary to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_catalog_commands(commands: Any) -> None:
    """Register ``aidj catalog ...`` on the top-level subparsers."""
    catalog = commands.add_parser(
        "catalog",
        help="build the compiled catalog as a deployable artifact",
        description="Build the compiled catalog as a deployable artifact.",
    )
    actions = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build",
        help="compile CSVs into DIR with a manifest (digest, rows, formats, sources)",
        description="Compile catalog CSVs into DIR: the columnar catalog plus manifest.json "
        "(content digest, track count, format versions, the source files' digests).",
    )
    build.add_argument("csv", nargs="+", type=Path, help="Spotify audio-feature CSVs, first wins")
    build.add_argument("--out", type=Path, required=True, help="the artifact's folder")
    build.add_argument("--json", action="store_true", help="print the manifest summary as JSON")
    build.set_defaults(run=cmd_catalog_build)


def cmd_catalog_build(args: argparse.Namespace) -> int:
    from aidj.catalog import CatalogError
    from aidj.catalog_artifact import build_artifact
    from aidj_service.cli.progress_view import ProgressView

    try:
        manifest = build_artifact(args.csv, args.out, ProgressView(sys.stderr))
    except CatalogError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except OSError as exc:
        sys.stderr.write(f"error: --out {args.out}: {exc.strerror}; choose a writable folder\n")
        return 2
    summary = {
        "out": str(args.out),
        "digest": manifest.digest,
        "tracks": manifest.tracks,
        "bytes": manifest.bytes,
        "format_version": manifest.format_version,
        "sources": [s.name for s in manifest.sources],
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"{manifest.tracks:,} tracks, {manifest.bytes / 1e6:,.1f} MB, digest "
            f"{manifest.digest[:16]}… in {args.out}"
        )
    return 0
