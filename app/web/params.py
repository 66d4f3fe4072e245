"""Bounded path and query parameters shared by the JSON API, so the schema states every limit;
ids typed in forms, bounded the same way."""

from typing import Annotated

from fastapi import Path, Query

from app.errors import Invalid

# Ids are 32-bit integers in PostgreSQL; larger ones can only be absent.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNumber = Annotated[
    int, Query(ge=1, le=MAX_PAGE, description="Numéro de page (1 = la première)")
]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Éléments par page")]


def form_id(value: str, *, field: str, label: str) -> int | None:
    """A numeric id typed or picked in a form; empty means none, anything else is refused."""
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise Invalid(f"{label} : indiquez un numéro.", field=field)
    return int(value)
