"""Which region may change a playlist, when the stack runs in several (``AIDJ_REGIONS``).

The history table is a DynamoDB global table: each region writes its own replica and
replication settles two writes to one item by *last writer wins*. The service's guarantees
(versions numbered 1, 2, 3 without gaps or losses; a write either applies to the version it
read or is retried) rest on conditional writes, and a condition is only checked against the
replica it runs in. So every change to a playlist is made in one region, its **home**:

- A playlist's home is the region that created it (``data["home_region"]``); playlists made
  before regions were turned on belong to the first listed region, the stack's home.
- Every state-changing operation on a playlist (new version, revert, extend, schedule, play,
  the hourly refresh) runs only in its home region. Elsewhere the service answers 421
  ``wrong_region`` naming the home, before touching anything; reads work in every region.
- Each region's refresh round takes only the due playlists homed there.
- Creation has nothing to conflict with (a new random id), and an ``Idempotency-Key`` claim is
  a conditional write like the others, so it holds within the region that served it: clients
  retry against the same regional endpoint (the page always does). A retry that lands in
  another region within the replication lag may create a second playlist, never corrupt one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

REGIONS_VARIABLE = "AIDJ_REGIONS"
HOME_FIELD = "home_region"


class WrongRegion(Exception):
    """A change was asked of a region that is not the playlist's home."""

    def __init__(self, playlist_id: str, home: str, here: str) -> None:
        super().__init__(
            f"playlist {playlist_id} is changed only in its home region {home} (this is {here}): "
            f"send the change to the API in {home}; reading it works in every region"
        )
        self.home = home


@dataclass(frozen=True)
class HomeRegions:
    here: str | None = None  # this process's region (Lambda sets AWS_REGION)
    regions: tuple[str, ...] = ()  # the stack's regions, home first; () for one region

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HomeRegions:
        regions = tuple(r.strip() for r in env.get(REGIONS_VARIABLE, "").split(",") if r.strip())
        if len(regions) < 2:
            return cls()
        here = (env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "").strip()
        if here not in regions:
            raise ValueError(
                f"{REGIONS_VARIABLE} lists {', '.join(regions)} but this runs in "
                f"{here or 'no region (AWS_REGION is unset)'}: set AWS_REGION to one of them"
            )
        return cls(here=here, regions=regions)

    @property
    def active(self) -> bool:
        return self.here is not None

    def stamp(self, data: dict[str, Any]) -> None:
        """Mark a new playlist's data with its home: the region creating it."""
        if self.here is not None:
            data[HOME_FIELD] = self.here

    def home_of(self, data: Mapping[str, Any]) -> str | None:
        if not self.regions:
            return None
        home = data.get(HOME_FIELD)
        return home if isinstance(home, str) and home in self.regions else self.regions[0]

    def is_home(self, data: Mapping[str, Any]) -> bool:
        return self.here is None or self.home_of(data) == self.here

    def check_write(self, playlist_id: str, data: Mapping[str, Any]) -> None:
        """Raise :class:`WrongRegion` unless this region may change the playlist."""
        if self.here is not None and not self.is_home(data):
            raise WrongRegion(playlist_id, self.home_of(data) or "", self.here)
