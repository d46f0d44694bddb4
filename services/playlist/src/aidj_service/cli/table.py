"""The playlist as a plain-text table that fits the terminal."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from aidj.playlist import Playlist


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
