"""The directory filter read from a query string, shared by the JSON API and the pages."""

from typing import Annotated

from fastapi import Depends, Query
from pydantic import ValidationError

from app.errors import Invalid
from app.officials.schemas import BODY_PATTERN, DEPARTEMENT_PATTERN, OfficialFilter

_MESSAGES = {"bool_parsing": "true, false ou tous attendu", "bool_type": "true ou false attendu"}


def _pattern(anchored: str) -> dict[str, object]:
    """The filter's own rule, documented (its validator enforces it, with a French message)."""
    return {"pattern": f"^({anchored[1:-1]})?$"}


def official_filter(
    kind: Annotated[str, Query(json_schema_extra={"pattern": "^(deputy|senator|minister)?$"})] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    departement: Annotated[
        str, Query(json_schema_extra=_pattern(DEPARTEMENT_PATTERN), description="75, 2A, 971…")
    ] = "",
    group: Annotated[str, Query(max_length=100)] = "",
    body: Annotated[
        str,
        Query(
            json_schema_extra=_pattern(BODY_PATTERN),
            description="Organe : PO804431, COM-SOCI…",
        ),
    ] = "",
    role: Annotated[str, Query(max_length=80, description="Rôle : president, membre…")] = "",
    active: Annotated[
        str,
        Query(
            json_schema_extra={"pattern": "^(true|false|tous)?$"},
            description="Sortants : false ; tous : tous",
        ),
    ] = "true",
    bouncing: Annotated[
        str,
        Query(
            json_schema_extra={"pattern": "^(true|false|tous)?$"},
            description="Adresse e-mail en échec (rejets) : true ; les autres : false",
        ),
    ] = "",
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
                "bouncing": bouncing,
            }
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0])
        message = _MESSAGES.get(error["type"]) or str(error["msg"]).removeprefix("Value error, ")
        raise Invalid(f"Paramètre « {field} » : {message}.", field=field) from None


FilterDep = Annotated[OfficialFilter, Depends(official_filter)]
