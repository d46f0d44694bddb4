"""The local server: uvicorn (httptools) with a tiny ASGI adapter around the one :class:`Api`.

Each worker process loads the catalog and interpreters once, at start-up (ASGI lifespan), and
answers requests on thread pools so a slow Spotify call never stalls the event loop. With
``workers > 1`` the settings travel to the workers through the environment.

Two pools: the engine, the store and Spotify run on one; ``/health``, the page's static files,
``/config``, ``/openapi.json`` and preflights on a small one of their own, so a stuck store or a
slow Spotify never holds them up. Every wait is bounded by the request deadline: a request the
pool could not finish in time is answered 503 (the work, if it started, finishes unobserved).
Malformed HTTP that never reaches the app (an unknown method, a bad Content-Length, an
oversized request line) still gets the JSON error body.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl

from aidj_service.config import Settings
from aidj_service.edge.http import Request, Response, ServiceUnavailable
from aidj_service.edge.middleware import secure

if TYPE_CHECKING:
    import uvicorn

    from aidj_service.edge.api import Api

log = logging.getLogger(__name__)

DEFAULT_THREADS = 16
FAST_THREADS = 4
# Routes that touch neither the engine nor (unless deep) the store: answered on their own pool.
FAST_PATHS = frozenset({"/health", "/", "/config", "/openapi.json"})


def is_fast(method: str, path: str) -> bool:
    return method == "OPTIONS" or (
        method in ("GET", "HEAD") and (path in FAST_PATHS or path.startswith("/static/"))
    )


class ServedApi(Protocol):
    """What the server needs of the service (:class:`aidj_service.edge.api.Api`)."""

    settings: Settings

    def handle(self, request: Request) -> Response: ...

    def close(self) -> None: ...


class AsgiApp:
    """ASGI 3 application: HTTP requests -> :meth:`Api.handle` on a thread pool."""

    def __init__(
        self, api_factory: Callable[[], ServedApi], *, threads: int = DEFAULT_THREADS
    ) -> None:
        self._factory = api_factory
        self.api: ServedApi | None = None
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="aidj")
        self._fast = ThreadPoolExecutor(max_workers=FAST_THREADS, thread_name_prefix="aidj-fast")

    def load(self) -> ServedApi:
        if self.api is None:
            self.api = self._factory()
        return self.api

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        api = self.api or await asyncio.get_running_loop().run_in_executor(
            self._executor, self.load
        )
        settings: Settings = api.settings
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope.get("headers") or []:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        too_large = False
        with contextlib.suppress(ValueError):
            too_large = int(headers.get("content-length") or 0) > settings.max_body_bytes
        body = b""
        if not too_large:
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > settings.max_body_bytes:
                    too_large = True  # stop buffering; the answer is 413 whatever follows
                    break
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
        query: dict[str, str] = {}
        for name, value in parse_qsl(
            scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True
        ):
            query.setdefault(name, value)
        client = scope.get("client") or ("", 0)
        request = Request(
            method=scope["method"].upper(),
            path=scope["path"],
            query=query,
            headers=headers,
            body=body,
            source_ip=client[0] if client else "",
            request_id=uuid.uuid4().hex,
            deadline=time.monotonic() + settings.request_timeout_s,
            body_too_large=too_large,
        )
        pool = self._fast if is_fast(request.method, request.path) else self._executor
        response = await self._answer(pool, api, request)
        response_headers = [
            (k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()
        ]
        if too_large:
            response_headers.append((b"connection", b"close"))
        await send(
            {"type": "http.response.start", "status": response.status, "headers": response_headers}
        )
        await send({"type": "http.response.body", "body": response.body})

    async def _answer(self, pool: ThreadPoolExecutor, api: ServedApi, request: Request) -> Response:
        """``api.handle(request)`` on ``pool``, or a 503 once the request's deadline has passed."""
        job = asyncio.get_running_loop().run_in_executor(pool, api.handle, request)
        try:
            remaining = request.remaining_s()
            return await asyncio.wait_for(
                job, timeout=None if remaining is None else max(0.0, remaining)
            )
        except TimeoutError:
            # a queued job is dropped by the cancellation; a running one finishes unobserved
            log.warning(
                "request %s passed its deadline (%s %s)",
                request.request_id,
                request.method,
                request.path,
            )
            response = ServiceUnavailable(
                "the service is too busy or a dependency is too slow to answer in time: try again in a few seconds",
                code="deadline_exceeded",
                headers={"retry-after": "5"},
            ).to_response(request.request_id)
            response.headers["x-request-id"] = request.request_id
            return secure(response)

    async def _lifespan(self, receive: Callable, send: Callable) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await asyncio.get_running_loop().run_in_executor(self._executor, self.load)
                except Exception as exc:
                    log.exception("could not start the AI DJ service")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.api is not None:
                    self.api.close()
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._fast.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return


def build_api(settings: Settings) -> Api:
    from aidj_service.edge.api import Api

    api = Api(settings)
    api.warm()
    if settings.refresh_every_minutes:
        from aidj_service.edge.refresher import Refresher

        api.refresher = Refresher(api, settings.refresh_every_minutes * 60).start()
    return api


def create_app() -> AsgiApp:
    """The ASGI app from the environment (uvicorn's factory for worker processes)."""
    from aidj_service.logs import configure_logging

    configure_logging()
    settings = Settings.from_env()
    return AsgiApp(lambda: build_api(settings))


def uvicorn_config(
    app: AsgiApp | str,
    host: str,
    port: int,
    *,
    forwarded_allow_ips: str | None = None,
    **extra: Any,
) -> uvicorn.Config:
    """uvicorn's settings for the service. Forwarding headers (X-Forwarded-For, -Proto) are
    believed only from ``forwarded_allow_ips``; by default from nobody, so a client cannot pick
    the address the rate limit counts by rotating X-Forwarded-For."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http="aidj_service.edge.http_protocol:JsonErrorHttpToolsProtocol",  # JSON 400s for malformed HTTP
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
        loop="asyncio",
        lifespan="on",
        access_log=False,  # our own JSON line per request replaces it
        log_level="warning",
        backlog=2048,
        timeout_keep_alive=5,
        server_header=False,
        **extra,
    )


def serve(host: str, port: int, workers: int, settings: Settings) -> None:
    """Run the API and the web page until interrupted. Local mode follows the bind address."""
    import uvicorn

    from aidj_service.logs import configure_logging

    settings = settings.for_host(host)
    configure_logging()
    # information, not a warning: a log watched for warnings must stay quiet on a normal start
    log.info(
        "AI DJ on http://%s:%s (%s worker%s, history %s, interpreter %s, local mode %s)",
        host,
        port,
        workers,
        "" if workers == 1 else "s",
        settings.history,
        settings.interpreter,
        settings.local_mode,
    )
    if workers <= 1:
        app = AsgiApp(lambda: build_api(settings))
        server = uvicorn.Server(
            uvicorn_config(app, host, port, forwarded_allow_ips=settings.forwarded_allow_ips)
        )
        server.run()
        return
    os.environ.update(settings.to_env())
    from uvicorn.supervisors import Multiprocess

    config = uvicorn_config(
        "aidj_service.edge.server:create_app",
        host,
        port,
        factory=True,
        workers=workers,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
    sock = config.bind_socket()
    # Workers get the listening socket by file descriptor, and asyncio then cannot tell it is
    # TCP and leaves Nagle on: every response waited ~40 ms for the client's delayed ACK.
    # Accepted sockets inherit TCP_NODELAY from the listener on Linux.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


def main() -> None:
    """``python -m aidj_service.edge.server [host] [port] [workers]`` (tests and benchmarks use it)."""
    import sys

    args = sys.argv[1:]
    host = args[0] if args else "127.0.0.1"
    port = int(args[1]) if len(args) > 1 else 8000
    workers = int(args[2]) if len(args) > 2 else 1
    serve(host, port, workers, Settings.from_env())


if __name__ == "__main__":
    main()
