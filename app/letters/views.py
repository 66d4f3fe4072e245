"""A status set by hand on a letter's page (the page itself shows its campaign: campaigns.views)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.letters.service import get_letter, set_letter_status
from app.users.deps import SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected
from app.web.pages import flash, path_for, redirect

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


@router.post("/courriers/{letter_id}/statut", name="letter_status")
def letter_status(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    letter_id: int,
    status: Annotated[str, Form(max_length=20)],
    detail: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    letter = get_letter(session, letter_id=letter_id)
    set_letter_status(
        session, letter=letter, status=status, detail=detail, actor=actor_for(request, user)
    )
    flash(request, "Statut mis à jour.")
    return redirect(request, path_for(request, "letter_page", letter_id=letter_id))
