"""Static files: /static/ from app/static, and the favicon where browsers look for it."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles


def install_static(app: FastAPI, static_dir: Path) -> None:
    """Mounts /static and answers /favicon.ico."""
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
    favicon = static_dir / "favicon.ico"

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon_ico() -> FileResponse:
        return FileResponse(favicon, media_type="image/x-icon")
