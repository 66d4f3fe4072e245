from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from app import __version__
from app.users.deps import SessionDep

router = APIRouter(prefix="/api", tags=["santé"])


class Health(BaseModel):
    status: Literal["ok"]
    database: str
    version: str


@router.get("/health", response_model=Health, name="api_health")
def health(session: SessionDep) -> Health:
    session.execute(text("SELECT 1"))
    return Health(status="ok", database=session.get_bind().dialect.name, version=__version__)
