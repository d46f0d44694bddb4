"""Reading history: one stored playlist (any version, any export format) and the caller's list."""

from __future__ import annotations

from aidj_service.edge.http import BadRequest, Request, Response, UnprocessableEntity
from aidj_service.logs import user_hash
from aidj_service.operations.context import Context
from aidj_service.operations.exports import export_format, export_response
from aidj_service.operations.living.book import PlaylistBook
from aidj_service.operations.lookup import find_playlist
from aidj_service.responses import playlist_page, playlist_response
from aidj_service.stores.history import InvalidCursor


class History:
    def __init__(self, ctx: Context, book: PlaylistBook) -> None:
        self.ctx = ctx
        self.book = book

    def get_playlist(self, request: Request) -> Response:
        playlist_id, fmt = export_format(request.path_params["id"])
        record = find_playlist(self.ctx.store, playlist_id)
        shown = None
        raw_version = request.query.get("version")
        if raw_version is not None:
            if not raw_version.isdigit() or not 1 <= int(raw_version) <= 1_000_000:
                raise UnprocessableEntity(
                    f"version={raw_version!r}: use a version number from the playlist's versions"
                )
            shown = self.book.version_data(record, int(raw_version))
        if fmt is None:
            return Response.of(playlist_response(record, shown))
        return export_response(shown or record.data, fmt)

    def list_playlists(self, request: Request) -> Response:
        limit_raw = request.query.get("limit", "20")
        try:
            limit = int(limit_raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            raise UnprocessableEntity(f"limit={limit_raw!r}: use a whole number from 1 to 100")
        user = self.ctx.identity.signed_in_user(request, "listing playlists", check_user_id=True)
        request.context["user"] = user_hash(user)
        try:
            records, cursor = self.ctx.store.list(user, limit, request.query.get("cursor") or None)
        except InvalidCursor as exc:
            raise BadRequest(str(exc), code="invalid_cursor") from None
        return Response.of(playlist_page(records, cursor))
