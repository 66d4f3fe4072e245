from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.letters.service import CHANNEL_LABELS, STATUS_LABELS, timeline_for_official
from app.officials.api import FilterDep
from app.officials.models import OfficialKind
from app.officials.schemas import KIND_LABELS, kind_label
from app.officials.service import (
    get_official,
    group_choices,
    officials_csv,
    search_officials,
    select_officials,
)
from app.replies.service import replies_for_official
from app.stances.queries import STATUS_LABELS as STANCE_STATUS_LABELS
from app.stances.queries import official_timelines
from app.stances.service import EVIDENCE_LABELS, POSITION_LABELS, stances_for_official
from app.web.deps import CsrfProtected, ReaderUser, SessionDep
from app.web.pages import render, templates
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)

templates.env.globals["kind_label"] = kind_label

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
            "kinds": KIND_LABELS,
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


@router.get("/annuaire/{official_id}", response_class=HTMLResponse, name="official_page")
def official_page(
    request: Request, session: SessionDep, user: ReaderUser, official_id: int
) -> Response:
    official = get_official(session, official_id=official_id)
    return render(
        request,
        "officials/detail.html",
        {
            "official": official,
            "stances": stances_for_official(session, official_id=official.id),
            "position_labels": POSITION_LABELS,
            "timelines": official_timelines(session, official_id=official.id),
            "evidence_labels": EVIDENCE_LABELS,
            "stance_status_labels": STANCE_STATUS_LABELS,
            "letters": timeline_for_official(session, official_id=official.id),
            "status_labels": STATUS_LABELS,
            "channel_labels": CHANNEL_LABELS,
            "replies": replies_for_official(session, official_id=official.id),
        },
    )
