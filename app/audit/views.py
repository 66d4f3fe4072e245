from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.audit.service import list_events
from app.web.deps import AdminUser, SessionDep
from app.web.pages import render
from app.web.pagination import Page

router = APIRouter(include_in_schema=False)


@router.get("/admin/journal", response_class=HTMLResponse, name="audit_page")
def audit_page(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    action: str = "",
    objet: str = "",
    auteur: str = "",
    page: int = 1,
) -> Response:
    pager = Page.of(page)
    events, total = list_events(
        session,
        action=action or None,
        object_type=objet or None,
        actor=auteur or None,
        offset=pager.offset,
        limit=pager.size,
    )
    return render(
        request,
        "audit/list.html",
        {
            "events": events,
            "pager": pager.with_total(total),
            "filters": {"action": action, "objet": objet, "auteur": auteur},
        },
    )
