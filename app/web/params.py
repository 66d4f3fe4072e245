"""Bounded path and query parameters shared by the JSON API, so the schema states every limit."""

from typing import Annotated

from fastapi import Path, Query

# Ids are 32-bit integers in PostgreSQL; larger ones can only be absent.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNumber = Annotated[
    int, Query(ge=1, le=MAX_PAGE, description="Numéro de page (1 = la première)")
]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Éléments par page")]
