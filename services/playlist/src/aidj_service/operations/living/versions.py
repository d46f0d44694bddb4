"""The routes that make a playlist's next version: edits and refines, revert, extend."""

from __future__ import annotations

from aidj.intent import Intent
from aidj.revision import Draft, Edit, apply_edits, extend, refine
from aidj_service.edge.http import Request, Response, parse_json
from aidj_service.models import ExtendRequest, RevertRequest, VersionRequest
from aidj_service.operations.context import Context
from aidj_service.operations.living.book import PlaylistBook
from aidj_service.operations.living.follow import SpotifyFollow
from aidj_service.operations.living.owner import authorize
from aidj_service.operations.living.records import draft_of, rename
from aidj_service.responses import playlist_response
from aidj_service.stores.history import PlaylistRecord


class Versions:
    def __init__(self, ctx: Context, book: PlaylistBook, follow: SpotifyFollow) -> None:
        self.ctx = ctx
        self.book = book
        self.follow = follow

    def create_version(self, request: Request) -> Response:
        req = parse_json(request, VersionRequest)
        record = self.book.load(request.path_params["id"])
        spotify = authorize(self.ctx, request, record, req)
        name = req.name
        if name is not None and req.prompt is None and not req.edits:
            # a new name changes what the playlist is called, not its music: no new version
            renamed = self.book.update_head(record, lambda data: rename(data, name))
            return Response.of(playlist_response(renamed))
        refined: Intent | None = None
        if req.prompt is not None:
            base = Intent.from_dict(record.data.get("parameters") or {})
            interpretation = self.ctx.interpreters.interpret(
                req.interpreter or self.ctx.settings.interpreter, req.prompt, base
            )
            # the playlist keeps its name: a refine changes the music, not what the user calls it
            refined = interpretation.intent.replace(**{"playlist_name": base.playlist_name})
        edits = [Edit(e.op, e.track_id, e.to, e.count) for e in req.edits]
        parts = [f"{e.op} {e.track_id}" for e in edits] + (
            [f"refine: {req.prompt}"] if req.prompt else []
        )
        cause = "; ".join(parts)[:200]
        catalog = self.book.catalog

        def compute(current: PlaylistRecord) -> Draft:
            draft = draft_of(current.data)
            avoid = self.book.avoid(current.data, draft.locked)
            if edits:
                draft = apply_edits(catalog, draft, edits, avoid)
            if refined is not None:
                draft = refine(catalog, draft, refined, avoid)
            return draft

        also = (lambda data: rename(data, name)) if name is not None else None
        return self.follow.answer(self.book.commit(record, compute, cause, also=also), spotify)

    def revert(self, request: Request) -> Response:
        req = parse_json(request, RevertRequest)
        record = self.book.load(request.path_params["id"])
        spotify = authorize(self.ctx, request, record, req)
        target = self.book.version_data(record, req.version, status=422)

        def compute(current: PlaylistRecord) -> Draft:
            return draft_of(target)

        saved = self.book.commit(record, compute, f"revert to version {req.version}")
        return self.follow.answer(saved, spotify)

    def extend(self, request: Request) -> Response:
        req = parse_json(request, ExtendRequest)
        record = self.book.load(request.path_params["id"])
        spotify = authorize(self.ctx, request, record, req)
        minutes = float(req.minutes) if req.minutes is not None else None
        cause = (
            f"extend by {req.count} tracks"
            if req.count is not None
            else f"extend by {req.minutes:g} minutes"
        )

        def compute(current: PlaylistRecord) -> Draft:
            draft = draft_of(current.data)
            return extend(
                self.book.catalog,
                draft,
                self.book.avoid(current.data, draft.locked),
                count=req.count,
                minutes=minutes,
            )

        return self.follow.answer(self.book.commit(record, compute, cause), spotify)
