"""Public JSON lookup. `async def` on purpose: a threadpool hand-off would cost more than the work,
which is one indexed version read and, most of the time, an answer already serialized."""

from fastapi import APIRouter, Request, Response
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


MAX_LENGTHS = {"postcode": 20, "insee": 20, "commune": 120}

# The parameters are read from the query string by hand: FastAPI's per-parameter validation costs
# about a fifth of this route's time, the hottest of the app. They are documented here instead.
LOOKUP_PARAMETERS = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": length},
        "description": description,
    }
    for (name, length), description in zip(
        MAX_LENGTHS.items(),
        ["Code postal (5 chiffres)", "Code INSEE de la commune", "Nom de la commune"],
        strict=True,
    )
]


def _query_value(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is not None and len(value) > MAX_LENGTHS[name]:
        raise Invalid(
            f"« {name} » est trop long ({MAX_LENGTHS[name]} caractères au plus).", field=name
        )
    return value


@router.get(
    "/lookup",
    response_model=LookupRead,
    name="api_lookup",
    openapi_extra={"parameters": LOOKUP_PARAMETERS},
)
async def lookup(request: Request) -> Response:
    """Communes, circonscriptions, députés and sénateurs for a postcode, INSEE code or name."""
    state = request.app.state
    if not hasattr(state, "geography_answers"):
        state.geography_answers = AnswerCache()
    body = lookup_json(
        state.engine,
        state.geography_answers,
        postcode=_query_value(request, "postcode"),
        insee=_query_value(request, "insee"),
        commune=_query_value(request, "commune"),
    )
    return Response(body, media_type="application/json")
