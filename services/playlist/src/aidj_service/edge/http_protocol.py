"""uvicorn's httptools protocol, answering unparseable HTTP with the API's JSON error body.

A request httptools cannot parse (an unknown method, a bad Content-Length, a broken request
line) never reaches the ASGI app; uvicorn answers it with a text/plain 400. Clients of this API
read ``{"error": {"code", "message", "request_id"}}`` everywhere, so this subclass writes that
(through the same ``HTTPError`` every handler raises).
Named by ``server.uvicorn_config`` as an import string, so worker processes can load it too.
"""

from __future__ import annotations

import uuid

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from aidj_service.edge.http import HTTPError
from aidj_service.edge.middleware import secure


class JsonErrorHttpToolsProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        request_id = uuid.uuid4().hex
        error = HTTPError(
            f"the request is not valid HTTP/1.1 ({msg}): check the method, the headers and the "
            "Content-Length",
            code="malformed_request",
            status=400,
        )
        response = secure(error.to_response(request_id))
        body = response.body
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        for name, value in response.headers.items():  # content type and the security headers
            head += [name.encode("latin-1"), b": ", value.encode("latin-1"), b"\r\n"]
        head += [
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"x-request-id: " + request_id.encode("ascii") + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
