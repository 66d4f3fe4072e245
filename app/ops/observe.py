"""One ASGI middleware per request: a request id, an access log line and the request metrics."""

import re
import secrets
import time
import uuid

import structlog
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.ops.metrics import exposition, observe

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
LOOPBACK = {"127.0.0.1", "::1"}
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"

log = structlog.get_logger("app.requests")


class ObserveRequests:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            await send(message)

        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                # The route's template, never the raw path: no postcode or id in a metric or log.
                route = getattr(scope.get("route"), "path", None) or "<hors route>"
                observe(method=scope["method"], route=route, status=status, seconds=seconds)
                log.info(
                    "requête",
                    method=scope["method"],
                    route=route,
                    status=status,
                    duration_ms=round(seconds * 1000, 1),
                )


def may_read_metrics(request: Request, settings: Settings) -> bool:
    """From this machine, or with PLAIDOYER_METRICS_TOKEN as a Bearer token."""
    if settings.metrics_token is not None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        expected = settings.metrics_token.get_secret_value()
        if scheme.lower() == "bearer" and secrets.compare_digest(given.strip(), expected):
            return True
    return request.client is not None and request.client.host in LOOPBACK


async def metrics(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    if not may_read_metrics(request, settings):
        return PlainTextResponse(
            "Métriques réservées à la machine locale ou à un jeton (PLAIDOYER_METRICS_TOKEN).",
            status_code=403,
        )
    body = await run_in_threadpool(exposition, request.app.state.engine)
    return Response(body, media_type=PROMETHEUS_TEXT)


def install_observability(app: FastAPI) -> None:
    """Request ids, access logs and metrics for every request; the /metrics route."""
    app.add_middleware(ObserveRequests)
    app.add_route("/metrics", metrics, include_in_schema=False)
