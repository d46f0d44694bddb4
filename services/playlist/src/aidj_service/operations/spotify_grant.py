"""A stored Spotify refresh token exchanged for an access token, for every operation that holds
one (a followed playlist's schedule, a signed-in user's linked account)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aidj_service.config import Settings
from aidj_service.edge.http import UnprocessableEntity

if TYPE_CHECKING:
    from aidj_service.clients.spotify import TokenGrant


def refresh_grant(settings: Settings, refresh_token: str) -> TokenGrant:
    """The access token a refresh token buys now; a 422 when this server has no Spotify app."""
    # imported here: the Spotify client's HTTP stack is needed only when a token is exchanged
    from aidj_service.clients.spotify import refresh_access_token

    if not settings.spotify_client_id:
        raise UnprocessableEntity(
            "this server has no SPOTIFY_CLIENT_ID, so it cannot use Spotify sign-ins",
            code="spotify_not_configured",
        )
    return refresh_access_token(
        refresh_token,
        client_id=settings.spotify_client_id,
        accounts_url=settings.spotify_accounts_url,
    )
