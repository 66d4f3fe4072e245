from fastapi import APIRouter

from app.officials.deps import FilterDep
from app.officials.schemas import OfficialPage, OfficialRead
from app.officials.service import get_official, search_officials
from app.users.deps import SessionDep
from app.web.pagination import Page
from app.web.params import Id, PageNumber, PageSize

router = APIRouter(prefix="/api/officials", tags=["élus"])


@router.get("", response_model=OfficialPage, name="api_officials")
def officials(
    session: SessionDep, filters: FilterDep, page: PageNumber = 1, size: PageSize = 50
) -> OfficialPage:
    """Officials matching the filters, one page at a time (size up to 500)."""
    pager = Page.of(page, size)
    items, total = search_officials(session, filters=filters, offset=pager.offset, limit=pager.size)
    return OfficialPage(
        items=[OfficialRead.model_validate(o) for o in items],
        total=total,
        page=pager.number,
        size=pager.size,
    )


@router.get("/{official_id}", response_model=OfficialRead, name="api_official")
def official(session: SessionDep, official_id: Id) -> OfficialRead:
    """One official, sitting or not."""
    return OfficialRead.model_validate(get_official(session, official_id=official_id))
