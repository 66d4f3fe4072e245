"""Security headers on every response: a Content-Security-Policy without inline code, no
framing, no sniffing, a same-origin referrer, geolocation only on the lookup pages, HSTS over
HTTPS, and nothing stored by caches once someone is signed in.

The API's documentation page is FastAPI's Swagger UI, whose start-up script is inline: that one
page gets a fresh nonce, written into its inline <script> tags here."""

import re
import secrets
from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
DOCS_PREFIX = "/api/docs"
LOOKUP_PAGE = re.compile(r"/trouver-mon-elu|/agir(/[^/]+)?")
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)")

Decorate = Callable[[MutableHeaders, str], None]


def content_security_policy(nonce: str = "") -> str:
    policy = dict(POLICY)
    if nonce:
        policy["script-src"] += f" 'nonce-{nonce}'"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def permissions_policy(path: str) -> str:
    geolocation = "(self)" if LOOKUP_PAGE.fullmatch(path) else "()"
    return f"geolocation={geolocation}, camera=(), microphone=(), payment=(), usb=()"


class SecurityHeaders:
    """Pure ASGI (no BaseHTTPMiddleware): the hot public paths pay only for a few headers."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        root = str(scope.get("root_path", ""))
        path = str(scope["path"])
        path = path.removeprefix(root) if root and path.startswith(root) else path
        if path.startswith(DOCS_PREFIX):
            await self.app(scope, receive, _NonceSender(send, self._decorate(scope, path)))
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._decorate(scope, path)(MutableHeaders(scope=message), "")
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _decorate(self, scope: Scope, path: str) -> Decorate:
        def decorate(headers: MutableHeaders, nonce: str) -> None:
            signed_in = scope.get("state", {}).get("user") is not None
            add_security_headers(
                headers, path=path, https=self.https, signed_in=signed_in, nonce=nonce
            )

        return decorate


def add_security_headers(
    headers: MutableHeaders, *, path: str, https: bool, signed_in: bool, nonce: str = ""
) -> None:
    """The headers every response carries; also called for the crash page, which Starlette
    builds outside every middleware."""
    headers.setdefault("Content-Security-Policy", content_security_policy(nonce))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", permissions_policy(path))
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if https:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if signed_in:
        headers["Cache-Control"] = "no-store"


class _NonceSender:
    """Holds a (small) documentation page back to put a nonce on its inline scripts; anything
    else under the prefix (Swagger UI's files) streams through untouched."""

    def __init__(self, send: Send, decorate: Decorate) -> None:
        self.send = send
        self.decorate = decorate
        self.start: Message | None = None
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            if headers.get("content-type", "").startswith("text/html"):
                self.start = message
                return
            self.decorate(headers, "")
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.body += message.get("body", b"")
        if message.get("more_body", False):
            return
        nonce = secrets.token_urlsafe(16)
        self.body = INLINE_SCRIPT.sub(f'<script nonce="{nonce}"'.encode(), self.body)
        headers = MutableHeaders(scope=self.start)
        headers["Content-Length"] = str(len(self.body))
        self.decorate(headers, nonce)
        await self.send(self.start)
        await self.send({"type": "http.response.body", "body": self.body})
