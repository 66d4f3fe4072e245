"""« Ma journée »: where staff land after signing in."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.daily.service import STALLED_AFTER, my_day
from app.db import utcnow
from app.users.deps import ReaderUser, SessionDep
from app.web.deps import SettingsDep
from app.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/ma-journee", response_class=HTMLResponse, name="my_day")
def my_day_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: ReaderUser
) -> Response:
    now = utcnow()
    day = my_day(session, settings=settings, now=now)
    stalled_minutes = int(STALLED_AFTER.total_seconds() // 60)
    return render(
        request, "daily/day.html", {"day": day, "now": now, "stalled_minutes": stalled_minutes}
    )
