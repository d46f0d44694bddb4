"""A playlist built from a prompt, stored, and (with the caller's token) created on Spotify."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from aidj.intent import Intent
from aidj.interpreter import Interpretation
from aidj.playlist import Playlist
from aidj.taste.asks import read_ask
from aidj.taste.signals import excluded
from aidj.taste.steer import DEFAULT_DISCOVER, Taste, active
from aidj_service.clients.bedrock_models import BACKEND
from aidj_service.edge.http import BadGateway, Request, Response, ServiceUnavailable
from aidj_service.edge.spotify_errors import spotify_http_error
from aidj_service.identity import ANONYMOUS
from aidj_service.logs import timed
from aidj_service.models import PlaylistRequest
from aidj_service.operations.context import Context
from aidj_service.operations.living import edit_keys
from aidj_service.operations.living.records import first_version
from aidj_service.operations.taste import Tastes
from aidj_service.responses import playlist_response
from aidj_service.stores.history import PlaylistRecord, utc_now_iso

if TYPE_CHECKING:
    from aidj_service.clients.spotify import SpotifyClient


class Builder:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def build(
        self,
        request: Request,
        req: PlaylistRequest,
        base: Intent | None,
        user: str,
        spotify: SpotifyClient | None,
        timings: dict[str, float],
    ) -> Response:
        settings = self.ctx.settings
        requested = req.interpreter or settings.interpreter
        tastes = Tastes(self.ctx)
        taste = None
        if req.taste is not False and base is None:  # a refine keeps what it refines
            # the stored taste only: Spotify is read by GET /me/taste (the page asks it on
            # load), never in the middle of making a playlist
            with timed(timings, "taste"):
                stored = tastes.load(user, None)
            if stored is not None and active(Taste(stored.profile)):
                reading = read_ask(req.prompt)
                discover = DEFAULT_DISCOVER if req.discover is None else req.discover
                taste = Taste(stored.profile, discover, reading.ask)
        with timed(timings, "interpret"):
            if taste is not None and taste.ask is not None:
                interpretation = self._interpret_ask(requested, req.prompt)
            else:
                interpretation = self.ctx.interpreters.interpret(requested, req.prompt, base)
        request.context["interpreter"] = interpretation.interpreter
        if interpretation.fallback_reason:
            request.context["fallback_reason"] = interpretation.fallback_reason
        intent = interpretation.intent
        if req.limit is not None:
            # an explicit count wins over a length the prompt asked for
            intent = Intent.from_dict(
                {**intent.to_dict(), "limit": req.limit, "duration_minutes": None}
            )
        avoid: list[str] = []
        if req.fresh and settings.freshness_depth:
            with timed(timings, "fresh"):
                recent = self.ctx.store.recent(user, settings.freshness_depth)
            avoid = sorted(
                {
                    t["id"]
                    for r in recent
                    for t in r.data.get("tracks") or []
                    if isinstance(t, dict) and "id" in t
                }
            )
        dj = self.ctx.dj
        with timed(timings, "build"):
            if taste is not None:
                playlist: Playlist = dj.build(intent, avoid, taste=taste)
            else:
                playlist = dj.build(intent, avoid) if avoid else dj.build(intent)
        request.context["tracks_count"] = len(playlist.tracks)
        if intent.exclude_artists:  # "no Drake", said twice, is a strong against
            with timed(timings, "taste"):
                tastes.record(user, excluded(intent.exclude_artists))

        playlist_id = str(uuid.uuid4())
        data: dict[str, Any] = {
            **playlist.to_dict(),  # parameters, tracks, stats, notices: the core's one shape
            "name": playlist.name,
            "prompt": req.prompt,
            "playlist_url": None,
            "status": "complete",
            "tracks_count": len(playlist.tracks),
            "interpreter": {
                "name": interpretation.interpreter,
                "requested": requested,
                # which model read the prompt: none when the local interpreter answered
                "model": (
                    self.ctx.interpreters.model_of(requested)
                    if interpretation.interpreter == BACKEND
                    else None
                ),
                "fallback_reason": interpretation.fallback_reason,
                "cached": bool(interpretation.cached),
            },
            "spotify": None,
        }
        created_at = utc_now_iso()
        data.update(first_version(created_at))
        # the region that creates a playlist is the one that may change it (stores/home_region.py)
        self.ctx.settings.home_regions.stamp(data)
        data["message"] = (
            f"Built '{playlist.name}': {len(playlist.tracks)} tracks. Connect Spotify to save it there, "
            "or download it as M3U8 or XSPF."
        )
        edit_key: str | None = None
        if user == ANONYMOUS:
            # no sign-in says whose it is: the maker alone gets the key (shown once) that opens it
            edit_key, data[edit_keys.DIGEST_FIELD] = edit_keys.issue()
        record = PlaylistRecord(playlist_id, user, created_at, data)
        if spotify is not None:
            self.send_to_spotify(spotify, record, playlist, timings)
        with timed(timings, "store"):
            self.ctx.store.put(record)
        answer = playlist_response(record)
        if edit_key is not None:
            answer = answer.model_copy(update={"edit_key": edit_key})
        return Response.of(answer)

    def _interpret_ask(self, requested: str, prompt: str) -> Interpretation:
        """A prompt asking for the listener's taste ("my favourites, but calmer"): the
        interpreter reads the rest; the ask alone is not an unreadable prompt."""
        reading = read_ask(prompt)
        if not reading.rest:
            return Interpretation(Intent(language=reading.language), requested)
        interpretation = self.ctx.interpreters.interpret(requested, reading.rest, None)
        if interpretation.intent.language is None:
            interpretation.intent = interpretation.intent.replace(language=reading.language)
        return interpretation

    def send_to_spotify(
        self,
        spotify: SpotifyClient,
        record: PlaylistRecord,
        playlist: Playlist,
        timings: dict[str, float],
    ) -> None:
        from aidj_service.clients.spotify import (
            SpotifyError,
            SpotifyPartialWriteError,
            SpotifyUnavailableError,
        )

        uris = [t.uri for t in playlist.tracks]
        data = record.data
        try:
            with timed(timings, "spotify"):
                try:
                    created = spotify.create_playlist(
                        playlist.name,
                        description=f"AI DJ: {record.data['prompt']}"[:300],
                        public=False,
                    )
                except SpotifyUnavailableError as exc:
                    if (
                        exc.status
                    ):  # Spotify answered 5xx: nothing was created, a retry may create it
                        raise
                    # no answer at all (timeout, dropped connection): the create may have landed
                    raise ServiceUnavailable(
                        f"Spotify did not confirm the new playlist ({exc.message}); it may have been created "
                        "anyway: check Spotify before you try again",
                        code="spotify_unavailable",
                        headers={"retry-after": "30"},
                        details={"create_uncertain": True},
                    ) from None
                added = spotify.add_items(created.id, uris, url=created.url)
        except SpotifyPartialWriteError as exc:
            data.update(
                playlist_url=exc.url,
                status="partial",
                spotify={
                    "playlist_id": exc.playlist_id,
                    "url": exc.url,
                    "added": exc.added,
                    "total": exc.total,
                },
                message=(
                    f"Created '{playlist.name}' on Spotify but only {exc.added} of {exc.total} tracks were added; "
                    f"open {exc.url} to check it, or delete it and try again"
                ),
            )
            with timed(timings, "store"):
                self.ctx.store.put(record)
            raise BadGateway(
                data["message"],
                code="spotify_partial_write",
                details={
                    "playlist_id": record.playlist_id,
                    "playlist_url": exc.url,
                    "added": exc.added,
                    "total": exc.total,
                },
            ) from None
        except SpotifyError as exc:
            raise spotify_http_error(exc) from None
        data.update(
            playlist_url=created.url,
            spotify={
                "playlist_id": created.id,
                "url": created.url,
                "added": added,
                "total": len(uris),
            },
            message=f"Created '{playlist.name}' on Spotify with {added} tracks.",
        )
