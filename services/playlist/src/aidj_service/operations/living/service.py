"""Living playlists as one object: the version book, Spotify following and the three route groups.

The routes name :attr:`versions`, :attr:`schedules` and :attr:`playback` directly; this object
is what the refreshers (``aidj serve``'s thread, the Lambda's scheduled event, ``aidj refresh``)
and reading routes hold on to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aidj_service.operations.context import Context
from aidj_service.operations.living.book import PlaylistBook
from aidj_service.operations.living.follow import SpotifyFollow
from aidj_service.operations.living.playback import Playback
from aidj_service.operations.living.schedules import Schedules
from aidj_service.operations.living.versions import Versions
from aidj_service.stores.history import PlaylistRecord

if TYPE_CHECKING:
    from aidj_service.stores.tokens import TokenVault


class Living:
    def __init__(self, ctx: Context, clock: Callable[[], datetime] | None = None) -> None:
        self.book = PlaylistBook(ctx, clock)
        self.follow = SpotifyFollow(ctx, self.book)
        self.versions = Versions(ctx, self.book, self.follow)
        self.schedules = Schedules(ctx, self.book, self.follow)
        self.playback = Playback(ctx, self.book)

    @property
    def clock(self) -> Callable[[], datetime]:
        """What stamps versions and decides what is due (a test sets its own)."""
        return self.book.clock

    @clock.setter
    def clock(self, clock: Callable[[], datetime]) -> None:
        self.book.clock = clock

    @property
    def vault(self) -> TokenVault | None:
        return self.follow.vault

    def refresh_due(self, limit: int = 100) -> dict[str, int]:
        return self.schedules.refresh_due(limit)

    def version_data(self, record: PlaylistRecord, version: int) -> dict[str, Any]:
        return self.book.version_data(record, version)
