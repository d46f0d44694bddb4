"""A stored playlist as a file to download: ``/playlists/{id}.m3u8``, ``.xspf`` or ``.json``."""

from __future__ import annotations

import re
from typing import Any

from aidj.playlist import Playlist
from aidj_service.edge.http import Response
from aidj_service.responses import EXPORT_FORMATS


def export_format(raw_id: str) -> tuple[str, str | None]:
    """``"<id>.m3u8"`` -> ``("<id>", "m3u8")``; an id without a known extension -> ``(id, None)``."""
    stem, dot, ext = raw_id.rpartition(".")
    if dot and ext.lower() in EXPORT_FORMATS:
        return stem, ext.lower()
    return raw_id, None


def export_response(data: dict[str, Any], fmt: str) -> Response:
    """The playlist ``data`` (one version of a record) as an attachment in ``fmt``."""
    from aidj.exporters import export

    content, content_type = export(Playlist.from_dict(data), fmt)
    filename = file_name(data.get("name") or "playlist")
    return Response(
        200,
        content,
        {
            "content-type": content_type,
            "content-disposition": f'attachment; filename="{filename}.{fmt}"',
        },
    )


def file_name(name: str) -> str:
    """A playlist name as a safe ASCII file name (no path, no quotes), ``playlist`` when nothing is left."""
    cleaned = re.sub(r"[^\w\- ]+", "", name, flags=re.UNICODE).strip()
    return re.sub(r"\s+", "-", cleaned)[:80].encode("ascii", "ignore").decode() or "playlist"
