"""Security headers on a public page, a signed-in page and API answers; HSTS over HTTPS; the
API documentation's nonce; and templates without inline code for the policy to refuse."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from app.config import Settings
from app.main import create_app
from app.users.models import Role
from app.web.headers import SecurityHeaders
from app.web.pages import TEMPLATES_DIR

INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def policy(response: Response) -> dict[str, str]:
    directives = response.headers["content-security-policy"].split(";")
    return {d.split()[0]: d.strip().partition(" ")[2] for d in directives}


def assert_common_headers(response: Response) -> None:
    csp = policy(response)
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "unsafe-eval" not in response.headers["content-security-policy"]
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # plain HTTP on loopback


def test_a_public_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert_common_headers(response)
    assert "geolocation=()" in response.headers["permissions-policy"]
    assert "no-store" not in response.headers.get("cache-control", "")


@pytest.mark.parametrize("path", ["/trouver-mon-elu", "/agir"])
def test_geolocation_only_on_the_lookup_pages(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert_common_headers(response)
    assert "geolocation=(self)" in response.headers["permissions-policy"]


def test_a_signed_in_page(client: TestClient, sign_in_as) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.staff)
    response = client.get("/campagnes")
    assert response.status_code == 200
    assert_common_headers(response)
    assert "geolocation=()" in response.headers["permissions-policy"]
    assert response.headers["cache-control"] == "no-store"


def test_api_answers(client: TestClient, api_headers) -> None:  # type: ignore[no-untyped-def]
    public = client.get("/api/demands")
    assert public.status_code == 200
    assert_common_headers(public)
    assert "no-store" not in public.headers.get("cache-control", "")
    private = client.get("/api/me", headers=api_headers(Role.viewer))
    assert private.status_code == 200
    assert_common_headers(private)
    assert private.headers["cache-control"] == "no-store"
    refused = client.get("/api/me")
    assert refused.status_code == 401
    assert_common_headers(refused)


def test_errors_and_static_files_too(client: TestClient) -> None:
    assert_common_headers(client.get("/nulle-part"))
    assert_common_headers(client.get("/static/plaidoyer.css"))


def test_hsts_when_served_over_https(database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, public_url="https://plaidoyer.example.org"
    )
    assert settings.secure_cookies
    app = create_app(settings)
    try:
        with TestClient(app, base_url="https://plaidoyer.example.org") as browser:
            response = browser.get("/connexion")
    finally:
        app.state.engine.dispose()
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_the_api_documentation_runs_no_inline_script_without_its_nonce(
    client: TestClient,
) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    nonce = re.fullmatch(r"'self' 'nonce-([\w-]+)'", policy(response)["script-src"])
    assert nonce is not None
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.text)
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in inline)
    assert int(response.headers["content-length"]) == len(response.content)


def docs_app() -> Starlette:
    """A page with an inline start-up script, like FastAPI's own Swagger UI page, and a file."""
    page = '<html><body><script src="/ui.js"></script><script>start()</script></body></html>'

    async def docs(request: Request) -> HTMLResponse:
        return HTMLResponse(page)

    async def asset(request: Request) -> PlainTextResponse:
        return PlainTextResponse("x" * 100_000, media_type="text/javascript")

    app = Starlette(routes=[Route("/api/docs", docs), Route("/api/docs/ui.js", asset)])
    app.add_middleware(SecurityHeaders, https=False)
    return app


def test_inline_scripts_of_the_documentation_get_a_fresh_nonce() -> None:
    with TestClient(docs_app()) as docs:
        first, second = docs.get("/api/docs"), docs.get("/api/docs")
        asset = docs.get("/api/docs/ui.js")
    nonce = re.fullmatch(r"'self' 'nonce-([\w-]+)'", policy(first)["script-src"])
    assert nonce is not None
    assert f'<script nonce="{nonce.group(1)}">start()</script>' in first.text
    assert '<script src="/ui.js">' in first.text
    assert int(first.headers["content-length"]) == len(first.content)
    assert policy(second)["script-src"] != policy(first)["script-src"]
    assert asset.text == "x" * 100_000
    assert policy(asset)["script-src"] == "'self'"
    assert asset.headers["x-content-type-options"] == "nosniff"


def test_templates_hold_no_inline_code() -> None:
    found = [
        f"{path.relative_to(TEMPLATES_DIR)}: {match.group(0)}"
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert not found, "\n".join(found)
