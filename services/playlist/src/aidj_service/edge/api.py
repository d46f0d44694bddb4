"""The AI DJ HTTP API: one object, one ``handle(Request) -> Response``, used by both adapters.

This is where the rooms meet: it builds the operations once per process (the catalog, the
interpreters and the history store are loaded at start-up, never per request), binds each
route of :data:`aidj_service.edge.routes.ROUTED` to the operation method it names, and wraps
the router in the middleware chain (:mod:`aidj_service.edge.middleware`). Every failure leaves
as ``{"error": {"code", "message", "request_id"}}``; an unexpected exception is logged with its
traceback and answered with a plain 500 ``internal_error``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from aidj_service.config import Settings
from aidj_service.delivery.settings import DeliverySettings
from aidj_service.edge import middleware, static
from aidj_service.edge.http import Request, Response
from aidj_service.edge.metrics import UsageMetrics
from aidj_service.edge.pages import Pages
from aidj_service.edge.ratelimit import RateLimiter
from aidj_service.edge.router import Handler, Router
from aidj_service.edge.routes import ROUTED
from aidj_service.identity import Identity
from aidj_service.operations.context import Context, Engine, Interpreters
from aidj_service.operations.create import CreatePlaylists
from aidj_service.operations.delivery import Deliveries
from aidj_service.operations.google_signin import GoogleSignIn
from aidj_service.operations.living.service import Living
from aidj_service.operations.reading import History
from aidj_service.operations.status import Status
from aidj_service.operations.taste import Tastes
from aidj_service.stores.backends import HISTORY_STORES, PromptReader
from aidj_service.stores.history import HistoryStore
from aidj_service.stores.taste import open_taste_store


class Stoppable(Protocol):
    """A background worker the API owns (``aidj serve``'s refresher)."""

    def stop(self) -> None: ...


class Api:
    def __init__(
        self,
        settings: Settings,
        *,
        dj: Engine | None = None,
        store: HistoryStore | None = None,
        interpreters: dict[str, PromptReader] | None = None,
        clock: Callable[[], datetime] | None = None,
        delivery: DeliverySettings | None = None,
    ) -> None:
        self.settings = settings
        if dj is None:
            from aidj.dj import DJ

            dj = DJ.load(settings.catalog, cache_dir=settings.cache_dir)
        self.dj: Engine = dj
        self.store = store if store is not None else HISTORY_STORES[settings.history].open(settings)
        self.limiter = RateLimiter(settings.effective_rate_limit)
        self.identity = Identity(settings)
        self.interpreters = Interpreters(settings, dj, interpreters)
        self.taste_store = open_taste_store(settings.db_path, self.store)
        ctx = Context(
            settings,
            dj,
            self.store,
            self.identity,
            self.limiter,
            self.interpreters,
            self.taste_store,
        )
        # the operations, by capability; the route table names their methods
        self.playlists = CreatePlaylists(ctx)
        self.living = Living(ctx, clock)
        self.history = History(ctx, self.living.book)
        self.versions = self.living.versions
        self.schedules = self.living.schedules
        self.playback = self.living.playback
        self.deliveries = Deliveries(ctx, self.living.book, delivery)
        self.google = GoogleSignIn(ctx, self.deliveries.settings)  # the page's YouTube sign-in
        self.status = Status(ctx, self.deliveries.client_settings)
        self.taste = Tastes(ctx)
        self.account = self.playlists.account
        scripts, connects = self.deliveries.page_hosts()
        if settings.signs_in and settings.cognito_domain:
            connects = (*connects, settings.cognito_domain)  # the page's sign-in token exchange
        self.pages = Pages(static.security_headers(scripts, connects))
        self.metrics = UsageMetrics(settings)  # AIDJ_METRICS=on: EMF lines and GET /metrics
        # aidj serve's opt-in background refresher (aidj_service.edge.refresher)
        self.refresher: Stoppable | None = None
        self.router = Router()
        for endpoint in ROUTED:  # declared once, in aidj_service.edge.routes
            self.router.add(endpoint.method, endpoint.path, self.handler(endpoint.handler))
        cors = middleware.Cors(settings, self.router)
        self._pipeline = middleware.compose(
            middleware.routed(self.router, middleware.body_limit(settings)),
            middleware.access_log,
            self.metrics.step,
            middleware.security_headers,
            cors.headers,
            middleware.errors_as_json,
            middleware.path_limit,
            middleware.local_guard(settings),
            cors.preflight,
        )

    def handler(self, name: str) -> Handler:
        """The bound method a route declaration names: ``"status.health"``, ``"versions.revert"``."""
        owner: object = self
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        return getattr(owner, attr)

    def handle(self, request: Request) -> Response:
        """The one entry point both adapters call."""
        return self._pipeline(request)

    def interpreter(self, name: str) -> PromptReader:
        """The interpreter registered as ``name``, built on first use."""
        return self.interpreters.get(name)

    def warm(self) -> None:
        """Load lazily built models now, so the first request is as fast as the rest."""
        warm = getattr(self.dj, "warm", None)
        if callable(warm):
            warm()

    def close(self) -> None:
        if self.refresher is not None:
            self.refresher.stop()
        self.taste_store.close()
        self.store.close()
