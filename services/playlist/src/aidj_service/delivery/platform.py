"""What a music platform must offer to receive a playlist: the :class:`Platform` protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from aidj.matching import Candidate, Wanted
from aidj_service.delivery.errors import TargetPlaylist


def tagged(description: str, marker: str) -> str:
    """A description carrying the delivery's marker at its end: "Made by AI DJ [aidj:0f3c…]"."""
    return " ".join(part for part in (description, f"[{marker}]") if part)


class Platform(Protocol):
    """One signed-in account on one platform (built per delivery by the registry)."""

    name: str  # the registry name: "apple_music"
    label: str  # what people call it: "Apple Music"

    def search(self, track: Wanted) -> Sequence[Candidate]:
        """The platform's songs that may be ``track``, best first by the platform's ranking."""
        ...

    def find_playlist(self, marker: str) -> TargetPlaylist | None:
        """The account's playlist whose description holds ``marker`` (an earlier, interrupted
        delivery of the same playlist), or None; platforms that cannot list return None."""
        ...

    def create_playlist(
        self, name: str, description: str, target_ids: Sequence[str], *, marker: str
    ) -> TargetPlaylist:
        """A new playlist holding ``target_ids`` in order (in one request where the API allows),
        carrying ``marker`` where :meth:`find_playlist` looks (usually :func:`tagged` description).

        Raises :class:`~aidj_service.delivery.errors.PlatformPartialWriteError` when it was
        created but not filled, so a retry can complete it.
        """
        ...

    def complete_playlist(self, playlist: TargetPlaylist, target_ids: Sequence[str]) -> None:
        """Make an existing playlist hold ``target_ids``: add what is missing, never twice."""
        ...

    def usage(self) -> Mapping[str, int]:
        """What this delivery cost on metered APIs (YouTube: ``{"quota_units": N}``), else {}."""
        ...
