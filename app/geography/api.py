"""Public JSON lookup. `async def` on purpose: a threadpool hand-off would cost more than the work,
which is one indexed version read and, most of the time, an answer already serialized."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Connection, Engine

from app.errors import Invalid
from app.geography.cache import AnswerCache
from app.geography.lookup import (
    LookupResult,
    lookup_commune_name,
    lookup_insee,
    lookup_postcode,
)
from app.geography.schemas import LookupRead

router = APIRouter(prefix="/api", tags=["géographie"])


def _lookup(connection: Connection, criterion: str, value: str) -> LookupResult:
    if criterion == "postcode":
        return lookup_postcode(connection, postcode=value)
    if criterion == "insee":
        return lookup_insee(connection, insee=value)
    return lookup_commune_name(connection, name=value)


def lookup_json(
    engine: Engine,
    cache: AnswerCache,
    *,
    postcode: str | None,
    insee: str | None,
    commune: str | None,
) -> bytes:
    """The serialized answer for whichever criterion was given, from the cache when valid."""
    criteria = (("postcode", postcode), ("insee", insee), ("commune", commune))
    criterion, value = next(((c, v.strip()) for c, v in criteria if v and v.strip()), ("", ""))
    if not criterion:
        raise Invalid(
            "Indiquez un code postal, un code INSEE ou un nom de commune.", field="postcode"
        )

    def compute(connection: Connection) -> bytes:
        result = _lookup(connection, criterion, value)
        return LookupRead.from_result(result).model_dump_json().encode()

    with engine.connect().execution_options(sqlite_autocommit=True) as connection:
        return cache.answer(connection, (criterion, value), compute)


@router.get("/lookup", response_model=LookupRead, name="api_lookup")
async def lookup(
    request: Request,
    postcode: Annotated[str | None, Query(max_length=20)] = None,
    insee: Annotated[str | None, Query(max_length=20)] = None,
    commune: Annotated[str | None, Query(max_length=120)] = None,
) -> Response:
    """Communes, circonscriptions, députés and sénateurs for a postcode, INSEE code or name."""
    state = request.app.state
    if not hasattr(state, "geography_answers"):
        state.geography_answers = AnswerCache()
    body = lookup_json(
        state.engine, state.geography_answers, postcode=postcode, insee=insee, commune=commune
    )
    return Response(body, media_type="application/json")
