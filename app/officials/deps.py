"""The directory filter read from a query string, shared by the JSON API and the pages."""

from typing import Annotated

from fastapi import Depends, Query
from pydantic import ValidationError

from app.errors import Invalid
from app.officials.schemas import OfficialFilter

_MESSAGES = {"bool_parsing": "true, false ou tous attendu", "bool_type": "true ou false attendu"}


def official_filter(
    kind: Annotated[str, Query(max_length=20)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    departement: Annotated[str, Query(max_length=20)] = "",
    group: Annotated[str, Query(max_length=200)] = "",
    body: Annotated[str, Query(max_length=40, description="Organe : PO804431, COM-SOCI…")] = "",
    role: Annotated[str, Query(max_length=80, description="Rôle : president, membre…")] = "",
    active: Annotated[str, Query(max_length=10)] = "true",
) -> OfficialFilter:
    """The directory filter from the query string (blank fields mean « any »)."""
    try:
        return OfficialFilter.model_validate(
            {
                "kind": kind,
                "q": q,
                "departement": departement,
                "group": group,
                "body": body,
                "role": role,
                "active": active,
            }
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0])
        message = _MESSAGES.get(error["type"]) or str(error["msg"]).removeprefix("Value error, ")
        raise Invalid(f"Paramètre « {field} » : {message}.", field=field) from None


FilterDep = Annotated[OfficialFilter, Depends(official_filter)]
