"""What the engine benchmarks share: the dev prompts they time and the percentile they report.

The benchmarks run as scripts (``uv run python benchmarks/engine.py``), so this module sits beside
them and is imported by its plain name.
"""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT_PROMPTS = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev_prompts.jsonl"
)


def read_prompts(path: str | Path) -> list[str]:
    """The ``prompt`` of every line of a JSON-lines prompt file, in order."""
    return [
        json.loads(line)["prompt"]
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def pct(values: list[float], p: float) -> float:
    """The ``p``-th percentile by nearest rank (no interpolation: a time that was measured)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
