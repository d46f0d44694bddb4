"""A living playlist's Spotify copy follows its versions: with the caller's token, or a stored sign-in.

A scheduled playlist may keep the owner's Spotify refresh token (sealed in the token vault), so a
refresh with nobody signed in can still update the Spotify copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from aidj_service.edge.http import Response, UnprocessableEntity
from aidj_service.edge.spotify_errors import spotify_http_error
from aidj_service.operations.context import Context
from aidj_service.operations.living.book import PlaylistBook
from aidj_service.operations.living.records import track_ids, version_of
from aidj_service.operations.spotify_grant import refresh_grant
from aidj_service.responses import playlist_response
from aidj_service.stores.history import PlaylistRecord

if TYPE_CHECKING:
    from aidj_service.clients.spotify import TokenGrant
    from aidj_service.stores.tokens import TokenVault


class SpotifyCopy(Protocol):
    """The Spotify call that keeps a playlist's Spotify copy in step (:class:`SpotifyClient`)."""

    def replace_items(
        self, playlist_id: str, uris: Sequence[str], *, url: str | None = None
    ) -> int: ...


class SpotifyFollow:
    def __init__(self, ctx: Context, book: PlaylistBook) -> None:
        self.ctx = ctx
        self.book = book

    @property
    def vault(self) -> TokenVault | None:
        """Where sealed refresh tokens live; None (with ``vault_problem`` saying why) when nowhere safe."""
        if not hasattr(self, "_vault"):
            from aidj_service.stores.backends import open_token_vault
            from aidj_service.stores.tokens import TokenVaultUnavailable

            try:
                self._vault, self.vault_problem = (
                    open_token_vault(self.ctx.settings, self.ctx.store),
                    None,
                )
            except TokenVaultUnavailable as exc:
                self._vault, self.vault_problem = None, str(exc)
        return self._vault

    def grant(self, refresh_token: str) -> TokenGrant:
        return refresh_grant(self.ctx.settings, refresh_token)

    def keep_refresh_token(self, record: PlaylistRecord, refresh_token: str) -> bool:
        """Check the refresh token works, then store it sealed; True when the playlist now follows on Spotify."""
        from aidj_service.clients.spotify import SpotifyError, SpotifyRevokedError

        vault = self.vault
        if vault is None:
            raise UnprocessableEntity(
                self.vault_problem
                or "this server does not keep Spotify sign-ins (set AIDJ_TOKEN_KEY locally, or deploy with the "
                "token key): schedule without spotify_refresh_token, or configure it",
                code="tokens_unavailable",
            )
        try:
            grant = self.grant(refresh_token)
        except SpotifyRevokedError:
            raise UnprocessableEntity(
                "Spotify did not accept this refresh token: sign in to Spotify again, then schedule",
                code="spotify_token_rejected",
            ) from None
        except SpotifyError as exc:
            raise spotify_http_error(exc) from None
        vault.put(record.user_id, record.playlist_id, grant.refresh_token or refresh_token)
        return True

    def follow_unattended(self, record: PlaylistRecord) -> None:
        """A refresh with nobody signed in: the stored refresh token buys an access token for the update."""
        from aidj_service.clients.spotify import SpotifyRevokedError

        vault = self.vault
        refresh_token = vault.get(record.user_id, record.playlist_id) if vault is not None else None
        if vault is None or refresh_token is None:
            self.set_schedule(
                record, spotify_follows=False, message="Spotify is not updated: no stored sign-in"
            )
            return
        try:
            grant = self.grant(refresh_token)
        except SpotifyRevokedError:
            vault.delete(record.user_id, record.playlist_id)
            self.set_schedule(
                record,
                status="revoked",
                spotify_follows=False,
                message="Spotify no longer accepts your sign-in, so this schedule ended: sign in to Spotify and "
                "schedule the playlist again",
            )
            return
        if grant.refresh_token and grant.refresh_token != refresh_token:
            vault.put(record.user_id, record.playlist_id, grant.refresh_token)
        self.mirror(record, self.ctx.identity.spotify_for_job(grant.access_token))

    def mirror(self, record: PlaylistRecord, spotify: SpotifyCopy) -> None:
        """Replace the Spotify playlist's items with this version's, in place."""
        info = record.data.get("spotify") or {}
        uris = [f"spotify:track:{tid}" for tid in track_ids(record.data)]
        added = spotify.replace_items(info["playlist_id"], uris, url=info.get("url"))

        def change(data: dict[str, Any]) -> None:
            data["spotify"] = {
                **(data.get("spotify") or {}),
                "added": added,
                "total": len(uris),
                "version": version_of(record.data),
            }

        self.book.update_head(record, change)

    def answer(self, record: PlaylistRecord, spotify: SpotifyCopy | None) -> Response:
        """The new version, after following it on Spotify when the playlist lives there too."""
        from aidj_service.clients.spotify import SpotifyError

        body = playlist_response(record)
        if not (record.data.get("spotify") or {}).get("playlist_id"):
            return Response.of(body)
        try:
            if spotify is not None:
                self.mirror(record, spotify)
            elif (record.data.get("schedule") or {}).get("spotify_follows"):
                self.follow_unattended(record)
            else:
                body.message += " Connect Spotify to update the Spotify copy too."
                return Response.of(body)
        except SpotifyError as exc:
            body.message += f" The Spotify copy was not updated ({exc.message}); the next version will update it."
            return Response.of(body)
        mirrored = playlist_response(self.book.load(record.playlist_id))
        mirrored.message = body.message
        return Response.of(mirrored)

    def set_schedule(self, record: PlaylistRecord, **fields: Any) -> None:
        def change(data: dict[str, Any]) -> None:
            if isinstance(data.get("schedule"), dict):
                data["schedule"] = {**data["schedule"], **fields}

        self.book.update_head(record, change)
