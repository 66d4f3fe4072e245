"""Pages: the replies list and unmatched tray, manual entry, attaching a reply to its official."""

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.clock import paris_today
from app.errors import AppError, Invalid
from app.letters.models import Channel
from app.replies.service import (
    list_replies,
    official_picker,
    record_manual_reply,
)
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected
from app.web.pages import flash, path_for, redirect, render
from app.web.pagination import Page
from app.web.params import form_id

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)

STATES = {"toutes": None, "rattachees": True, "non-rattachees": False}


def _received_on(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid("Date de réception invalide.", field="received_on") from exc
    # Noon UTC keeps the same calendar day in every French time zone.
    return datetime.combine(day, time(12), tzinfo=UTC)


@router.get("/reponses", response_class=HTMLResponse, name="replies_page")
def replies_page(
    request: Request, session: SessionDep, user: ReaderUser, etat: str = "toutes", page: int = 1
) -> Response:
    etat = etat if etat in STATES else "toutes"
    pager = Page.of(page)
    rows, total = list_replies(session, matched=STATES[etat], offset=pager.offset, limit=pager.size)
    return render(
        request,
        "replies/list.html",
        {
            "rows": rows,
            "pager": pager.with_total(total),
            "query": {"etat": etat},
            "etat": etat,
        },
    )


def _manual_form(
    request: Request,
    session: Session,
    values: dict[str, str],
    error: AppError | None = None,
    q: str = "",
) -> Response:
    chosen = values["official_id"]
    picker = official_picker(
        session,
        q=q,
        action=path_for(request, "reply_new_page"),
        chosen_id=int(chosen) if chosen.isdigit() else None,
        courrier=values["letter_id"],
    )
    return render(
        request,
        "replies/new.html",
        {
            "values": values,
            "error": error,
            "picker": picker,
        },
        status_code=422 if error else 200,
    )


@router.get("/reponses/elus", response_class=HTMLResponse, name="reply_official_search")
def reply_official_search(
    request: Request, session: SessionDep, user: StaffUser, q: str = ""
) -> Response:
    """The picker's choices alone, for htmx; without JavaScript the pages search themselves."""
    picker = official_picker(session, q=q, action=path_for(request, "reply_new_page"))
    return render(request, "replies/_official_choices.html", {"picker": picker})


@router.get("/reponses/nouvelle", response_class=HTMLResponse, name="reply_new_page")
def reply_new_page(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    elu: str = "",
    courrier: str = "",
    q: str = "",
) -> Response:
    values = {
        "official_id": elu,
        "letter_id": courrier,
        "received_on": paris_today().isoformat(),
        "channel": Channel.post,
        "subject": "",
        "text": "",
    }
    return _manual_form(request, session, values, q=q)


@router.post("/reponses/nouvelle", name="reply_create")
def reply_create(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    official_id: Annotated[str, Form()] = "",
    letter_id: Annotated[str, Form()] = "",
    received_on: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = Channel.post,
    subject: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    values = {
        "official_id": official_id,
        "letter_id": letter_id,
        "received_on": received_on,
        "channel": channel,
        "subject": subject,
        "text": text,
    }
    try:
        with session.begin_nested():
            reply = record_manual_reply(
                session,
                official_id=form_id(official_id, field="official_id", label="Élu"),
                letter_id=form_id(letter_id, field="letter_id", label="Courrier"),
                text=text,
                received_at=_received_on(received_on),
                channel=channel,
                subject=subject,
                actor=actor_for(request, user),
            )
    except AppError as exc:
        return _manual_form(request, session, values, exc)
    flash(request, "Réponse enregistrée.")
    return redirect(request, path_for(request, "reply_page", reply_id=reply.id))
