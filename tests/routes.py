"""Helpers shared by the foundation tests: the app's routes, role sets, reading CSRF tokens."""

import re
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi.routing import APIRoute

from app.users.models import Role

PLACEHOLDER_ID = "999999"
READ_METHODS = {"GET", "HEAD", "OPTIONS"}

# Who may use a route of each access level (admins may do everything).
LEVELS: dict[str, set[Role | None]] = {
    "public": {None, *Role},
    "reader": {Role.viewer, Role.director, Role.staff, Role.admin},
    "director": {Role.director, Role.admin},
    "staff": {Role.staff, Role.admin},
    "admin": {Role.admin},
}


@dataclass(frozen=True)
class Endpoint:
    """One method of one route, as the app serves it."""

    name: str
    method: str
    path: str
    route: APIRoute = field(compare=False, repr=False)

    @property
    def is_api(self) -> bool:
        return self.path == "/api" or self.path.startswith("/api/")

    @property
    def changes_state(self) -> bool:
        return self.method not in READ_METHODS

    @property
    def url(self) -> str:
        """The path with every parameter replaced by an id that matches nothing."""
        return re.sub(r"\{[^}]+\}", PLACEHOLDER_ID, self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.name})"

    def fields(self, kind: str) -> list[str]:
        """Names of the route's `query`, `path` or `body` parameters, its dependencies' included."""
        names: list[str] = []
        pending = [self.route.dependant]
        while pending:
            dependant = pending.pop()
            names += [param.alias for param in getattr(dependant, f"{kind}_params")]
            pending += dependant.dependencies
        return sorted(set(names))

    @property
    def takes_json(self) -> bool:
        return self.is_api and bool(self.fields("body")) and self.method not in READ_METHODS


def _api_routes(app: FastAPI) -> list[tuple[str, str, set[str], APIRoute]]:
    try:
        # FastAPI ≥ 0.16x keeps included routers lazily: walk their effective routes.
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return [
            (route.name, route.path, set(route.methods), route)
            for route in app.routes
            if isinstance(route, APIRoute)
        ]
    return [
        (str(context.name), str(context.path), set(context.methods or ()), context.original_route)
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every (method, route) the app answers, static files and the OpenAPI pages aside."""
    found = {
        Endpoint(name=name, method=method, path=path, route=route)
        for name, path, methods, route in _api_routes(app)
        for method in methods - {"HEAD"}
    }
    return sorted(found, key=lambda e: (e.path, e.method))


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its <meta name="csrf-token">."""
    match = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert match, "la page ne porte pas de jeton CSRF"
    return match.group(1)
