"""Public page « Trouver mon élu »: a GET form, so it works without JavaScript."""

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.errors import AppError
from app.geography.lookup import (
    LookupResult,
    lookup_commune_name,
    lookup_insee,
    lookup_postcode,
)
from app.web.deps import OptionalUser, SessionDep
from app.web.pages import render

router = APIRouter(include_in_schema=False)
POSTCODE_LIKE = re.compile(r"^\s*\d[\d\s]*$")


def ordinal(number: int) -> str:
    return "1re" if number == 1 else f"{number}e"


@router.get("/trouver-mon-elu", response_class=HTMLResponse, name="find_my_representative")
def find_my_representative(
    request: Request,
    session: SessionDep,
    user: OptionalUser,
    q: Annotated[str, Query(max_length=120)] = "",
    insee: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    result: LookupResult | None = None
    error = ""
    status = 200
    try:
        if insee:
            result = lookup_insee(session, insee=insee)
        elif POSTCODE_LIKE.match(q):
            result = lookup_postcode(session, postcode=q.replace(" ", ""))
        elif q.strip():
            result = lookup_commune_name(session, name=q)
    except AppError as exc:
        error, status = exc.message, exc.status_code
    return render(
        request,
        "geography/lookup.html",
        {"q": q, "insee": insee, "result": result, "error": error, "ordinal": ordinal},
        status_code=status,
    )
