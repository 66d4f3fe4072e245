from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.labels import KIND_PLURAL
from app.officials.deps import FilterDep
from app.officials.models import OfficialKind
from app.officials.service import (
    group_choices,
    officials_csv,
    search_officials,
    select_officials,
)
from app.users.deps import ReaderUser, SessionDep
from app.web.deps import CsrfProtected
from app.web.pages import render
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)

_FILE_SLUGS = {
    OfficialKind.deputy: "deputes",
    OfficialKind.senator: "senateurs",
    OfficialKind.minister: "ministres",
}


@router.get("/annuaire", response_class=HTMLResponse, name="officials_page")
def officials_page(
    request: Request, session: SessionDep, user: ReaderUser, filters: FilterDep, page: int = 1
) -> Response:
    pager = Page.of(page)
    officials, total = search_officials(
        session, filters=filters, offset=pager.offset, limit=pager.size
    )
    # htmx live search swaps only the results; a normal request gets the whole page.
    partial = request.headers.get("hx-request") and not request.headers.get("hx-boosted")
    return render(
        request,
        "officials/_results.html" if partial else "officials/list.html",
        {
            "officials": officials,
            "pager": pager.with_total(total),
            "filters": filters,
            "query": filters.as_query(),
            "kinds": KIND_PLURAL,
            "groups": group_choices(session),
        },
    )


@router.get("/annuaire/export.csv", name="officials_csv")
def officials_export(session: SessionDep, user: ReaderUser, filters: FilterDep) -> Response:
    kind = _FILE_SLUGS[filters.kind] if filters.kind else "tous"
    name = f"annuaire-{kind}-{date.today().isoformat()}"
    return Response(
        officials_csv(select_officials(session, filters=filters)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
