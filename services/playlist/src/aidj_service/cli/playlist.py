"""``aidj playlist`` and ``aidj interpret``: a prompt in, a table, JSON or an export file out."""

from __future__ import annotations

import argparse
import json
import sys

from aidj_service.cli.batch import run_batch
from aidj_service.cli.table import print_table
from aidj_service.cli.usage import UsageError, check_out, check_prompt, fail, load_dj


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
