"""What the edge serves itself: the OpenAPI document, the web page and its static files."""

from __future__ import annotations

import json

from aidj_service.edge import static
from aidj_service.edge.http import Request, Response


def widen_connect_src(policy: str, origin: str) -> str:
    """``policy`` with ``origin`` added to its connect-src (the page may fetch from it)."""
    return "; ".join(
        f"{part} {origin}" if part.startswith("connect-src ") else part
        for part in policy.split("; ")
    )


class Pages:
    def __init__(self, sign_in_origin: str | None = None) -> None:
        self._openapi: bytes | None = None  # generated on first request, once per process
        # With sign-in on, the page exchanges its code at the hosted UI's token endpoint.
        self.sign_in_origin = sign_in_origin

    def openapi(self, request: Request) -> Response:
        if self._openapi is None:
            from aidj_service.edge.openapi import openapi_document

            self._openapi = json.dumps(openapi_document(), ensure_ascii=False).encode()
        return Response(200, self._openapi, {"content-type": "application/json; charset=utf-8"})

    def index(self, request: Request) -> Response:
        response = static.serve_file("index.html")
        policy = response.headers.get("content-security-policy")
        if self.sign_in_origin and policy:
            response.headers["content-security-policy"] = widen_connect_src(
                policy, self.sign_in_origin
            )
        return response

    def static_file(self, request: Request) -> Response:
        return static.serve_file(request.path_params["path"])
