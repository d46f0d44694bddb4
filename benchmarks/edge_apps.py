"""The one small API surface ``edge_frameworks.py`` serves three ways, and the events it sends.

The surface is a slice of the real API: ``POST /playlist`` (a JSON body validated by the
service's own ``PlaylistRequest``), ``GET /playlists/{id}``, ``GET /health`` and
``GET /openapi.json``; every failure is the service's ``{"error": {"code", "message",
"request_id"}}``; every answer carries ``x-request-id`` (API Gateway's request id) and CORS
headers for an ``Origin``. The operations behind it are stubs (a fixed 20-track answer, a dict
for history), so only the edge is measured: routing, body parsing, validation, serialisation,
middleware, the API Gateway v2 translation.

Each ``build_*`` imports its framework itself, so a cold start pays for exactly one edge.
"""

import json
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from aidj_service.models import ErrorBody, ErrorDetail, PlaylistRequest, validation_message

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
EXPOSED_HEADERS = ["retry-after", "x-request-id", "idempotent-replayed"]
ORIGIN = "https://dj.example.org"
TITLE, VERSION = "AI DJ", "1.0.0"


# ---------------------------------------------------------------- the stub operations


class TrackOut(BaseModel):
    id: str
    name: str
    artists: list[str]
    bpm: float
    camelot: str


class PlaylistOut(BaseModel):
    playlist_id: str
    name: str
    prompt: str
    tracks: list[TrackOut]


class HealthOut(BaseModel):
    status: str
    catalog_tracks: int
    history: str


class PlaylistMissing(Exception):
    """No playlist with this id (each edge answers it as a 404 ``playlist_not_found``)."""


TRACKS = [
    TrackOut(id=f"track{i:02d}", name=f"Song {i}", artists=["Artist"], bpm=118.0 + i, camelot="8A")
    for i in range(20)
]
_HISTORY: dict[str, PlaylistOut] = {}


def create(request: PlaylistRequest) -> PlaylistOut:
    playlist = PlaylistOut(
        playlist_id=str(uuid.uuid4()),
        name=request.prompt[:60],
        prompt=request.prompt,
        tracks=TRACKS[: request.limit or len(TRACKS)],
    )
    _HISTORY[playlist.playlist_id] = playlist
    return playlist


def read(playlist_id: str) -> PlaylistOut:
    found = _HISTORY.get(playlist_id)
    if found is None:
        raise PlaylistMissing(
            "no playlist with this id: check the link, or create one with POST /playlist"
        )
    return found


def health() -> HealthOut:
    return HealthOut(status="ok", catalog_tracks=114_000, history="memory")


def error_json(code: str, message: str, request_id: str) -> str:
    detail = ErrorDetail(code=code, message=message, request_id=request_id)
    return ErrorBody(error=detail).model_dump_json(exclude_none=True)


def errors_message(errors: list[Any]) -> str:
    """A framework's validation errors in the service's words ("prompt: is empty: ...")."""
    parts = []
    for err in errors[:5]:
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{'.'.join(loc) or 'body'}: {msg}")
    return "; ".join(parts)


# ---------------------------------------------------------------- (a) today's hand-written edge


def build_handwritten() -> LambdaHandler:
    """The service's own Router, Request/Response, HTTPError, OpenAPI operation builder and
    API Gateway translation, with the cross-cutting steps as composable middleware."""
    from pydantic.json_schema import models_json_schema

    from aidj_service.http import (
        BadRequest,
        Handler,
        HTTPError,
        NotFound,
        Request,
        Response,
        Router,
        UnprocessableEntity,
    )
    from aidj_service.lambda_adapter import to_request, to_result
    from aidj_service.openapi import REF, operation
    from aidj_service.routes import Endpoint, Ok, Param

    def create_route(request: Request) -> Response:
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            raise BadRequest("the body is not JSON: send a JSON object") from None
        try:
            req = PlaylistRequest.model_validate(body)
        except ValidationError as exc:
            raise UnprocessableEntity(validation_message(exc)) from None
        return Response.of(create(req))

    def get_route(request: Request) -> Response:
        try:
            return Response.of(read(request.path_params["id"]))
        except PlaylistMissing as exc:
            raise NotFound(str(exc), code="playlist_not_found") from None

    endpoints = (
        Endpoint(
            "POST",
            "/playlist",
            "create",
            "createPlaylist",
            "Build a playlist",
            Ok("The playlist", PlaylistOut),
            {400: "Body is not JSON", 422: "Invalid body"},
            body=PlaylistRequest,
        ),
        Endpoint(
            "GET",
            "/playlists/{id}",
            "get",
            "getPlaylist",
            "A stored playlist",
            Ok("The playlist", PlaylistOut),
            {404: "No such playlist"},
            params=(
                Param("playlist_id", "path", {"type": "string"}, required=True, template_name="id"),
            ),
        ),
        Endpoint("GET", "/health", "health", "health", "Liveness", Ok("Healthy", HealthOut), {}),
    )
    openapi: list[bytes] = []

    def openapi_route(request: Request) -> Response:
        if not openapi:  # built on first use, as the service does
            models = [(PlaylistRequest, "validation"), (PlaylistOut, "serialization")]
            models += [(HealthOut, "serialization"), (ErrorBody, "serialization")]
            refs, defs = models_json_schema(models, ref_template=REF)
            names = {m: refs[(m, mode)]["$ref"].rsplit("/", 1)[-1] for m, mode in models}
            paths: dict[str, Any] = {}
            for endpoint in endpoints:
                paths.setdefault(endpoint.document_path, {})[endpoint.method.lower()] = operation(
                    endpoint, names
                )
            document = {
                "openapi": "3.1.0",
                "info": {"title": TITLE, "version": VERSION},
                "paths": paths,
                "components": {"schemas": defs.get("$defs", {})},
            }
            openapi.append(json.dumps(document).encode())
        return Response(200, openapi[0], {"content-type": "application/json"})

    router = Router()
    router.add("POST", "/playlist", create_route)
    router.add("GET", "/playlists/{id}", get_route)
    router.add("GET", "/health", lambda request: Response.of(health()))
    router.add("GET", "/openapi.json", openapi_route)

    def route(request: Request) -> Response:
        matched, request.path_params = router.resolve(request)
        request.route = matched.key
        return matched.handler(request)

    def errors_as_json(request: Request, next_step: Handler) -> Response:
        try:
            return next_step(request)
        except HTTPError as exc:
            return exc.to_response(request.request_id)

    def request_id(request: Request, next_step: Handler) -> Response:
        response = next_step(request)
        response.headers["x-request-id"] = request.request_id
        return response

    def cors(request: Request, next_step: Handler) -> Response:
        response = next_step(request)
        if request.header("origin"):
            response.headers["access-control-allow-origin"] = "*"
            response.headers["access-control-expose-headers"] = ", ".join(EXPOSED_HEADERS)
        return response

    def chain(steps: list[Callable[[Request, Handler], Response]], last: Handler) -> Handler:
        handle = last
        for step in reversed(steps):
            handle = (lambda s, n: lambda request: s(request, n))(step, handle)
        return handle

    handle = chain([cors, request_id, errors_as_json], route)

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            request = to_request(event, context)
        except HTTPError as exc:
            return to_result(exc.to_response(context.aws_request_id))
        return to_result(handle(request))

    return handler


# ---------------------------------------------------------------- (b) Powertools' event handler


def build_powertools() -> LambdaHandler:
    """``APIGatewayHttpResolver(enable_validation=True)``: pydantic bodies, its OpenAPI."""
    from aws_lambda_powertools.event_handler import (
        APIGatewayHttpResolver,
        CORSConfig,
        Response,
        content_types,
    )
    from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

    app = APIGatewayHttpResolver(
        cors=CORSConfig(allow_origin="*", expose_headers=EXPOSED_HEADERS),
        enable_validation=True,
    )

    def request_id() -> str:
        return app.current_event.request_context.request_id

    def error(status: int, code: str, message: str) -> Response:
        return Response(
            status,
            content_types.APPLICATION_JSON,
            error_json(code, message, request_id()),
            {"x-request-id": request_id()},
        )

    def with_request_id(app_: Any, next_middleware: Any) -> Response:
        response = next_middleware(app_)
        response.headers["x-request-id"] = request_id()
        return response

    app.use(middlewares=[with_request_id])

    @app.exception_handler(RequestValidationError)
    def invalid(exc: RequestValidationError) -> Response:
        return error(422, "validation_error", errors_message(list(exc.errors())))

    @app.exception_handler(PlaylistMissing)
    def missing(exc: PlaylistMissing) -> Response:
        return error(404, "playlist_not_found", str(exc))

    @app.not_found
    def no_route(exc: Exception) -> Response:
        path = app.current_event.path
        return error(404, "route_not_found", f"no route for {path}: see /openapi.json for the API")

    @app.post("/playlist")
    def create_route(body: PlaylistRequest) -> PlaylistOut:
        return create(body)

    @app.get("/playlists/<playlist_id>")
    def get_route(playlist_id: str) -> PlaylistOut:
        return read(playlist_id)

    @app.get("/health")
    def health_route() -> HealthOut:
        return health()

    openapi: list[str] = []

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_route():  # no return type: Powertools would validate the answer against it
        if not openapi:
            openapi.append(app.get_openapi_json_schema(title=TITLE, version=VERSION))
        return Response(200, content_types.APPLICATION_JSON, openapi[0])

    return app.resolve


# ---------------------------------------------------------------- (c) FastAPI behind Mangum


def build_fastapi() -> LambdaHandler:
    """FastAPI (Starlette) with its CORS middleware and a pure-ASGI request-id step, behind
    Mangum. Handlers are ``async def``: a Lambda container serves one request at a time, so a
    blocking call in them holds up nobody, and a sync handler would pay for a thread hop."""
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.middleware.cors import CORSMiddleware
    from fastapi.responses import Response
    from mangum import Mangum
    from starlette.exceptions import HTTPException

    def request_id_of(scope: dict[str, Any]) -> str:
        return scope["aws.event"]["requestContext"]["requestId"]

    class RequestId:
        """Pure ASGI (not BaseHTTPMiddleware, which costs a task per request)."""

        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
            header = (b"x-request-id", request_id_of(scope).encode())

            async def send_with_id(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message.get("headers", []), header]
                await send(message)

            await self.app(scope, receive, send_with_id)

    app = FastAPI(title=TITLE, version=VERSION, docs_url=None, redoc_url=None)
    app.add_middleware(RequestId)
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["*"], expose_headers=EXPOSED_HEADERS
    )

    def error(request: Request, status: int, code: str, message: str) -> Response:
        body = error_json(code, message, request_id_of(request.scope))
        return Response(body, status, media_type="application/json")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return error(request, 422, "validation_error", errors_message(list(exc.errors())))

    @app.exception_handler(PlaylistMissing)
    async def missing(request: Request, exc: PlaylistMissing) -> Response:
        return error(request, 404, "playlist_not_found", str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            message = f"no route for {request.url.path}: see /openapi.json for the API"
            return error(request, 404, "route_not_found", message)
        return error(request, exc.status_code, "http_error", str(exc.detail))

    @app.post("/playlist", response_model=PlaylistOut)
    async def create_route(body: PlaylistRequest) -> PlaylistOut:
        return create(body)

    @app.get("/playlists/{playlist_id}", response_model=PlaylistOut)
    async def get_route(playlist_id: str) -> PlaylistOut:
        return read(playlist_id)

    @app.get("/health", response_model=HealthOut)
    async def health_route() -> HealthOut:
        return health()

    return Mangum(app, lifespan="off")


# ---------------------------------------------------------------- the floor every edge shares


def build_floor() -> LambdaHandler:
    """No edge at all: parse and validate the body, call the operation, dump the answer. The
    difference between a row and this one is what that edge costs."""

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        req = PlaylistRequest.model_validate_json(event.get("body") or "{}")
        return {"statusCode": 200, "body": create(req).model_dump_json()}

    return handler


BUILDERS: dict[str, Callable[[], LambdaHandler]] = {
    "floor": build_floor,
    "handwritten": build_handwritten,
    "powertools": build_powertools,
    "fastapi": build_fastapi,
}


# ---------------------------------------------------------------- API Gateway v2 events


class Context:
    """The parts of Lambda's context object the three edges read."""

    function_name = "aidj-bench"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:aidj-bench"
    memory_limit_in_mb = 1024
    aws_request_id = "00000000-0000-4000-8000-00000000c0de"
    log_group_name = "/aws/lambda/aidj-bench"
    log_stream_name = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 29_000


def event(method: str, path: str, body: str | None = None, n: int = 0) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event as API Gateway sends it, from a browser on ``ORIGIN``."""
    headers = {
        "accept": "application/json",
        "content-type": "application/json",
        "host": "abc123.execute-api.eu-west-1.amazonaws.com",
        "origin": ORIGIN,
        "user-agent": "Mozilla/5.0",
        "x-forwarded-for": "203.0.113.7",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    if body is not None:
        headers["content-length"] = str(len(body.encode()))
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "Mozilla/5.0",
            },
            "requestId": f"req-{n:08d}",
            "routeKey": "$default",
            "stage": "$default",
            "time": "04/Dec/2026:22:00:00 +0000",
            "timeEpoch": 1796421600000,
        },
        "body": body,
        "isBase64Encoded": False,
    }


PLAYLIST_BODY = json.dumps({"prompt": "energetic music for working out", "limit": 20})
INVALID_BODY = json.dumps({"prompt": "   ", "limit": 20})
