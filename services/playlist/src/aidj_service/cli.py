"""The ``aidj`` command: playlists in the terminal, batch mode for evaluation, and the server.

Plain argparse and a hand-drawn table: a playlist in the terminal should start about as fast as
``import numpy`` (see benchmarks/cli_startup.py), and a CLI framework plus a rich-text library
cost more to import than the catalog costs to load. Everything heavy is imported inside the
command that needs it.

Exit status: 0 done, 1 a batch line (or the build) failed, 2 a usage error (bad option, prompt,
path or catalog), always with one line on stderr that says what to do.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

if TYPE_CHECKING:  # annotations only: the CLI imports these when a command needs them
    from aidj.dj import DJ
    from aidj.playlist import Playlist
    from aidj_service.api import Api

# the API's limit (aidj_service.models.MAX_PROMPT_CHARS): the CLI takes no prompt the API would refuse
MAX_PROMPT_CHARS = 1000
EXPORT_SUFFIXES = ("json", "m3u8", "xspf")
BATCH_KEYS = frozenset({"id", "prompt", "limit"})


class UsageError(Exception):
    """A mistake in how the command was called; the message says what to do instead."""


def fail(message: str, status: int = 2) -> NoReturn:
    sys.stderr.write(f"error: {message}\n")
    raise SystemExit(status)


def check_prompt(prompt: object) -> str:
    if not isinstance(prompt, str) or not prompt.strip():
        raise UsageError('give a prompt, e.g. aidj playlist "energetic music for working out"')
    if len(prompt) > MAX_PROMPT_CHARS:
        raise UsageError(
            f"the prompt is {len(prompt):,} characters; the limit is {MAX_PROMPT_CHARS:,}: shorten it"
        )
    return prompt


def check_out(out: Path) -> str:
    """The export format ``--out`` asks for; refuses a path that cannot be written before any work is done."""
    suffix = out.suffix.lstrip(".").lower()
    if suffix not in EXPORT_SUFFIXES:
        raise UsageError(f"--out must end in one of: {', '.join('.' + e for e in EXPORT_SUFFIXES)}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(
            f"--out: the folder {folder} does not exist: create it first or choose another path"
        )
    if out.is_dir():
        raise UsageError(
            f"--out: {out} is a folder: give a file name such as {out / ('playlist.' + suffix)}"
        )
    return suffix


def load_dj(catalog: Path | None) -> DJ:
    from aidj.catalog import CatalogError
    from aidj.dj import DJ
    from aidj_service.progress_view import ProgressView

    try:
        # a first run compiles the catalog: show its stages rather than tens of silent seconds
        return DJ.load(catalog, progress=ProgressView(sys.stderr))
    except CatalogError as exc:
        fail(str(exc))


# ---------------------------------------------------------------- playlist and interpret


def cmd_playlist(args: argparse.Namespace) -> int:
    if args.batch is not None:
        if args.prompt is not None:
            raise UsageError("--batch reads its prompts from JSON lines: drop the prompt argument")
        if args.out is not None:
            raise UsageError(
                "--batch writes JSON lines to stdout and cannot write --out: drop --out"
            )
        if args.format not in (None, "json"):
            raise UsageError("--batch always writes JSON lines: drop --format")
        return run_batch(args.catalog, args.batch, args.limit)
    prompt = check_prompt(args.prompt)
    suffix = check_out(args.out) if args.out is not None else None
    dj = load_dj(args.catalog)
    result = dj.playlist(prompt, limit=args.limit)
    if args.out is not None and suffix is not None:
        from aidj.exporters import export

        body, _ = export(result, suffix)
        try:
            args.out.write_bytes(body)
        except OSError as exc:
            fail(f"--out: could not write {args.out} ({exc.strerror}): choose another path")
        sys.stderr.write(f"wrote {len(result.tracks)} tracks to {args.out}\n")
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print_table(result, sys.stdout)
    return 0


def cmd_interpret(args: argparse.Namespace) -> int:
    prompt = check_prompt(args.prompt)
    dj = load_dj(args.catalog)
    print(json.dumps(dj.interpret(prompt).to_dict(), ensure_ascii=False, indent=2))
    return 0


# ---------------------------------------------------------------- batch


def run_batch(catalog: Path | None, source: str, default_limit: int | None) -> int:
    """One JSON line out per line in, in order; 1 when any line failed."""
    if source == "-":
        return batch_lines(catalog, sys.stdin, sys.stdout, default_limit)
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"--batch {source}: no such file: give a JSON-lines file, or - for stdin")
    with open(path, encoding="utf-8") as lines:
        return batch_lines(catalog, lines, sys.stdout, default_limit)


def batch_lines(catalog: Path | None, lines: TextIO, out: TextIO, default_limit: int | None) -> int:
    dj = load_dj(catalog)
    failed = 0
    for number, line in enumerate(lines, 1):
        item_id: Any = None
        try:
            item = parse_line(line, number)
            item_id = item.get("id")  # echoed even when the rest of the line is refused
            check_item(item, number)
            limit = item.get("limit", default_limit)
            result: dict[str, Any] = {
                "id": item_id,
                **dj.playlist(item["prompt"], limit=limit).to_dict(),
            }
        except UsageError as exc:
            failed += 1
            result = {
                "id": item_id,
                "error": {"code": "invalid_line", "message": str(exc), "line": number},
            }
        except Exception as exc:
            failed += 1
            result = {
                "id": item_id,
                "error": {
                    "code": "internal_error",
                    "message": f"{type(exc).__name__}: {exc}",
                    "line": number,
                },
            }
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failed else 0


def parse_line(line: str, number: int) -> dict[str, Any]:
    if not line.strip():
        raise UsageError(
            f'line {number} is blank: write one JSON object per line, e.g. {{"id": "1", "prompt": "ska party"}}'
        )
    try:
        item = json.loads(line)
    except ValueError as exc:
        raise UsageError(f"line {number} is not valid JSON ({exc})") from None
    if not isinstance(item, dict):
        raise UsageError(
            f'line {number} must be a JSON object like {{"id": "1", "prompt": "ska party"}}'
        )
    return item


def check_item(item: dict[str, Any], number: int) -> None:
    unknown = sorted(set(item) - BATCH_KEYS)
    if unknown:
        raise UsageError(
            f"line {number}: unknown field(s) {', '.join(unknown)}: use id, prompt and limit"
        )
    if not isinstance(item.get("prompt"), str):
        raise UsageError(f'line {number} needs a string "prompt"')
    if not item["prompt"].strip():
        raise UsageError(f'line {number}: "prompt" is empty: say what you want to hear')
    try:
        check_prompt(item["prompt"])
    except UsageError as exc:
        raise UsageError(f"line {number}: {exc}") from None
    limit = item.get("limit")
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100
    ):
        raise UsageError(f'line {number}: "limit" must be a whole number from 1 to 100')


# ---------------------------------------------------------------- the table


def print_table(result: Playlist, out: TextIO, width: int | None = None) -> None:
    """The playlist as a plain-text table that fits ``width`` columns; numbers are never cut."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    width = max(width, 60)
    params = {k: v for k, v in result.intent.to_dict().items() if v not in (None, [], "flat")}
    out.write(f"{result.name}\n")
    out.write(
        ", ".join(f"{k}={v}" for k, v in params.items() if k not in ("playlist_name", "unmet"))
        + "\n"
    )
    for notice in result.notices:
        out.write(f"note: {notice}\n")
    out.write("\n")
    matched = set(result.intent.genres)
    rows = []
    for n, t in enumerate(result.tracks, 1):
        genre = next((g for g in t.genres if g in matched), t.genres[0] if t.genres else "")
        rows.append(
            [
                str(n),
                t.name,
                t.artists[0] if t.artists else "",
                genre,
                f"{t.tempo:.0f}",
                t.camelot,
                f"{t.energy:.2f}",
                mmss(t.duration_ms),
                t.reason or "",
                t.transition or "",
            ]
        )
    heads = ["#", "Title · why it was picked", "Artist", "Genre", "BPM", "Key", "Energy", "Time"]
    # fixed columns take what they need; Artist and Genre are capped; Title gets the rest
    fixed = [
        max(len(heads[i]), *(len(r[i]) for r in rows)) if rows else len(heads[i])
        for i in (0, 4, 5, 6, 7)
    ]
    artist = min(18, max([6, *(len(r[2]) for r in rows)]))
    genre = min(12, max([5, *(len(r[3]) for r in rows)]))
    gaps = 2 * 7
    title = max(12, width - sum(fixed) - artist - genre - gaps)
    widths = [fixed[0], title, artist, genre, *fixed[1:]]
    right = {0, 4, 5, 6, 7}

    def line(cells: list[str]) -> str:
        parts = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            cell = cut(cell, w)
            parts.append(cell.rjust(w) if i in right else cell.ljust(w))
        return "  ".join(parts).rstrip()

    out.write(line(heads) + "\n")
    out.write(line(["-" * w for w in widths]) + "\n")
    indent = " " * (widths[0] + 2)
    for r in rows:
        out.write(line(r[:8]) + "\n")
        if r[8]:
            out.write(indent + cut(r[8], width - len(indent)) + "\n")
        if r[9]:
            out.write(indent + cut(f"↳ {r[9]}", width - len(indent)) + "\n")
    s = result.stats
    out.write(
        f"\n{s['tracks']} tracks, {s['duration_minutes']} min, "
        f"{s['harmonic_transitions']}/{s['transitions']} harmonic transitions, "
        f"mean tempo jump {s['mean_tempo_jump']} BPM\n"
    )


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def mmss(ms: int) -> str:
    return f"{ms // 60000}:{ms // 1000 % 60:02d}"


# ---------------------------------------------------------------- serve


def cmd_serve(args: argparse.Namespace) -> int:
    if args.refresh_every:
        os.environ["AIDJ_REFRESH_EVERY_MINUTES"] = str(args.refresh_every)
    from aidj.catalog import CatalogError, load_catalog
    from aidj_service.config import Settings, SettingsError
    from aidj_service.server import serve as run_server

    if args.catalog is not None:
        os.environ["AIDJ_CATALOG"] = str(args.catalog)
    try:
        settings = Settings.from_env()
        # fail fast with one clear line (and compile the cache once, before workers start)
        from aidj_service.progress_view import ProgressView

        load_catalog(
            settings.catalog, cache_dir=settings.cache_dir, progress=ProgressView(sys.stderr)
        )
        run_server(args.host, args.port, args.workers, settings)
    except (SettingsError, CatalogError) as exc:
        fail(str(exc))
    return 0


# ---------------------------------------------------------------- living playlists (local history)


def local_api(catalog: Path | None) -> Api:
    """The HTTP API's own object over the local history: the CLI and the server share every rule."""
    from dataclasses import replace

    from aidj.catalog import CatalogError
    from aidj_service.api import Api
    from aidj_service.config import Settings, SettingsError

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
    from aidj_service.http import Request

    api = local_api(catalog)
    try:
        raw = json.dumps(body).encode() if body is not None else b""
        response = api.handle(
            Request(
                method=method,
                path=path,
                query=query or {},
                headers={},
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


# ---------------------------------------------------------------- arguments


def track_count(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{value} is not from 1 to 100")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
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

    from aidj_service.catalog_cli import add_catalog_commands

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
