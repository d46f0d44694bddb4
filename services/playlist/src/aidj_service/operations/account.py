"""A signed-in user's Spotify account: linked to the sign-in through the refresh-token vault.

With sign-in on, the Cognito ``sub`` is who a user is and Spotify is only the music account.
``PUT /me/spotify`` checks the refresh token the page's Spotify sign-in returned (one refresh
grant, then ``GET /me``) and keeps it sealed in the vault under the user, in the slot
:data:`ACCOUNT_SLOT`. A signed-in request that brings no Spotify token then works on the linked
account: :meth:`SpotifyAccount.linked_client` turns the stored token into an access token.
``DELETE /me/spotify-tokens`` (sign-out) deletes the link with the user's other tokens.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aidj_service.edge.http import Conflict, Request, Response, UnprocessableEntity, parse_json
from aidj_service.edge.spotify_errors import spotify_http_error
from aidj_service.models import LinkSpotifyRequest, SpotifyLinked
from aidj_service.operations.context import Context
from aidj_service.operations.spotify_grant import refresh_grant

if TYPE_CHECKING:
    from aidj_service.clients.spotify import SpotifyClient, TokenGrant
    from aidj_service.stores.tokens import TokenVault

log = logging.getLogger(__name__)

# The vault keys tokens by (user, playlist id); playlist ids are UUIDs, so this cannot clash.
ACCOUNT_SLOT = "spotify-account"


class SpotifyAccount:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._vault: TokenVault | None = None
        self._vault_problem: str | None = None
        self._opened = False

    def vault(self) -> TokenVault | None:
        if not self._opened:
            from aidj_service.stores.backends import open_token_vault
            from aidj_service.stores.tokens import TokenVaultUnavailable

            try:
                self._vault = open_token_vault(self.ctx.settings, self.ctx.store)
            except TokenVaultUnavailable as exc:
                self._vault_problem = str(exc)
            self._opened = True
        return self._vault

    def link(self, request: Request) -> Response:
        """``PUT /me/spotify``: keep the caller's Spotify refresh token under their sign-in."""
        settings = self.ctx.settings
        if not settings.signs_in:
            raise Conflict(
                "this deployment has no sign-in, so your Spotify account already is who you are "
                "here: send its token with each request instead",
                code="sign_in_off",
            )
        user = self.ctx.identity.signed_in_user(request, "linking Spotify", check_user_id=False)
        req = parse_json(request, LinkSpotifyRequest)
        vault = self.vault()
        if vault is None:
            raise UnprocessableEntity(
                f"{self._vault_problem or 'no token vault'}: this server cannot keep Spotify "
                "sign-ins",
                code="tokens_unavailable",
            )
        from aidj_service.clients.spotify import SpotifyError, SpotifyRevokedError

        try:
            grant = self._grant(req.refresh_token)
            spotify_user = self.ctx.identity.spotify(grant.access_token, request).current_user()
        except SpotifyRevokedError:
            raise UnprocessableEntity(
                "Spotify did not accept this refresh token: sign in to Spotify again, then link",
                code="spotify_token_rejected",
            ) from None
        except SpotifyError as exc:
            raise spotify_http_error(exc) from None
        vault.put(user, ACCOUNT_SLOT, grant.refresh_token or req.refresh_token)
        return Response.of(SpotifyLinked(linked=True, spotify_user=spotify_user.id))

    def linked_client(self, user: str, request: Request) -> SpotifyClient | None:
        """The signed-in ``user``'s linked Spotify account, ready to use; None without a link."""
        if not self.ctx.settings.signs_in or user == "anonymous":
            return None
        vault = self.vault()
        refresh_token = vault.get(user, ACCOUNT_SLOT) if vault is not None else None
        if vault is None or refresh_token is None:
            return None
        from aidj_service.clients.spotify import SpotifyError, SpotifyRevokedError

        try:
            grant = self._grant(refresh_token)
        except SpotifyRevokedError:
            vault.delete(user, ACCOUNT_SLOT)  # unlinked on Spotify's side: forget it
            return None
        except SpotifyError as exc:
            raise spotify_http_error(exc) from None
        if grant.refresh_token and grant.refresh_token != refresh_token:
            vault.put(user, ACCOUNT_SLOT, grant.refresh_token)  # Spotify rotated it
        return self.ctx.identity.spotify(grant.access_token, request)

    def _grant(self, refresh_token: str) -> TokenGrant:
        return refresh_grant(self.ctx.settings, refresh_token)
