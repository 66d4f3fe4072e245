"""A letter's page: its text, its status changes, a hand-set status, sending one draft."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.campaigns.service import get_campaign
from app.letters.generation import send_letter
from app.letters.service import (
    MANUAL_STATUSES,
    get_letter,
    letter_events,
    set_letter_status,
)
from app.officials.service import get_official
from app.web.deps import CsrfProtected, ReaderUser, SessionDep, SettingsDep, StaffUser, actor_for
from app.web.pages import flash, path_for, redirect, render

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


@router.get("/courriers/{letter_id}", response_class=HTMLResponse, name="letter_page")
def letter_page(
    request: Request, session: SessionDep, user: ReaderUser, letter_id: int
) -> Response:
    letter = get_letter(session, letter_id=letter_id)
    context = {
        "letter": letter,
        "official": get_official(session, official_id=letter.official_id),
        "campaign": get_campaign(session, campaign_id=letter.campaign_id),
        "events": letter_events(session, letter_id=letter_id),
        "manual_statuses": MANUAL_STATUSES,
    }
    return render(request, "letters/detail.html", context)


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


@router.post("/courriers/{letter_id}/envoyer", name="letter_send")
def letter_send(
    request: Request, session: SessionDep, settings: SettingsDep, user: StaffUser, letter_id: int
) -> Response:
    letter = get_letter(session, letter_id=letter_id)
    send_letter(session, letter=letter, actor=actor_for(request, user), settings=settings)
    flash(request, "Courriel mis en file d'envoi.")
    return redirect(request, path_for(request, "letter_page", letter_id=letter_id))
