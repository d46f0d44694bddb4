"""Living playlists from the terminal: versions, edit, extend, revert and the scheduled refresh.

Each command is a call to the HTTP API's own object over the local history, so the CLI and the
server share every rule.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from aidj_service.cli.usage import UsageError, fail

if TYPE_CHECKING:
    from aidj_service.edge.api import Api


def local_api(catalog: Path | None) -> Api:
    """The HTTP API's own object over the local history: the CLI and the server share every rule."""
    from dataclasses import replace

    from aidj.catalog import CatalogError
    from aidj_service.config import Settings, SettingsError
    from aidj_service.edge.api import Api

    if catalog is not None:
        os.environ["AIDJ_CATALOG"] = str(catalog)
    try:
        settings = Settings.from_env()
        return Api(replace(settings, local_mode=True, rate_limit_per_minute=0))
    except (SettingsError, CatalogError) as exc:
        fail(str(exc))


def call(
    catalog: Path | None,
    method: str,
    path: str,
    body: dict | None = None,
    query: dict | None = None,
) -> dict:
    from aidj_service.edge.http import Request

    api = local_api(catalog)
    try:
        raw = json.dumps(body).encode() if body is not None else b""
        response = api.handle(
            Request(
                method=method,
                path=path,
                query=query or {},
                # what any HTTP client sends: the local-mode guard asks for both
                headers={"host": "127.0.0.1", "content-type": "application/json"},
                body=raw,
                source_ip="127.0.0.1",
            )
        )
    finally:
        api.close()
    answer = response.json_body()
    if response.status >= 400:
        fail(answer["error"]["message"], 1)
    return answer


def print_version(answer: dict) -> int:
    keys = (
        "playlist_id",
        "version",
        "cause",
        "added",
        "removed",
        "moved",
        "tracks_count",
        "versions",
        "schedule",
    )
    print(json.dumps({k: answer.get(k) for k in keys}, ensure_ascii=False, indent=2))
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    api = local_api(args.catalog)
    try:
        summary = api.living.refresh_due()
    finally:
        api.close()
    print(json.dumps(summary))
    return 1 if summary["failed"] else 0


def cmd_versions(args: argparse.Namespace) -> int:
    query = {"version": str(args.version)} if args.version else None
    return print_version(call(args.catalog, "GET", f"/playlists/{args.playlist_id}", query=query))


def cmd_edit(args: argparse.Namespace) -> int:
    body: dict = {}
    if args.op:
        body["edits"] = [
            {
                "op": args.op,
                "track_id": args.track or "",
                **({"to": args.to} if args.to is not None else {}),
            }
        ]
    if args.prompt:
        body["prompt"] = args.prompt
    if not body:
        raise UsageError("give --op (with --track) or --prompt: what should change?")
    return print_version(
        call(args.catalog, "POST", f"/playlists/{args.playlist_id}/versions", body)
    )


def cmd_extend(args: argparse.Namespace) -> int:
    if (args.count is None) == (args.minutes is None):
        raise UsageError("give exactly one of --count or --minutes")
    body = {"count": args.count} if args.count is not None else {"minutes": args.minutes}
    return print_version(call(args.catalog, "POST", f"/playlists/{args.playlist_id}/extend", body))


def cmd_revert(args: argparse.Namespace) -> int:
    return print_version(
        call(
            args.catalog, "POST", f"/playlists/{args.playlist_id}/revert", {"version": args.version}
        )
    )
