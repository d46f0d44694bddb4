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

from aidj.delivery_notices import left_out, why
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
    language: str | None = None  # the prompt's: what the answer's sentences are written in


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What a delivery did. Sentences are written when answering (:meth:`to_dict`), in the
    playlist's language; the ledger keeps the codes and what they are about (:meth:`to_record`)."""

    platform: str
    url: str | None  # None when no track was found: nothing was created
    target_id: str | None
    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
    label: str = ""  # what people call the platform: "Apple Music"
    language: str | None = None
    usage: Mapping[str, int] = field(default_factory=dict)

    @property
    def notices(self) -> tuple[str, ...]:
        total = len(self.matches) + len(self.unmatched)
        return left_out(
            self.label or self.platform,
            matched=len(self.matches),
            total=total,
            language=self.language,
        )

    def to_dict(self) -> dict[str, Any]:
        """The API's answer shape."""
        label = self.label or self.platform
        return {
            "platform": self.platform,
            "url": self.url,
            "target_id": self.target_id,
            "matched": len(self.matches),
            "matches": [_match_dict(m) for m in self.matches],
            "unmatched": [
                {
                    "track_id": u.track_id,
                    "name": u.name,
                    "artists": list(u.artists),
                    "reason": u.reason,
                    "why": why(u, label, self.language),
                }
                for u in self.unmatched
            ],
            "notices": list(self.notices),
            "usage": dict(self.usage),
        }

    def to_record(self) -> dict[str, Any]:
        """What the ledger keeps: codes, not sentences (:meth:`from_record` reads it back)."""
        return {
            "platform": self.platform,
            "label": self.label,
            "language": self.language,
            "url": self.url,
            "target_id": self.target_id,
            **_report_dict(MatchReport(self.matches, self.unmatched)),
            "usage": dict(self.usage),
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> DeliveryResult:
        report = _report_from(data)
        return cls(
            platform=data["platform"],
            url=data["url"],
            target_id=data["target_id"],
            matches=report.matches,
            unmatched=report.unmatched,
            label=data.get("label") or "",
            language=data.get("language"),
            usage=dict(data.get("usage") or {}),
        )


# The shape of a ledger record; a record of another shape keeps only the playlist it made.
LEDGER_FORMAT = 2


def delivery_key(playlist_id: str, version: int, platform: str) -> str:
    return f"{platform}:{playlist_id}:v{version}"


def marker(key: str) -> str:
    """The tag a delivered playlist's description carries: stable for a key, opaque to readers."""
    return "aidj:" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _match_dict(match: Match) -> dict[str, Any]:
    return {
        "track_id": match.track_id,
        "target_id": match.target_id,
        "confidence": match.confidence,
    }


def _report_dict(report: MatchReport) -> dict[str, Any]:
    return {
        "matches": [_match_dict(m) for m in report.matches],
        "unmatched": [u.to_dict() for u in report.unmatched],
    }


def _report_from(data: Mapping[str, Any]) -> MatchReport:
    return MatchReport(
        tuple(Match(m["track_id"], m["target_id"], m["confidence"]) for m in data["matches"]),
        tuple(Unmatched.from_dict(u) for u in data["unmatched"]),
    )


def deliver(platform: Platform, request: DeliveryRequest, ledger: DeliveryLedger) -> DeliveryResult:
    """Deliver ``request`` to ``platform``, at most one playlist per (playlist, version, platform)."""
    key = delivery_key(request.playlist_id, request.version, platform.name)
    record: dict[str, Any] = ledger.get(key) or {}
    if record.get("format") != LEDGER_FORMAT:
        # written before reasons were kept as codes: match again, but keep the playlist it made
        record = {
            "format": LEDGER_FORMAT,
            **({"target": record["target"]} if "target" in record else {}),
        }
    if record.get("result"):
        return DeliveryResult.from_record(record["result"])

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
        label=platform.label,
        language=request.language,
        usage=dict(platform.usage()),
    )
    record["result"] = result.to_record()
    ledger.put(key, record)
    return result
