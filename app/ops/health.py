from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy import text

from app import __version__
from app.users.deps import SessionDep

router = APIRouter(prefix="/api", tags=["santé"])
ALIVE = b'{"status":"ok"}'


class Health(BaseModel):
    status: Literal["ok"]
    database: str
    version: str


class Alive(BaseModel):
    status: Literal["ok"]


@router.get("/live", response_model=Alive, name="api_live")
async def live() -> Response:
    """Liveness: the process answers, without touching the database (see /api/health for that).
    Also the benchmarks' floor: the cost of the middleware and routing alone."""
    return Response(ALIVE, media_type="application/json")


@router.get("/health", response_model=Health, name="api_health")
def health(session: SessionDep) -> Health:
    session.execute(text("SELECT 1"))
    return Health(status="ok", database=session.get_bind().dialect.name, version=__version__)
