"""Play now: a version's tracks go to the end of the caller's Spotify queue, in order."""

from __future__ import annotations

from aidj_service.edge.http import Conflict, Request, Response, Unauthorized, parse_json
from aidj_service.edge.spotify_errors import spotify_http_error
from aidj_service.models import PlayRequest, PlayResult
from aidj_service.operations.context import Context
from aidj_service.operations.living.book import PlaylistBook
from aidj_service.operations.living.owner import caller_of, meter
from aidj_service.operations.living.records import track_ids


class Playback:
    def __init__(self, ctx: Context, book: PlaylistBook) -> None:
        self.ctx = ctx
        self.book = book

    def play(self, request: Request) -> Response:
        """Play now: the version's tracks go to the end of the caller's Spotify queue, in order."""
        from aidj_service.clients.spotify import SpotifyError, SpotifyNoDeviceError

        req = parse_json(request, PlayRequest) if request.body.strip() else PlayRequest()
        record = self.book.load(request.path_params["id"])
        data = (
            self.book.version_data(record, req.version) if req.version is not None else record.data
        )
        token = req.spotify_access_token or self.ctx.identity.spotify_token(request)
        if not token:
            raise Unauthorized(
                "playing needs your Spotify sign-in: send Authorization: Bearer <Spotify access token>",
                code="authentication_required",
            )
        spotify = self.ctx.identity.spotify(token, request)
        # up to 100 Spotify calls per press: it draws on the caller's bucket like every change
        meter(self.ctx, request, caller_of(self.ctx, request, req))
        uris = [f"spotify:track:{tid}" for tid in track_ids(data)]
        queued = 0
        try:
            for uri in uris:
                spotify.queue(uri)
                queued += 1
        except SpotifyNoDeviceError as exc:
            if not queued:
                raise Conflict(exc.message, code="no_active_device") from None
        except SpotifyError as exc:
            if not queued:
                raise spotify_http_error(exc) from None
        message = (
            f"Queued all {queued} tracks on your active Spotify device."
            if queued == len(uris)
            else f"Queued {queued} of {len(uris)} tracks: Spotify stopped accepting them (is the device still on?)"
        )
        return Response.of(PlayResult(queued=queued, total=len(uris), message=message))
