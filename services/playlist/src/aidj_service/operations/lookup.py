"""Finding a stored playlist by the id in a URL: the one rule every route that reads one follows."""

from __future__ import annotations

import re

from aidj_service.edge.http import NotFound
from aidj_service.stores.history import HistoryStore, PlaylistRecord

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def find_playlist(store: HistoryStore, raw_id: str) -> PlaylistRecord:
    """The playlist ``raw_id`` names (any case), or a 404 saying how to get one."""
    playlist_id = raw_id.lower()
    record = store.get(playlist_id) if UUID_RE.match(playlist_id) else None
    if record is None:
        raise NotFound(
            "no playlist with this id: check the link, or create one with POST /playlist",
            code="playlist_not_found",
        )
    return record
