"""The playlist as a plain-text table that fits the terminal."""

from __future__ import annotations

import shutil
import unicodedata
from typing import TYPE_CHECKING, TextIO

from aidj.intent import Intent

if TYPE_CHECKING:
    from aidj.playlist import Playlist


def print_table(result: Playlist, out: TextIO, width: int | None = None) -> None:
    """The playlist as a plain-text table that fits ``width`` columns; numbers are never cut."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    width = max(width, 60)
    # what the prompt set: a field at its default says nothing ("bounds={}", "covers=False"), but
    # whether explicit songs may play is always worth a word
    defaults = Intent().to_dict()
    params = {
        k: v
        for k, v in result.intent.to_dict().items()
        if k == "explicit" or (v != defaults.get(k) and v not in (None, [], {}))
    }
    out.write(f"{result.name}\n")
    out.write(
        ", ".join(parameter(k, v) for k, v in params.items() if k not in ("playlist_name", "unmet"))
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
        max(width_of(heads[i]), *(width_of(r[i]) for r in rows)) if rows else width_of(heads[i])
        for i in (0, 4, 5, 6, 7)
    ]
    artist = min(18, max([6, *(width_of(r[2]) for r in rows)]))
    genre = min(12, max([5, *(width_of(r[3]) for r in rows)]))
    gaps = 2 * 7
    title = max(12, width - sum(fixed) - artist - genre - gaps)
    widths = [fixed[0], title, artist, genre, *fixed[1:]]
    right = {0, 4, 5, 6, 7}

    def line(cells: list[str]) -> str:
        parts = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            cell = cut(cell, w)
            pad = " " * (w - width_of(cell))
            parts.append(pad + cell if i in right else cell + pad)
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


def parameter(name: str, value: object) -> str:
    """One parameter of the header; ``explicit`` in words (``explicit=True`` read as "explicit songs chosen")."""
    if name == "explicit":
        return "explicit allowed" if value else "clean only"
    return f"{name}={value}"


def char_width(char: str) -> int:
    """Terminal columns ``char`` takes: 2 for East Asian wide and full-width, 0 for combining marks."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width_of(text: str) -> int:
    """Terminal columns ``text`` takes (``len`` counts a Japanese title at half its width)."""
    return sum(char_width(c) for c in text)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` columns, ending in "…" when it had to be cut."""
    if width_of(text) <= width:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        w = char_width(char)
        if used + w > max(0, width - 1):
            break
        kept.append(char)
        used += w
    return "".join(kept) + "…"


def mmss(ms: int) -> str:
    return f"{ms // 60000}:{ms // 1000 % 60:02d}"
