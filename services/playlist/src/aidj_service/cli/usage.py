"""What every command shares: the usage error, the one-line failure, prompt and path checks, the engine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from aidj.dj import DJ

# the API's limit (aidj_service.models.MAX_PROMPT_CHARS): the CLI takes no prompt the API would refuse
MAX_PROMPT_CHARS = 1000


EXPORT_SUFFIXES = ("json", "m3u8", "xspf")


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
    from aidj_service.cli.progress_view import ProgressView

    try:
        # a first run compiles the catalog: show its stages rather than tens of silent seconds
        return DJ.load(catalog, progress=ProgressView(sys.stderr))
    except CatalogError as exc:
        fail(str(exc))
