"""The router: route templates in registration order, matched against a request's path.

Which templates exist and which operation answers each is declared in :mod:`.routes`; this
module only matches (``{id}`` one path segment, ``{path+}`` the rest of the path).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from aidj_service.edge.http import MethodNotAllowed, NotFound, Request, Response

Handler = Callable[[Request], Response]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    template: str  # "/playlists/{id}"
    pattern: re.Pattern[str]
    handler: Handler

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


def compile_template(template: str) -> re.Pattern[str]:
    """``/playlists/{id}`` matches one path segment; ``/static/{path+}`` matches the rest of the path."""
    parts = re.split(r"(\{[a-z_]+\+?\})", template)
    regex = ""
    for part in parts:
        if part.startswith("{"):
            name = part.strip("{}+")
            regex += f"(?P<{name}>.+)" if part.endswith("+}") else f"(?P<{name}>[^/]+)"
        else:
            regex += re.escape(part)
    return re.compile(f"^{regex}$")


class Router:
    """Routes in registration order; the first template that matches the path wins."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        self.routes.append(Route(method.upper(), template, compile_template(template), handler))

    def allowed_methods(self, path: str) -> list[str]:
        return sorted({r.method for r in self.routes if r.pattern.match(path)})

    def resolve(self, request: Request) -> tuple[Route, dict[str, str]]:
        """The route for ``request``, or :class:`NotFound` / :class:`MethodNotAllowed`."""
        allowed: set[str] = set()
        for route in self.routes:
            match = route.pattern.match(request.path)
            if match is None:
                continue
            if route.method == request.method or (
                route.method == "GET" and request.method == "HEAD"
            ):
                return route, match.groupdict()
            allowed.add(route.method)
        if allowed:
            methods = ", ".join(sorted(allowed | {"OPTIONS"}))
            raise MethodNotAllowed(
                f"{request.method} is not allowed on {request.path}: use {methods}",
                headers={"allow": methods},
            )
        raise NotFound(
            f"no route for {request.path}: see /openapi.json for the API", code="route_not_found"
        )
