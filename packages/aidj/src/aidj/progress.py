"""Progress of long work (compiling a catalog), reported by the core and rendered by the CLI.

The core knows the stages and how far along each is; it knows nothing of terminals. It calls a
:data:`ProgressCallback` with plain values, and an adapter decides how to show them (a bar with
an ETA on a terminal, plain lines in a log).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# The stages of a catalog compile, in order: reading the CSVs, folding versions into songs,
# genre relations and bitsets, then the id and genre indexes (and writing the files).
COMPILE_STAGES = ("read", "songs", "genres", "index")


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """``done`` of ``total`` units of ``stage`` (``total`` 0: a stage without a measure)."""

    stage: str
    done: int
    total: int
    unit: str = ""

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done >= self.total


ProgressCallback = Callable[[ProgressEvent], None]


def ignore_progress(event: ProgressEvent) -> None:
    """The callback when nobody watches."""
