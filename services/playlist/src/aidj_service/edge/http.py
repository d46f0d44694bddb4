"""Framework-free HTTP plumbing shared by the local server and the Lambda adapter.

``Request`` and ``Response`` are what both adapters translate to and from; ``HTTPError`` and its
subclasses are the only way a handler reports a failure, and every one becomes the same JSON
body: ``{"error": {"code", "message", "request_id"}}``.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from aidj_service.models import ErrorBody, ErrorDetail, validation_message


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # names lower-case
    body: bytes = b""
    source_ip: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # time.monotonic() value by which the answer must be ready (Lambda's remaining time).
    deadline: float | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    route: str = ""  # the matched route template, e.g. "GET /playlists/{id}" (logs never hold ids)
    body_too_large: bool = False  # the adapter stopped reading a body over the configured limit
    context: dict[str, Any] = field(default_factory=dict)  # fields for this request's log line
    # The claims of a sign-in token API Gateway's JWT authorizer checked (Lambda only); None where
    # no authorizer ran, and the service checks a token itself (aidj_service.identity).
    claims: dict[str, Any] | None = None

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def remaining_s(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


@dataclass(slots=True)
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls, model: BaseModel, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> Response:
        """A JSON answer built from one of the response models (``aidj_service.models``).

        Only the fields the builder set leave (an optional part left out stays out), under
        their wire names (``from``).
        """
        # warnings off: a stored record older than its model is answered as stored (responses.py)
        body = model.model_dump_json(by_alias=True, exclude_unset=True, warnings=False).encode(
            "utf-8"
        )
        return cls(
            status, body, {"content-type": "application/json; charset=utf-8", **(headers or {})}
        )

    def json_body(self) -> Any:
        return json.loads(self.body)


class HTTPError(Exception):
    """A failure with an HTTP status, a stable machine-readable ``code`` and a message for people."""

    status = 500
    code = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})
        self.details = dict(details or {})

    def to_response(self, request_id: str) -> Response:
        error = ErrorDetail(code=self.code, message=self.message, request_id=request_id)
        if self.details:
            error.details = self.details
        return Response.of(ErrorBody(error=error), self.status, self.headers)


class BadRequest(HTTPError):
    status, code = 400, "bad_request"


class Unauthorized(HTTPError):
    status, code = 401, "unauthorized"


class Forbidden(HTTPError):
    status, code = 403, "forbidden"


class NotFound(HTTPError):
    status, code = 404, "not_found"


class MethodNotAllowed(HTTPError):
    status, code = 405, "method_not_allowed"


class Conflict(HTTPError):
    status, code = 409, "conflict"


class MisdirectedRequest(HTTPError):
    # a region that is not the playlist's home (aidj_service.stores.home_region)
    status, code = 421, "wrong_region"


class PayloadTooLarge(HTTPError):
    status, code = 413, "payload_too_large"


class UnprocessableEntity(HTTPError):
    status, code = 422, "validation_error"


class TooManyRequests(HTTPError):
    status, code = 429, "rate_limited"


class BadGateway(HTTPError):
    status, code = 502, "bad_gateway"


class ServiceUnavailable(HTTPError):
    status, code = 503, "service_unavailable"


def json_body(request: Request) -> Any:
    """The request body as a JSON object, or the 400/422 that says what to send instead."""
    if not request.body.strip():
        raise BadRequest(
            'request body is empty: send JSON like {"prompt": "energetic music for working out"}',
            code="invalid_json",
        )
    try:
        body = json.loads(request.body)
    except RecursionError:
        raise BadRequest(
            "request body nests too deeply: send a flat JSON object", code="invalid_json"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(
            f'request body is not valid JSON ({exc}): send {{"prompt": "..."}} with Content-Type: application/json',
            code="invalid_json",
        ) from None
    if not isinstance(body, dict):
        raise UnprocessableEntity('request body must be a JSON object like {"prompt": "..."}')
    try:
        # JSON may spell lone surrogates ("\ud800"), which no UTF-8 store or header can hold
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(
            "request body holds invalid Unicode (a lone surrogate escape such as \\ud800): send valid UTF-8 text",
            code="invalid_json",
        ) from None
    except (ValueError, RecursionError):
        pass  # NaN and the like: the models decide
    return body


RequestModel = TypeVar("RequestModel", bound=BaseModel)


def parse_json(request: Request, model: type[RequestModel]) -> RequestModel:
    """The body validated as ``model``, or a 422 naming the field to fix."""
    try:
        return model.model_validate(json_body(request))
    except ValidationError as exc:
        raise UnprocessableEntity(validation_message(exc, model)) from None
