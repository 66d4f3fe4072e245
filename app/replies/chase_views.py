"""The « À relancer » page: unanswered letters (the follow-up button posts to campaigns.views)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.db import utcnow
from app.replies.chase import letters_to_chase
from app.users.deps import ReaderUser, SessionDep
from app.web.deps import CsrfProtected, SettingsDep
from app.web.pages import render
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


@router.get("/a-relancer", response_class=HTMLResponse, name="chase_page")
def chase_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: ReaderUser,
    jours: int | None = None,
    page: int = 1,
) -> Response:
    days = settings.chase_after_days if jours is None else jours
    pager = Page.of(page)
    now = utcnow()
    rows, total = letters_to_chase(
        session, days=days, offset=pager.offset, limit=pager.size, now=now
    )
    query = {"jours": days} if jours is not None else {}
    return render(
        request,
        "replies/chase.html",
        {"rows": rows, "days": days, "now": now, "pager": pager.with_total(total), "query": query},
    )
