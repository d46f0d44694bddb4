"""One delivery: match the tracks, create the playlist once, report what was left out.

Idempotent per (playlist id, version, platform): the ledger remembers the match report, the
playlist once created and the result, and the playlist's description carries a marker derived
from the same key, so a retry (a timed-out answer, a failed batch, a client that resends)
completes or returns the first playlist instead of creating a second one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aidj.matching import Match, MatchReport, Unmatched, Wanted, match_tracks
from aidj_service.delivery.errors import PlatformPartialWriteError, TargetPlaylist
from aidj_service.delivery.ledger import DeliveryLedger
from aidj_service.delivery.platform import Platform


@dataclass(frozen=True, slots=True)
class DeliveryRequest:
    playlist_id: str
    version: int
    name: str
    tracks: tuple[Wanted, ...]
    description: str = ""


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    platform: str
    url: str | None  # None when no track was found: nothing was created
    target_id: str | None
    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
    notices: tuple[str, ...] = ()
    usage: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The API's answer shape."""
        return {
            "platform": self.platform,
            "url": self.url,
            "target_id": self.target_id,
            "matched": len(self.matches),
            "matches": [
                {"track_id": m.track_id, "target_id": m.target_id, "confidence": m.confidence}
                for m in self.matches
            ],
            "unmatched": [
                {
                    "track_id": u.track_id,
                    "name": u.name,
                    "artists": list(u.artists),
                    "code": u.code,
                    "why": u.why,
                }
                for u in self.unmatched
            ],
            "notices": list(self.notices),
            "usage": dict(self.usage),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DeliveryResult:
        report = _report_from(data)
        return cls(
            platform=data["platform"],
            url=data["url"],
            target_id=data["target_id"],
            matches=report.matches,
            unmatched=report.unmatched,
            notices=tuple(data.get("notices") or ()),
            usage=dict(data.get("usage") or {}),
        )


def delivery_key(playlist_id: str, version: int, platform: str) -> str:
    return f"{platform}:{playlist_id}:v{version}"


def marker(key: str) -> str:
    """The tag a delivered playlist's description carries: stable for a key, opaque to readers."""
    return "aidj:" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _report_dict(report: MatchReport) -> dict[str, Any]:
    return DeliveryResult("", None, None, report.matches, report.unmatched).to_dict()


def _report_from(data: Mapping[str, Any]) -> MatchReport:
    return MatchReport(
        tuple(Match(m["track_id"], m["target_id"], m["confidence"]) for m in data["matches"]),
        tuple(
            Unmatched(u["track_id"], u["name"], tuple(u["artists"]), u["code"], u["why"])
            for u in data["unmatched"]
        ),
    )


def _notices(platform: Platform, report: MatchReport, total: int) -> tuple[str, ...]:
    left_out = len(report.unmatched)
    if not left_out:
        return ()
    if not report.matches:
        return (f"None of the {total} tracks was found on {platform.label}: nothing was created.",)
    return (
        f"{left_out} of {total} tracks were left out: {platform.label} has no sure match for "
        "them (see unmatched for why).",
    )


def deliver(platform: Platform, request: DeliveryRequest, ledger: DeliveryLedger) -> DeliveryResult:
    """Deliver ``request`` to ``platform``, at most one playlist per (playlist, version, platform)."""
    key = delivery_key(request.playlist_id, request.version, platform.name)
    record: dict[str, Any] = ledger.get(key) or {}
    if record.get("result"):
        return DeliveryResult.from_dict(record["result"])

    if record.get("report"):
        report = _report_from(record["report"])
    else:
        report = match_tracks(request.tracks, platform.search)
        record["report"] = _report_dict(report)
        ledger.put(key, record)

    target_ids: Sequence[str] = report.target_ids
    target: TargetPlaylist | None = None
    if target_ids:
        tag = marker(key)
        remembered = record.get("target")
        target = (
            TargetPlaylist(remembered["id"], remembered["url"])
            if remembered
            else platform.find_playlist(tag)
        )
        if target is not None:
            platform.complete_playlist(target, target_ids)
        else:
            # Short, so no platform's length limit cuts the marker off (Spotify keeps 300).
            description = request.description[:200]
            try:
                target = platform.create_playlist(request.name, description, target_ids, marker=tag)
            except PlatformPartialWriteError as exc:
                record["target"] = {"id": exc.playlist.id, "url": exc.playlist.url}
                ledger.put(key, record)
                raise
        record["target"] = {"id": target.id, "url": target.url}
        ledger.put(key, record)

    result = DeliveryResult(
        platform=platform.name,
        url=target.url if target else None,
        target_id=target.id if target else None,
        matches=report.matches,
        unmatched=report.unmatched,
        notices=_notices(platform, report, len(request.tracks)),
        usage=dict(platform.usage()),
    )
    record["result"] = result.to_dict()
    ledger.put(key, record)
    return result
