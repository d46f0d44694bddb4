"""Delivering a stored playlist: what ``POST /playlists/{id}/deliver`` and ``aidj deliver`` share.

The caller reads the playlist (its current version, or an archived one) from history; this
opens the platform from the registry and runs the idempotent delivery.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aidj_service.delivery.deliver import DeliveryRequest, DeliveryResult, deliver
from aidj_service.delivery.ledger import DeliveryLedger
from aidj_service.delivery.models import wanted_tracks
from aidj_service.delivery.registry import PLATFORMS
from aidj_service.delivery.settings import DeliverySettings


def delivery_request(playlist_id: str, version: int, data: Mapping[str, Any]) -> DeliveryRequest:
    """The delivery of one version of a stored playlist (``data``: that version's fields)."""
    prompt = str(data.get("prompt") or "")
    language = (data.get("parameters") or {}).get("language")
    return DeliveryRequest(
        playlist_id=playlist_id,
        version=version,
        name=str(data.get("name") or "AI DJ Mix"),
        tracks=wanted_tracks(list(data.get("tracks") or [])),
        description=f"AI DJ: {prompt}" if prompt else "AI DJ",
        language=language if isinstance(language, str) else None,
    )


def deliver_playlist(
    platform: str,
    request: DeliveryRequest,
    *,
    credentials: Mapping[str, str],
    settings: DeliverySettings,
    ledger: DeliveryLedger,
    deadline: float | None = None,
) -> DeliveryResult:
    """Open ``platform`` with the listener's ``credentials`` and deliver ``request`` once."""
    opened = PLATFORMS.open(platform, settings, credentials, deadline=deadline)
    return deliver(opened, request, ledger)
