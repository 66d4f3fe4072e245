from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.bodies.records import CHAMBER_LABELS, KIND_LABELS
from app.bodies.service import list_bodies
from app.users.deps import ReaderUser, SessionDep
from app.web.deps import CsrfProtected
from app.web.pages import render

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


@router.get("/organes", response_class=HTMLResponse, name="bodies_page")
def bodies_page(
    request: Request, session: SessionDep, user: ReaderUser, chamber: str = ""
) -> Response:
    chosen = chamber if chamber in CHAMBER_LABELS else None
    return render(
        request,
        "bodies/list.html",
        {
            "bodies": list_bodies(session, chamber=chosen),
            "chamber": chosen,
            "chamber_labels": CHAMBER_LABELS,
            "kind_labels": KIND_LABELS,
        },
    )
