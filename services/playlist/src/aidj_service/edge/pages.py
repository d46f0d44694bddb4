"""What the edge serves itself: the OpenAPI document, the web page and its static files."""

from __future__ import annotations

import json

from aidj_service.edge import static
from aidj_service.edge.http import Request, Response


class Pages:
    def __init__(self, headers: dict[str, str] | None = None) -> None:
        self._openapi: bytes | None = None  # generated on first request, once per process
        # the page's security headers (the policy names the sign-in scripts set up, if any)
        self.headers = headers if headers is not None else static.SECURITY_HEADERS

    def openapi(self, request: Request) -> Response:
        if self._openapi is None:
            from aidj_service.edge.openapi import openapi_document

            self._openapi = json.dumps(openapi_document(), ensure_ascii=False).encode()
        # the same for everyone and changed only by a deploy: shared caches may keep it a while
        return Response(
            200,
            self._openapi,
            {
                "content-type": "application/json; charset=utf-8",
                "cache-control": "public, max-age=300",
            },
        )

    def index(self, request: Request) -> Response:
        return static.serve_file("index.html", headers=self.headers)

    def static_file(self, request: Request) -> Response:
        return static.serve_file(request.path_params["path"], headers=self.headers)
