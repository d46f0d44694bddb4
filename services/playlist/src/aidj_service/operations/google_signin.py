"""``POST /auth/google/token``: the page's YouTube sign-in code exchanged for an access token.

Google wants a *Web application* client's secret at its token endpoint even with PKCE; the page
cannot keep one, so it sends the code, its verifier and its redirect URI here, and gets back
only ``{access_token, expires_in, scope}``: nothing is stored, no refresh token is asked for
(``access_type=online``) or passed on, and neither the code nor a token reaches a log line.
"""

from __future__ import annotations

from aidj_service.clients.google_oauth import (
    GoogleClientRejectedError,
    GoogleCodeRefusedError,
    GoogleOAuthError,
    GoogleUnavailableError,
    exchange_code,
)
from aidj_service.delivery.google_signin import (
    GoogleAccess,
    GoogleCodeExchange,
    allowed_redirect,
    page_address,
)
from aidj_service.delivery.settings import DeliverySettings
from aidj_service.edge.http import HTTPError, Request, Response, parse_json
from aidj_service.edge.ratelimit import bucket_key, enforce
from aidj_service.operations.context import Context


def http_error(exc: GoogleOAuthError) -> HTTPError:
    """Google's answer as the page should see it (each message says what to do next)."""
    if isinstance(exc, GoogleCodeRefusedError):
        return HTTPError(exc.message, code="google_code_refused", status=422)
    if isinstance(exc, GoogleClientRejectedError):
        # this service's own settings are wrong: not the caller's to fix
        return HTTPError(exc.message, code="google_client_rejected", status=502)
    if isinstance(exc, GoogleUnavailableError):
        return HTTPError(
            exc.message, code="google_unavailable", status=503, headers={"retry-after": "5"}
        )
    return HTTPError(exc.message, code="google_error", status=502)


class GoogleSignIn:
    def __init__(self, ctx: Context, settings: DeliverySettings) -> None:
        self.ctx = ctx
        self.settings = settings

    def exchange(self, request: Request) -> Response:
        settings = self.settings
        if not (settings.google_client_id and settings.google_client_secret):
            raise HTTPError(
                "this service is not set up for YouTube Music sign-in: it needs GOOGLE_CLIENT_ID "
                "and GOOGLE_CLIENT_SECRET (a Google OAuth Web application client)",
                code="platform_not_configured",
                status=422,
            )
        # one bucket per address: a sign-in comes before anyone is known to this service
        enforce(self.ctx.limiter, bucket_key("anonymous", request.source_ip), "sign-ins")
        body = parse_json(request, GoogleCodeExchange)
        page = page_address(request.header("origin"), request.header("host"))
        if not allowed_redirect(
            body.redirect_uri,
            page=page,
            origins=self.ctx.settings.cors_origins,
            uris=settings.google_redirect_uris,
        ):
            raise HTTPError(
                f"redirect_uri {body.redirect_uri!r} is not this page's address: sign in from "
                "the page this service serves, or list the address in AIDJ_GOOGLE_REDIRECT_URIS",
                code="redirect_uri_not_allowed",
                status=422,
            )
        try:
            grant = exchange_code(
                body.code,
                code_verifier=body.code_verifier,
                redirect_uri=body.redirect_uri,
                client_id=settings.google_client_id,
                client_secret=settings.google_client_secret,
                token_url=settings.google_token_url,
                timeout_s=settings.timeout_s,
            )
        except GoogleOAuthError as exc:
            raise http_error(exc) from None
        answer = GoogleAccess(
            access_token=grant.access_token, expires_in=grant.expires_in, scope=grant.scope
        )
        # a token is a credential: no cache, shared or private, may keep the answer
        return Response.of(answer, headers={"cache-control": "no-store"})
