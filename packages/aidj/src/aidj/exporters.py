"""Playlist files: M3U8 (players), XSPF (the XML playlist standard) and JSON.

Entries point at Spotify (``https://open.spotify.com/track/<id>``) because the catalog holds
metadata, not audio; players that resolve Spotify links (or any tool keyed by track id) can
play them, and every format carries title, artist and length.
"""

from __future__ import annotations

import json
from typing import Protocol
from xml.sax.saxutils import escape

from aidj.playlist import Playlist

SPOTIFY_TRACK_URL = "https://open.spotify.com/track/{id}"


class Exporter(Protocol):
    extension: str
    content_type: str

    def render(self, playlist: Playlist) -> bytes: ...


def _clean(text: str) -> str:
    # M3U is line-based: a newline inside a title would start a bogus entry
    return " ".join(text.split())


class M3U8Exporter:
    extension = "m3u8"
    content_type = "audio/x-mpegurl; charset=utf-8"

    def render(self, playlist: Playlist) -> bytes:
        lines = ["#EXTM3U", f"#PLAYLIST:{_clean(playlist.name)}"]
        for t in playlist.tracks:
            artists = _clean(", ".join(t.artists))
            lines.append(f"#EXTINF:{round(t.duration_ms / 1000)},{artists} - {_clean(t.name)}")
            lines.append(SPOTIFY_TRACK_URL.format(id=t.id))
        return ("\n".join(lines) + "\n").encode("utf-8")


class XSPFExporter:
    extension = "xspf"
    content_type = "application/xspf+xml"

    def render(self, playlist: Playlist) -> bytes:
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<playlist version="1" xmlns="http://xspf.org/ns/0/">',
            f"  <title>{escape(playlist.name)}</title>",
            "  <creator>AI DJ</creator>",
            "  <trackList>",
        ]
        for t in playlist.tracks:
            out += [
                "    <track>",
                f"      <location>{escape(SPOTIFY_TRACK_URL.format(id=t.id))}</location>",
                f"      <identifier>{escape(t.uri)}</identifier>",
                f"      <title>{escape(t.name)}</title>",
                f"      <creator>{escape(', '.join(t.artists))}</creator>",
                f"      <album>{escape(t.album)}</album>",
                f"      <duration>{t.duration_ms}</duration>",
                "    </track>",
            ]
        out += ["  </trackList>", "</playlist>"]
        return ("\n".join(out) + "\n").encode("utf-8")


class JSONExporter:
    extension = "json"
    content_type = "application/json"

    def render(self, playlist: Playlist) -> bytes:
        data = {"name": playlist.name, **playlist.to_dict()}
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


EXPORTERS: dict[str, Exporter] = {
    e.extension: e for e in (M3U8Exporter(), XSPFExporter(), JSONExporter())
}


def export(playlist: Playlist, fmt: str) -> tuple[bytes, str]:
    """Render ``playlist`` as ``fmt`` (m3u8, xspf or json); returns (body, content type)."""
    exporter = EXPORTERS.get(fmt.lower().lstrip("."))
    if exporter is None:
        raise ValueError(
            f"unknown export format {fmt!r}; use one of {', '.join(sorted(EXPORTERS))}"
        )
    return exporter.render(playlist), exporter.content_type
