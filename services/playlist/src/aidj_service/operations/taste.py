"""A listener's taste: see it, steer it, erase it (``/me/taste``), and what other operations
read from it (a playlist's leaning) or tell it (edits, excluded artists).

Who: the same rules as ``GET /playlists`` (deployed, the Spotify token's user; locally the
``user_id`` named, or "local"). Anonymous callers have no taste. ``GET /me/taste`` with a
Spotify token imports the caller's listening (top artists and tracks, plays, saved tracks) when
the last import is older than a day; a playlist only reads what is stored. Profile contents are
never logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aidj.taste.build import build, fold
from aidj.taste.explain import summary
from aidj.taste.profile import TasteProfile
from aidj.taste.signals import Signal, steering
from aidj_service.edge.http import Request, Response, UnprocessableEntity, parse_json
from aidj_service.edge.spotify_errors import spotify_http_error
from aidj_service.identity import bearer_token
from aidj_service.logs import user_hash
from aidj_service.models import (
    USER_ID_RULE,
    TasteArtist,
    TasteGenre,
    TasteNever,
    TastePatch,
    TasteRef,
    TasteView,
    valid_user_id,
)
from aidj_service.operations.context import Context
from aidj_service.stores.history import utc_now_iso
from aidj_service.stores.taste import StoredTaste

if TYPE_CHECKING:
    from aidj_service.clients.spotify import SpotifyClient

IMPORT_EVERY = timedelta(days=1)
SHOWN_ARTISTS = 30
SHOWN_GENRES = 12
ANONYMOUS = "anonymous"


class Tastes:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------ routes

    def get_taste(self, request: Request) -> Response:
        user, spotify = self._caller(request, None)
        stored = self.load(user, spotify, strict=True)
        return Response.of(self.view(stored, _language(request)))

    def patch_taste(self, request: Request) -> Response:
        req = parse_json(request, TastePatch)
        user, spotify = self._caller(request, req)
        stored = self.load(user, spotify, strict=True) or StoredTaste()
        catalog = self.ctx.dj.catalog
        refs = {"more": req.more, "less": req.less, "never": req.never}
        plain = {
            kind: [self._ref(kind, n, r) for n, r in enumerate(items)]
            for kind, items in refs.items()
        }
        own = fold(stored.own, steering(**plain), catalog)
        if req.use is not None:
            own = own.with_use(req.use)
        stored = replace(stored, own=own, updated_at=utc_now_iso())
        self.ctx.taste.put(user, stored)
        return Response.of(self.view(stored, _language(request)))

    def delete_taste(self, request: Request) -> Response:
        user, _ = self._caller(request, None)
        self.ctx.taste.delete(user)
        return Response(204)

    # ------------------------------------------------------------ for other operations

    def load(
        self, user: str, spotify: SpotifyClient | None, *, strict: bool = False
    ) -> StoredTaste | None:
        """The user's stored taste, first importing Spotify's lists when they are due.

        ``strict``: a failed import is the caller's error (the taste routes); otherwise the
        stored taste is used as it is (a playlist must not fail for it).
        """
        if user == ANONYMOUS:
            return None
        stored = self.ctx.taste.get(user)
        if spotify is None or not _import_due(stored):
            return stored
        from aidj_service.clients.listening import read_listening
        from aidj_service.clients.spotify import SpotifyError

        try:
            listening = read_listening(spotify)
        except SpotifyError as exc:
            if strict:
                raise spotify_http_error(exc) from None
            return stored
        now = utc_now_iso()
        imported = build(listening.signals, self.ctx.dj.catalog)
        stored = replace(
            stored or StoredTaste(), imported=imported, imported_at=now, updated_at=now
        )
        self.ctx.taste.put(user, stored)
        return stored

    def record(self, user: str, signals: Sequence[Signal]) -> None:
        """Fold what a listener did (edits, exclusions) into their own profile."""
        if user == ANONYMOUS or not signals:
            return
        stored = self.ctx.taste.get(user) or StoredTaste()
        own = fold(stored.own, signals, self.ctx.dj.catalog)
        self.ctx.taste.put(user, replace(stored, own=own, updated_at=utc_now_iso()))

    @staticmethod
    def view(stored: StoredTaste | None, language: str | None) -> TasteView:
        profile = stored.profile if stored is not None else TasteProfile()
        return TasteView(
            summary=summary(profile, language),
            artists=[
                TasteArtist(name=e.name, weight=e.weight, source=e.source)
                for e in profile.ranked_artists()
                if e.weight != 0 and e.name not in profile.never_artists
            ][:SHOWN_ARTISTS],
            genres=[
                TasteGenre(name=e.name, weight=w)
                for e in profile.ranked_genres()
                if (w := profile.genre_weight(e.name)) != 0 and e.name not in profile.never_genres
            ][:SHOWN_GENRES],
            never=TasteNever(
                artists=list(profile.never_artists), genres=list(profile.never_genres)
            ),
            use=profile.use,
            updated_at=stored.updated_at if stored is not None else None,
        )

    # ------------------------------------------------------------ helpers

    def _caller(
        self, request: Request, body: TastePatch | None
    ) -> tuple[str, SpotifyClient | None]:
        """Who asks (as ``GET /playlists`` decides it), and their Spotify client when they sent a token."""
        identity = self.ctx.identity
        token = (body.spotify_access_token if body else None) or bearer_token(request)
        if token:
            spotify = identity.spotify(token, request)
            user = identity.user(spotify, None)
        elif body is not None and body.user_id is not None and self.ctx.settings.trusts_body_user:
            spotify, user = None, body.user_id.strip() or "local"
        else:
            spotify, user = None, identity.signed_in_user(request, "your taste", check_user_id=True)
        if not token and not valid_user_id(user):
            raise UnprocessableEntity(f"user_id: {USER_ID_RULE}")
        request.context["user"] = user_hash(user)
        return user, spotify

    def _ref(self, kind: str, n: int, ref: TasteRef) -> dict[str, str]:
        if ref.artist is not None:
            return {"artist": ref.artist.strip()}
        assert ref.genre is not None  # TasteRef holds exactly one
        slug = "-".join(ref.genre.strip().lower().split())
        if self.ctx.dj.catalog.genre_index(slug) is None:
            raise UnprocessableEntity(
                f"{kind}[{n}].genre: '{ref.genre}' is not a catalog genre; use a genre slug such "
                "as 'country', 'trip-hop' or 'deep-house'"
            )
        return {"genre": slug}


def _import_due(stored: StoredTaste | None) -> bool:
    if stored is None or stored.imported_at is None:
        return True
    try:
        last = datetime.fromisoformat(stored.imported_at.replace("Z", "+00:00"))
    except ValueError:
        return True
    return datetime.now(UTC) - last >= IMPORT_EVERY


def _language(request: Request) -> str | None:
    """The summary's language: ``?language=``, else the first of Accept-Language, else English."""
    asked = request.query.get("language")
    if asked is not None:
        if len(asked) != 2 or not asked.isalpha():
            raise UnprocessableEntity("language: an ISO 639-1 code such as 'en' or 'es'")
        return asked.lower()
    header = request.header("accept-language") or ""
    first = header.split(",", 1)[0].strip()[:2].lower()
    return first if len(first) == 2 and first.isalpha() else None
