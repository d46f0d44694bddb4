"""The ``aidj`` command: its arguments, and the one place a command's failure becomes an exit status."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import NoReturn

from aidj_service.cli.catalog import add_catalog_commands
from aidj_service.cli.deliver import cmd_deliver
from aidj_service.cli.living import cmd_edit, cmd_extend, cmd_refresh, cmd_revert, cmd_versions
from aidj_service.cli.playlist import cmd_interpret, cmd_playlist
from aidj_service.cli.serve import cmd_serve
from aidj_service.cli.usage import UsageError, fail


def track_count(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not a whole number: give a count from 1 to 100"
        ) from None
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError(
            f"{value} is not from 1 to 100: give a count in that range"
        )
    return value


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a mistake is one ``error:`` line saying what to do, like every other error.

    argparse's own answer prints the whole usage first, which buries the one line that matters.
    Sub-command parsers are made of the same class, so ``aidj playlist --limit 0`` behaves alike.
    """

    def error(self, message: str) -> NoReturn:
        unknown = re.match(
            r"argument COMMAND: invalid choice: (.+?) \(choose from (.+)\)$", message
        )
        if unknown:
            commands = unknown[2].replace("'", "")
            message = f"unknown command {unknown[1]}: use one of {commands}"
        fail(f"{self.prog}: {message} (see {self.prog} --help)")


def parser() -> argparse.ArgumentParser:
    top = OneLineParser(
        prog="aidj", description="AI DJ: one sentence in, a DJ-quality playlist out."
    )
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    catalog_help = (
        "catalog CSVs joined by ':' or a compiled cache dir "
        "(default: $AIDJ_CATALOG or both files in ../shared/data)"
    )

    p = commands.add_parser(
        "playlist",
        help="build a playlist from a prompt",
        description="Build a playlist from a prompt.",
    )
    p.add_argument("prompt", nargs="?", help="what you want to hear, in one sentence")
    p.add_argument("--catalog", type=Path, help=catalog_help)
    p.add_argument("--format", choices=("table", "json"), help="table (default) or json")
    p.add_argument("--out", type=Path, help="also write FILE.m3u8, .xspf or .json")
    p.add_argument(
        "--limit",
        type=track_count,
        help="number of tracks, 1-100 (in --batch: for lines without one)",
    )
    p.add_argument(
        "--batch",
        metavar="SOURCE",
        help="'-' (stdin) or a file: JSON lines {id, prompt, limit?} in, one JSON result per line out",
    )
    p.set_defaults(run=cmd_playlist)

    p = commands.add_parser(
        "interpret",
        help="print only the musical parameters a prompt turns into",
        description="Print only the musical parameters a prompt turns into.",
    )
    p.add_argument("prompt", help="what you want to hear, in one sentence")
    p.add_argument("--catalog", type=Path, help=catalog_help)
    p.set_defaults(run=cmd_interpret)

    p = commands.add_parser(
        "serve",
        help="run the HTTP API and web page",
        description="Run the HTTP API and web page on the embedded defaults "
        "(local interpreter, SQLite history).",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="interface to bind; 127.0.0.1 keeps it local"
    )
    p.add_argument("--port", type=int, default=8000, help="TCP port")
    p.add_argument("--workers", type=int, default=1, help="worker processes")
    p.add_argument("--catalog", type=Path, help=catalog_help)
    p.add_argument(
        "--refresh-every",
        type=int,
        default=0,
        metavar="MINUTES",
        help="refresh due scheduled playlists every N minutes (0: off)",
    )
    p.set_defaults(run=cmd_serve)

    p = commands.add_parser(
        "refresh",
        help="give every due scheduled playlist its fresh version (for cron)",
        description="Give every due scheduled playlist its fresh version (run it from cron, e.g. hourly).",
    )
    p.add_argument("--catalog", type=Path, help=catalog_help)
    p.set_defaults(run=cmd_refresh)

    p = commands.add_parser(
        "versions", help="a stored playlist's versions", description="A stored playlist's versions."
    )
    p.add_argument("playlist_id")
    p.add_argument("--version", type=int, help="show this version")
    p.add_argument("--catalog", type=Path, help=catalog_help)
    p.set_defaults(run=cmd_versions)

    p = commands.add_parser(
        "edit",
        help="make the next version: one edit and/or a refining prompt",
        description="Make the next version of a playlist: one edit and/or a refining prompt.",
    )
    p.add_argument("playlist_id")
    p.add_argument("--op", choices=("remove", "swap", "lock", "unlock", "more_like", "move"))
    p.add_argument("--track", help="the track id the op applies to")
    p.add_argument("--to", type=int, help="move: the 0-based position")
    p.add_argument("--prompt", help="refine: 'more upbeat', 'no rap'")
    p.add_argument("--catalog", type=Path, help=catalog_help)
    p.set_defaults(run=cmd_edit)

    p = commands.add_parser(
        "extend",
        help="continue a playlist's arc with more tracks",
        description="Continue a playlist's arc and flow with more tracks, repeating nothing.",
    )
    p.add_argument("playlist_id")
    p.add_argument("--count", type=track_count, help="tracks to add")
    p.add_argument("--minutes", type=int, help="or minutes to add")
    p.add_argument("--catalog", type=Path, help=catalog_help)
    p.set_defaults(run=cmd_extend)

    p = commands.add_parser(
        "revert",
        help="bring an older version back (as a new version)",
        description="Bring an older version back (as a new version).",
    )
    p.add_argument("playlist_id")
    p.add_argument("version", type=int)
    p.add_argument("--catalog", type=Path, help=catalog_help)
    p.set_defaults(run=cmd_revert)

    from aidj_service.delivery.registry import PLATFORMS

    p = commands.add_parser(
        "deliver",
        help="save a stored playlist to Spotify, Apple Music, YouTube Music or a Subsonic server",
        description="Save a stored playlist to another platform: tracks are matched by title, "
        "artist and length, the rest listed with why; retrying never makes a second playlist. "
        "Sign-ins come from the environment: SPOTIFY_ACCESS_TOKEN, AIDJ_APPLE_MUSIC_USER_TOKEN, "
        "GOOGLE_ACCESS_TOKEN; a Subsonic server from AIDJ_SUBSONIC_URL/_USER/_PASSWORD.",
    )
    p.add_argument("playlist_id")
    p.add_argument("--to", required=True, choices=PLATFORMS.names, help="the platform")
    p.add_argument("--version", type=int, help="deliver this version (default: the current one)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text or json")
    p.add_argument("--catalog", type=Path, help=catalog_help)
    p.set_defaults(run=cmd_deliver)

    add_catalog_commands(commands)
    return top


def main(argv: list[str] | None = None) -> None:
    top = parser()
    args = top.parse_args(argv)
    if args.command is None:
        top.print_help()
        raise SystemExit(2)
    if args.command != "serve":
        # The CLI uses no pydantic plugins; looking for them reads the metadata of every
        # installed package, a noticeable share of a playlist's start-up.
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        status = args.run(args)
    except UsageError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    raise SystemExit(status)


if __name__ == "__main__":
    main()
