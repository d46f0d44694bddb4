"""The opt-in refresher inside ``aidj serve``: every few minutes, due playlists get their fresh version.

A daemon thread per process. With several workers each runs one; that is safe, because a
refresh of a playlist that another worker has just refreshed finds it no longer due and skips it.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

log = logging.getLogger(__name__)


class DuePlaylists(Protocol):
    def refresh_due(self) -> dict[str, int]: ...


class LivingApi(Protocol):
    """The service whose due playlists a round refreshes (:class:`aidj_service.edge.api.Api`)."""

    @property
    def living(self) -> DuePlaylists: ...


class Refresher:
    def __init__(self, api: LivingApi, every_s: float) -> None:
        self.api = api
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="aidj-refresher", daemon=True)

    def start(self) -> Refresher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def run_once(self) -> dict[str, int]:
        try:
            return self.api.living.refresh_due()
        except Exception:
            log.warning("the scheduled refresh round failed", exc_info=True)
            return {"refreshed": 0, "failed": 0}

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.run_once()
