"""What this instance is: liveness (and, deep, whether its store answers) and the page's public settings."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from aidj_service.config import SPOTIFY_SCOPES
from aidj_service.edge.http import Request, Response, ServiceUnavailable
from aidj_service.models import ClientConfig, Health, SignInConfig
from aidj_service.operations.context import Context
from aidj_service.stores.history import HistoryUnavailable

# a playlist id no playlist has: what /health?deep=1 looks up in a store without its own check
HEALTH_PROBE_ID = "00000000-0000-4000-8000-000000000000"


class Status:
    def __init__(
        self, ctx: Context, platforms: Callable[[], Mapping[str, Any]] | None = None
    ) -> None:
        self.ctx = ctx
        # the delivery platforms' public settings for the page (operations/delivery.py)
        self._platforms = platforms

    def health(self, request: Request) -> Response:
        store = self.ctx.store
        body = Health.model_validate(
            {
                "status": "ok",
                "catalog_tracks": len(self.ctx.dj.catalog),
                "history": store.name,
                "interpreter": self.ctx.settings.interpreter,
                "local_mode": bool(self.ctx.settings.local_mode),
            }
        )
        if request.query.get("deep", "") not in ("", "0", "false"):
            # for probes and alarms: the store answers (and, for SQLite, a write could start now)
            started = time.perf_counter()
            try:
                check = getattr(store, "health_check", None)
                check() if callable(check) else store.get(HEALTH_PROBE_ID)
            except HistoryUnavailable as exc:
                raise ServiceUnavailable(
                    f"playlist history ({store.name}) is not answering ({exc.reason}): "
                    "new playlists cannot be saved; try again in a few seconds",
                    code="history_unavailable",
                    headers={"retry-after": "5"},
                    details={"checks": {"history": "unavailable"}},
                ) from None
            body.checks = {
                "history": "ok",
                "history_ms": round((time.perf_counter() - started) * 1000, 1),
            }
        return Response.of(body)

    def client_config(self, request: Request) -> Response:
        settings = self.ctx.settings
        sign_in = None
        if settings.signs_in and settings.cognito_client_id:
            sign_in = SignInConfig(
                domain=settings.cognito_domain,
                client_id=settings.cognito_client_id,
                anonymous=settings.anonymous,
            )
        return Response.of(
            ClientConfig(
                spotify_client_id=settings.spotify_client_id,
                spotify_scopes=SPOTIFY_SCOPES,
                sign_in=sign_in,
                model_choices=list(settings.model_choices.names),
                **(self._platforms() if self._platforms is not None else {}),
            )
        )
