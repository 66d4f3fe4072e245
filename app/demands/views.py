from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.demands.service import list_demands
from app.users.deps import OptionalUser, SessionDep
from app.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    return render(request, "home.html", {"demands": list_demands(session)})
