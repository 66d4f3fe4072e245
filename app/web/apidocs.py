"""/api/docs without the internet: Swagger UI 5 (it reads OpenAPI 3.1) comes from the
fastapi-offline package, served by the app; the page carries no inline script
(app/static/api-docs.js starts it)."""

from html import escape
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/api/docs/fichiers"
SWAGGER_UI = files("fastapi_offline") / "static"

_PAGE = """<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>{title} · API</title>
  <link rel="icon" href="{prefix}/favicon.ico">
  <link rel="stylesheet" href="{prefix}{assets}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{prefix}{openapi}"></div>
  <script src="{prefix}{assets}/swagger-ui-bundle.js"></script>
  <script src="{prefix}/static/api-docs.js"></script>
</body>
</html>
"""


def install_api_docs(app: FastAPI, *, docs_url: str) -> None:
    """Serves Swagger UI at `docs_url`, its files under ASSETS."""
    app.mount(ASSETS, StaticFiles(directory=str(SWAGGER_UI)), name="swagger_ui")

    @app.get(docs_url, include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        prefix = escape(str(request.scope.get("root_path", "")))
        page = _PAGE.format(
            title=escape(app.title),
            prefix=prefix,
            assets=ASSETS,
            openapi=escape(app.openapi_url or ""),
        )
        return HTMLResponse(page)
