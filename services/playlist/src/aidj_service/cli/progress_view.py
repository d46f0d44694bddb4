"""How the CLI shows the core's progress (:mod:`aidj.progress`): a bar with an ETA on a
terminal, a few plain lines anywhere else (a log, CI, a pipe).

Compiling a million tracks takes tens of seconds; silence that long looks like a hang.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from aidj.progress import COMPILE_STAGES, ProgressEvent

BAR_WIDTH = 24
# A terminal bar is redrawn at most this often; plain lines at most every PLAIN_EVERY_S.
REDRAW_EVERY_S = 0.1
PLAIN_EVERY_S = 5.0
STAGE_NAMES = {
    "read": "reading the CSVs",
    "songs": "folding versions into songs",
    "genres": "relating genres",
    "index": "indexing and writing",
}


def amount(value: int, unit: str) -> str:
    if unit == "bytes":
        return f"{value / 1e6:,.1f} MB"
    return f"{value:,} {unit}".rstrip()


def clock_text(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressView:
    """A :data:`aidj.progress.ProgressCallback` that writes to ``stream``."""

    def __init__(
        self,
        stream: TextIO,
        *,
        terminal: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.terminal = stream.isatty() if terminal is None else terminal
        self.clock = clock
        self.stage = ""
        self.stage_started = 0.0
        self.last_shown = float("-inf")

    def __call__(self, event: ProgressEvent) -> None:
        now = self.clock()
        if event.stage != self.stage:
            self._begin(event, now)
        if event.finished:
            self._finish(event, now)
        elif now - self.last_shown >= (REDRAW_EVERY_S if self.terminal else PLAIN_EVERY_S):
            self._show(event, now)

    def eta(self, event: ProgressEvent, now: float) -> float | None:
        """Seconds left in this stage at its pace so far; None before there is a pace."""
        spent = now - self.stage_started
        if event.fraction <= 0 or spent <= 0:
            return None
        return spent * (1 - event.fraction) / event.fraction

    def label(self, stage: str) -> str:
        number = COMPILE_STAGES.index(stage) + 1 if stage in COMPILE_STAGES else 0
        name = STAGE_NAMES.get(stage, stage)
        return f"[{number}/{len(COMPILE_STAGES)}] {name}" if number else name

    def _begin(self, event: ProgressEvent, now: float) -> None:
        self.stage, self.stage_started, self.last_shown = event.stage, now, now
        if not self.terminal:
            size = f" ({amount(event.total, event.unit)})" if event.total and event.unit else ""
            self._write(f"{self.label(event.stage)}{size}\n")

    def _show(self, event: ProgressEvent, now: float) -> None:
        self.last_shown = now
        eta = self.eta(event, now)
        left = f"  ETA {clock_text(eta)}" if eta is not None else ""
        if self.terminal:
            filled = round(BAR_WIDTH * event.fraction)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self._write(f"\r{self.label(event.stage)} [{bar}] {event.fraction:4.0%}{left}\x1b[K")
        else:
            self._write(f"{self.label(event.stage)}: {event.fraction:.0%}{left}\n")

    def _finish(self, event: ProgressEvent, now: float) -> None:
        spent = clock_text(now - self.stage_started)
        done = f"{self.label(event.stage)}: done in {spent}"
        self._write(f"\r{done}\x1b[K\n" if self.terminal else f"{done}\n")
        self.stage = ""  # a later event of the same stage starts it again

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
