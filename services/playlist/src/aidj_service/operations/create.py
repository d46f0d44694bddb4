"""POST /playlist: who asks, how often, and exactly once per Idempotency-Key; the build is in :mod:`.building`."""

from __future__ import annotations

from pydantic import ValidationError

from aidj.intent import Intent
from aidj_service.edge.http import (
    HTTPError,
    Request,
    Response,
    Unauthorized,
    UnprocessableEntity,
    json_body,
)
from aidj_service.edge.ratelimit import bucket_key, enforce
from aidj_service.logs import timed, user_hash
from aidj_service.models import PlaylistRequest, validation_message
from aidj_service.operations import idempotency
from aidj_service.operations.account import SpotifyAccount
from aidj_service.operations.building import Builder
from aidj_service.operations.context import Context


class CreatePlaylists:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.builder = Builder(ctx)
        self.account = SpotifyAccount(ctx)  # a signed-in user's linked Spotify account

    def create_playlist(self, request: Request) -> Response:
        timings: dict[str, float] = {}
        request.context["timings_ms"] = timings
        body = json_body(request)
        try:
            req = PlaylistRequest.model_validate(body)
        except ValidationError as exc:
            raise UnprocessableEntity(validation_message(exc)) from None
        base: Intent | None = None
        if req.base_parameters is not None:
            try:
                base = Intent.from_dict(req.base_parameters)
            except ValidationError as exc:
                raise UnprocessableEntity(f"base_parameters: {validation_message(exc)}") from None
        identity = self.ctx.identity
        token = req.spotify_access_token or identity.spotify_token(request)
        spotify = identity.spotify(token, request) if token else None
        with timed(timings, "identify"):
            user = identity.user(spotify, req.user_id, request)
            if spotify is None:  # a signed-in user's linked Spotify account, if any
                spotify = self.account.linked_client(user, request)
        request.context["user"] = user_hash(user)
        if user == "anonymous" and not self.ctx.settings.anonymous:
            raise Unauthorized(
                "creating a playlist needs you to sign in here: send Authorization: Bearer "
                "<access token>",
                code="authentication_required",
            )

        # anonymous callers share one user id; their buckets and idempotency keys are per address
        owner = bucket_key(user, request.source_ip)
        enforce(self.ctx.limiter, owner, "playlists")

        key = request.header("idempotency-key")
        if key is None:
            return self.builder.build(request, req, base, user, spotify, timings)
        idempotency.check_key(key)
        store = self.ctx.store
        with timed(timings, "idempotency"):
            replay = idempotency.claim(
                store, self.ctx.settings, request, owner, key, idempotency.fingerprint(req)
            )
        if replay is not None:
            return replay
        try:
            response = self.builder.build(request, req, base, user, spotify, timings)
        except HTTPError as exc:
            idempotency.settle(store, owner, key, exc)
            raise
        except BaseException:
            store.release(owner, key)
            raise
        store.finish(
            owner,
            key,
            playlist_id=response.json_body()["playlist_id"],
            response_status=response.status,
        )
        return response
