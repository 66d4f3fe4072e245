"""Public page « Trouver mon élu »: GET forms, so it works without JavaScript."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.errors import AppError
from app.geography.abroad import country_table
from app.geography.codes import ABROAD_OFFICIALS
from app.geography.finder import Answer, LookupQuery, Lookups, lookup
from app.labels import ordinal
from app.users.deps import OptionalUser
from app.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/trouver-mon-elu", response_class=HTMLResponse, name="find_my_representative")
async def find_my_representative(
    request: Request,
    user: OptionalUser,
    q: Annotated[str, Query(max_length=120)] = "",
    insee: Annotated[str, Query(max_length=10)] = "",
    address: Annotated[str, Query(max_length=200)] = "",
    lat: Annotated[str, Query(max_length=30)] = "",
    lon: Annotated[str, Query(max_length=30)] = "",
    pays: Annotated[str, Query(max_length=80)] = "",
    departement: Annotated[str, Query(max_length=3)] = "",
) -> Response:
    answer: Answer | None = None
    error = ""
    status = 200
    query = LookupQuery.from_search(
        q, insee=insee, address=address, lat=lat, lon=lon, country=pays, department=departement
    )
    if any(query.key()):
        lookups: Lookups = request.app.state.geography
        try:
            answer = await lookup(request.app.state.engine, lookups, query)
        except AppError as exc:
            error, status = exc.message, exc.status_code
    result = answer.read if answer else None
    abroad = bool(pays) or any(
        d.department_code == ABROAD_OFFICIALS for d in (result.deputies if result else [])
    )
    return render(
        request,
        "geography/lookup.html",
        {
            "q": q,
            "insee": insee,
            "address": address,
            "result": result,
            "split": result.split_commune() if result else None,
            "groups": result.deputy_groups() if result and len(result.communes) > 1 else [],
            "error": error,
            "ordinal": ordinal,
            "pays": pays,
            "departement": departement,
            "abroad": abroad,
            "countries": country_table().countries,
        },
        status_code=status,
    )
