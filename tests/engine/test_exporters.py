"""Exports: M3U8, XSPF and JSON of the same playlist."""

import json
import xml.etree.ElementTree as ET

import pytest

from aidj.engine import build_playlist
from aidj.exporters import export
from aidj.intent import Intent
from aidj.playlist import Playlist


@pytest.fixture(scope="module")
def playlist(catalog):
    return build_playlist(
        catalog, Intent(genres=["french"], limit=12, playlist_name="Chansons & <Co>")
    )


def test_m3u8_has_one_entry_per_track(playlist):
    body, ctype = export(playlist, "m3u8")
    lines = body.decode().splitlines()
    assert lines[0] == "#EXTM3U" and ctype.startswith("audio/x-mpegurl")
    assert sum(line.startswith("#EXTINF:") for line in lines) == 12
    assert f"https://open.spotify.com/track/{playlist.tracks[0].id}" in lines


def test_xspf_is_valid_xml_with_escaped_title(playlist):
    body, _ = export(playlist, "xspf")
    root = ET.fromstring(body)
    ns = {"x": "http://xspf.org/ns/0/"}
    assert root.find("x:title", ns).text == "Chansons & <Co>"
    assert len(root.findall("x:trackList/x:track", ns)) == 12


def test_json_round_trips(playlist):
    body, _ = export(playlist, "json")
    again = Playlist.from_dict(json.loads(body))
    assert [t.id for t in again.tracks] == [t.id for t in playlist.tracks]
    assert again.intent == playlist.intent


def test_unknown_format_is_refused(playlist):
    with pytest.raises(ValueError, match="m3u8"):
        export(playlist, "mp3")
