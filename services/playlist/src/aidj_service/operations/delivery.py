"""``POST /playlists/{id}/deliver``: a stored playlist to Spotify, Apple Music, YouTube Music or a
Subsonic server, matched honestly and created once however often the request is retried.

Whose playlist it is decides where the delivery is remembered (the rules of editing:
``owner.owns``). The owner's delivery is remembered in the playlist's own record
(``data["deliveries"]``, written with the same compare-and-swap as every change), so every
history backend is also the delivery ledger. Anyone else holding the link may still save it, like
playing it: a *copy* lands in their own account on the platform and the owner's record is never
written (a stranger could otherwise fill it, push the owner's entries out, or make the owner's
own delivery answer with the stranger's playlist). A copy is remembered by the platform's marker
only. Either way one request at a time delivers a key (:mod:`.delivery_claim`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from aidj_service.delivery.deliver import DeliveryResult, delivery_key
from aidj_service.delivery.errors import (
    DeliveryError,
    PlatformAuthError,
    PlatformForbiddenError,
    PlatformNotConfiguredError,
    PlatformPartialWriteError,
    PlatformQuotaError,
    PlatformRateLimitedError,
    PlatformUnavailableError,
)
from aidj_service.delivery.ledger import DeliveryLedger, MemoryLedger
from aidj_service.delivery.models import DeliverRequest, DeliveryResponse
from aidj_service.delivery.operation import deliver_playlist, delivery_request
from aidj_service.delivery.registry import PLATFORMS
from aidj_service.delivery.settings import DeliverySettings, load_settings
from aidj_service.edge.http import HTTPError, Request, Response, parse_json
from aidj_service.edge.ratelimit import bucket_key, enforce, retry_after_header
from aidj_service.operations.context import Context
from aidj_service.operations.delivery_claim import DeliveryClaims
from aidj_service.operations.living.book import PlaylistBook
from aidj_service.operations.living.owner import caller_of, meter, owns
from aidj_service.operations.living.records import version_of
from aidj_service.stores.history import PlaylistRecord

APPLE_MUSIC_API_HOST = "https://api.music.apple.com"
# A record keeps this many deliveries (newest last): enough for retries and a few platforms,
# small enough that a DynamoDB item stays far under its 400 KB.
KEPT_DELIVERIES = 8


class RecordLedger:
    """The delivery ledger inside one playlist's history record."""

    def __init__(self, book: PlaylistBook, record: PlaylistRecord) -> None:
        self.book = book
        self.record = record

    def get(self, key: str) -> dict[str, Any] | None:
        for entry in self.record.data.get("deliveries") or []:
            if isinstance(entry, dict) and entry.get("key") == key:
                return dict(entry.get("record") or {})
        return None

    def put(self, key: str, record: dict[str, Any]) -> None:
        def change(data: dict[str, Any]) -> None:
            kept = [e for e in data.get("deliveries") or [] if e.get("key") != key]
            data["deliveries"] = [*kept, {"key": key, "record": record}][-KEPT_DELIVERIES:]

        self.record = self.book.update_head(self.record, change)


def http_error(exc: DeliveryError) -> HTTPError:
    """A platform failure as the answer the caller should see (its message says what to do)."""
    if isinstance(exc, PlatformNotConfiguredError):
        return HTTPError(exc.message, code="platform_not_configured", status=400)
    if isinstance(exc, PlatformAuthError):
        return HTTPError(exc.message, code="platform_auth", status=401)
    if isinstance(exc, PlatformForbiddenError):
        return HTTPError(exc.message, code="platform_forbidden", status=403)
    if isinstance(exc, PlatformQuotaError):
        return HTTPError(exc.message, code="platform_quota", status=429)
    if isinstance(exc, PlatformRateLimitedError):
        wait = retry_after_header(exc.retry_after)
        return HTTPError(
            exc.message, code="platform_rate_limited", status=503, headers={"retry-after": wait}
        )
    if isinstance(exc, PlatformUnavailableError):
        return HTTPError(
            exc.message, code="platform_unavailable", status=503, headers={"retry-after": "30"}
        )
    if isinstance(exc, PlatformPartialWriteError):
        return HTTPError(
            exc.message,
            code="platform_partial",
            status=502,
            details={"url": exc.playlist.url, "added": exc.added, "total": exc.total},
        )
    return HTTPError(exc.message, code="platform_error", status=502)


# Sign-in fields that are guessable secrets: a digest of one could be searched offline, so they
# never go into a claim key (the account is named by the rest: the server and the user name).
PASSWORDS = ("subsonic_password",)


def account_of(credentials: Mapping[str, str]) -> str:
    """Which account on the platform a reader's copy goes to: an opaque digest of the sign-in
    (claims are stored; tokens are long and random, so their digest gives nothing away)."""
    named = {k: v for k, v in credentials.items() if k not in PASSWORDS}
    raw = json.dumps(named, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


class Deliveries:
    def __init__(
        self, ctx: Context, book: PlaylistBook, settings: DeliverySettings | None = None
    ) -> None:
        self.ctx = ctx
        self.book = book
        self.claims = DeliveryClaims(ctx.store)
        # Read once per process (deployed: the stack's SSM parameters, at cold start).
        loaded = settings if settings is not None else load_settings()
        self.settings = replace(loaded, spotify_api_url=ctx.settings.spotify_api_url)

    def configured(self) -> tuple[str, ...]:
        """The platforms this service is set up for (the page's "Save to …" menu)."""
        return PLATFORMS.configured(self.settings)

    def deliver(self, request: Request) -> Response:
        body = parse_json(request, DeliverRequest)
        platform = body.root.platform
        problem = PLATFORMS[platform].check(self.settings)
        if problem:
            raise HTTPError(
                f"this service is not set up for {PLATFORMS[platform].label}: {problem}; "
                f"it delivers to {', '.join(self.configured())}",
                code="platform_not_configured",
                # the caller's to change (another platform, or its own Subsonic server), never a
                # server error: like spotify_not_configured
                status=422,
            )
        record = self.book.load(request.path_params["id"])
        caller = caller_of(self.ctx, request, body.root)
        owner = owns(self.ctx, request, record, caller)
        version = body.root.version or version_of(record.data)
        data = self.book.version_data(record, version)
        credentials = body.credentials()
        if platform == "spotify" and "spotify_access_token" not in credentials:
            # Authorization without sign-in; X-Spotify-Token with it (identity.py)
            token = self.ctx.identity.spotify_token(request)
            if token:
                credentials["spotify_access_token"] = token
        key = delivery_key(record.playlist_id, version, platform)
        # The owner's deliveries are remembered in the playlist's record; a reader's copy goes
        # to their own account and leaves the record alone, one at a time per account signed in
        holder, claim = (
            (record.user_id, key) if owner else (caller, f"{key}:{account_of(credentials)}")
        )
        enforce(self.ctx.limiter, f"deliver#{bucket_key(holder, request.source_ip)}", "deliveries")
        # and, like every route that writes, on the caller's own bucket
        meter(self.ctx, request, caller)
        what = f"version {version} of this playlist to {PLATFORMS[platform].label}"
        with self.claims.held(holder, claim, what=what, deadline=request.deadline):
            # read again: the request we waited for may have finished it
            ledger: DeliveryLedger = (
                RecordLedger(self.book, self.book.load(record.playlist_id))
                if owner
                else MemoryLedger()
            )
            try:
                result: DeliveryResult = deliver_playlist(
                    platform,
                    delivery_request(record.playlist_id, version, data),
                    credentials=credentials,
                    settings=self.settings,
                    ledger=ledger,
                    deadline=request.deadline,
                )
            except DeliveryError as exc:
                raise http_error(exc) from None
        return Response.of(DeliveryResponse.model_validate(result.to_dict()))

    def page_hosts(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Hosts the page's policy must allow (scripts, connections) for the sign-ins set up:
        Apple's MusicKit JS (from Apple's CDN unless AIDJ_MUSICKIT_URL says otherwise) is the only
        way to a Music User Token. YouTube signs in by redirect, and its code comes back here."""
        if "apple_music" in self.configured():
            parts = urlsplit(self.settings.musickit_url)
            return (f"{parts.scheme}://{parts.netloc}",), (APPLE_MUSIC_API_HOST,)
        return (), ()

    def client_settings(self) -> dict[str, Any]:
        """The public delivery settings the page needs: where it can save, and how to sign in."""
        settings = self.settings
        developer_token = None
        if "apple_music" in self.configured():
            from aidj_service.delivery.apple_token import DeveloperToken

            # MusicKit JS needs a developer token in the page; it names the page's origins
            origins = tuple(o for o in self.ctx.settings.cors_origins if o != "*")
            try:
                developer_token = DeveloperToken(
                    team_id=settings.apple_music_team_id or "",
                    key_id=settings.apple_music_key_id or "",
                    private_key_pem=settings.apple_music_private_key or "",
                    origins=origins,
                ).token()
            except DeliveryError:
                developer_token = (
                    None  # a bad key: deliveries say why; the page just lacks the button
                )
        return {
            "platforms": list(self.configured()),
            "google_client_id": settings.google_client_id,
            "apple_music_developer_token": developer_token,
            "musickit_url": settings.musickit_url if developer_token else None,
        }
