"""The ``aidj`` command: playlists in the terminal, batch mode for evaluation, and the server."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich import box
from rich.table import Table
from rich.text import Text

app = typer.Typer(add_completion=False, no_args_is_help=True, help="AI DJ: one sentence in, a DJ-quality playlist out.")
err = Console(stderr=True)

CatalogOpt = Annotated[
    Optional[Path],
    typer.Option("--catalog", help="Catalog CSV or compiled cache dir (default: $AIDJ_CATALOG or ../shared/data/spotify_tracks_114k.csv)"),
]


def _load_dj(catalog: Optional[Path]):
    from aidj.catalog import CatalogError
    from aidj.dj import DJ

    try:
        return DJ.load(catalog)
    except CatalogError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def _mmss(ms: int) -> str:
    return f"{ms // 60000}:{ms // 1000 % 60:02d}"


@app.command()
def interpret(prompt: str, catalog: CatalogOpt = None) -> None:
    """Print only the musical parameters a prompt turns into."""
    dj = _load_dj(catalog)
    print(json.dumps(dj.interpret(prompt).model_dump(mode="json"), ensure_ascii=False, indent=2))


@app.command()
def playlist(
    prompt: Annotated[Optional[str], typer.Argument(help="What you want to hear, in one sentence")] = None,
    catalog: CatalogOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    out: Annotated[Optional[Path], typer.Option("--out", help="Also write FILE.m3u8, .xspf or .json")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, max=100, help="Number of tracks")] = None,
    batch: Annotated[Optional[str], typer.Option("--batch", help="'-': read JSON lines {id, prompt} on stdin, write one JSON result per line")] = None,
) -> None:
    """Build a playlist from a prompt."""
    if batch is not None:
        _batch(catalog, batch)
        return
    if not prompt or not prompt.strip():
        err.print("[red]error:[/red] give a prompt, e.g. aidj playlist \"energetic music for working out\"")
        raise typer.Exit(2)
    if fmt not in ("table", "json"):
        err.print("[red]error:[/red] --format must be 'table' or 'json'")
        raise typer.Exit(2)
    dj = _load_dj(catalog)
    result = dj.playlist(prompt, limit=limit)
    if out is not None:
        from aidj.exporters import EXPORTERS, export

        suffix = out.suffix.lstrip(".").lower()
        if suffix not in EXPORTERS:
            err.print(f"[red]error:[/red] --out must end in one of: {', '.join('.' + e for e in sorted(EXPORTERS))}")
            raise typer.Exit(2)
        body, _ = export(result, suffix)
        out.write_bytes(body)
        err.print(f"wrote {len(result.tracks)} tracks to {out}")
    if fmt == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    _print_table(result)


def _print_table(result) -> None:
    console = Console()
    params = {k: v for k, v in result.intent.model_dump(mode="json").items() if v not in (None, [], "flat")}
    console.print(f"[bold]{result.name}[/bold]")
    console.print(", ".join(f"{k}={v}" for k, v in params.items() if k not in ("playlist_name", "unmet")), style="dim")
    for notice in result.notices:
        console.print(f"note: {notice}", style="yellow")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Title · why it was picked", overflow="fold", ratio=1, min_width=20)
    table.add_column("Artist", overflow="ellipsis", max_width=18, no_wrap=True)
    table.add_column("Genre", overflow="ellipsis", max_width=12, no_wrap=True)
    for col in ("BPM", "Key", "Energy", "Time"):
        table.add_column(col, justify="right", no_wrap=True)
    matched = set(result.intent.genres)
    for n, t in enumerate(result.tracks, 1):
        genre = next((g for g in t.genres if g in matched), t.genres[0] if t.genres else "")
        title = Text(t.name)
        title.append(f"\n{t.reason}", style="dim")
        if t.transition:
            title.append(f"\n↳ {t.transition}", style="dim")
        table.add_row(
            str(n), title, t.artists[0] if t.artists else "", genre, f"{t.tempo:.0f}",
            t.camelot, f"{t.energy:.2f}", _mmss(t.duration_ms),
        )
    console.print(table)
    s = result.stats
    console.print(
        f"{s['tracks']} tracks, {s['duration_minutes']} min, "
        f"{s['harmonic_transitions']}/{s['transitions']} harmonic transitions, "
        f"mean tempo jump {s['mean_tempo_jump']} BPM",
        style="dim",
    )


def _batch(catalog: Optional[Path], source: str) -> None:
    if source != "-":
        err.print("[red]error:[/red] --batch only reads stdin: use --batch -")
        raise typer.Exit(2)
    dj = _load_dj(catalog)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            prompt = item["prompt"] if isinstance(item, dict) else None
            if not isinstance(prompt, str):
                raise ValueError("each line needs a string 'prompt'")
            result = {"id": item.get("id"), **dj.playlist(prompt).to_dict()}
        except (ValueError, KeyError) as exc:
            result = {"error": {"code": "invalid_line", "message": str(exc)}}
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind; 127.0.0.1 keeps it local")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    catalog: CatalogOpt = None,
) -> None:
    """Run the HTTP API and web page on the embedded defaults (local interpreter, SQLite history)."""
    import os

    from aidj.catalog import CatalogError, load_catalog
    from aidj_service.config import Settings, SettingsError
    from aidj_service.server import serve as run_server

    if catalog is not None:
        os.environ["AIDJ_CATALOG"] = str(catalog)
    try:
        settings = Settings.from_env()
        # fail fast with one clear line (and compile the cache once, before workers start)
        load_catalog(settings.catalog, cache_dir=settings.cache_dir)
        run_server(host, port, workers, settings)
    except (SettingsError, CatalogError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def main() -> None:
    app()


if __name__ == "__main__":
    main()
