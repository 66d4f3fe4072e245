"""Public JSON lookup: `async def` on purpose, since a threadpool hand-off would cost more than the
few indexed reads it does on a short-lived connection."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import Engine

from app.errors import Invalid
from app.geography.lookup import (
    LookupResult,
    lookup_commune_name,
    lookup_insee,
    lookup_postcode,
)
from app.geography.schemas import LookupRead

router = APIRouter(prefix="/api", tags=["géographie"])


def run_lookup(
    engine: Engine, *, postcode: str | None, insee: str | None, commune: str | None
) -> LookupResult:
    """One lookup on a read connection, from whichever criterion was given."""
    with engine.connect() as connection:
        if postcode:
            return lookup_postcode(connection, postcode=postcode)
        if insee:
            return lookup_insee(connection, insee=insee)
        if commune:
            return lookup_commune_name(connection, name=commune)
    raise Invalid("Indiquez un code postal, un code INSEE ou un nom de commune.", field="postcode")


@router.get("/lookup", response_model=LookupRead, name="api_lookup")
async def lookup(
    request: Request,
    postcode: Annotated[str | None, Query(max_length=20)] = None,
    insee: Annotated[str | None, Query(max_length=20)] = None,
    commune: Annotated[str | None, Query(max_length=120)] = None,
) -> LookupRead:
    """Communes, circonscriptions, députés and sénateurs for a postcode, INSEE code or name."""
    engine: Engine = request.app.state.engine
    result = run_lookup(engine, postcode=postcode, insee=insee, commune=commune)
    return LookupRead.from_result(result)
