"""Where the resources being declared live: the stack's home region, or one more region.

The home region's resources keep their plain logical names and the stack's ``aws:region``, so
turning ``aidj:regions`` on changes nothing that already exists there. Another region's copies
get a ``-<region>`` suffix (logical names are unique per stack) and pulumi-aws's per-resource
``region`` argument (None: the stack's own), which saves a provider per region.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    region: str | None = None  # None: the home region (the stack's aws:region)

    def name(self, logical: str) -> str:
        return logical if self.region is None else f"{logical}-{self.region}"


HOME = Placement()
