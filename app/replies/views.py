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
    attach_reply,
    list_replies,
    official_choices,
    record_manual_reply,
)
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected
from app.web.pages import flash, path_for, redirect, render
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)

STATES = {"toutes": None, "rattachees": True, "non-rattachees": False}


def optional_id(value: str, *, field: str, label: str) -> int | None:
    """A numeric id typed or picked in a form; empty means none."""
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise Invalid(f"{label} : indiquez un numéro.", field=field)
    return int(value)


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
    has_tray = any(official is None for _, official in rows)
    return render(
        request,
        "replies/list.html",
        {
            "rows": rows,
            "pager": pager.with_total(total),
            "query": {"etat": etat},
            "etat": etat,
            "officials": official_choices(session) if has_tray else [],
        },
    )


def _manual_form(
    request: Request, session: Session, values: dict[str, str], error: str = ""
) -> Response:
    return render(
        request,
        "replies/new.html",
        {
            "values": values,
            "error": error,
            "officials": official_choices(session),
        },
        status_code=422 if error else 200,
    )


@router.get("/reponses/nouvelle", response_class=HTMLResponse, name="reply_new_page")
def reply_new_page(
    request: Request, session: SessionDep, user: StaffUser, elu: str = "", courrier: str = ""
) -> Response:
    values = {
        "official_id": elu,
        "letter_id": courrier,
        "received_on": paris_today().isoformat(),
        "channel": Channel.post,
        "subject": "",
        "text": "",
    }
    return _manual_form(request, session, values)


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
                official_id=optional_id(official_id, field="official_id", label="Élu"),
                letter_id=optional_id(letter_id, field="letter_id", label="Courrier"),
                text=text,
                received_at=_received_on(received_on),
                channel=channel,
                subject=subject,
                actor=actor_for(request, user),
            )
    except AppError as exc:
        return _manual_form(request, session, values, exc.message)
    flash(request, "Réponse enregistrée.")
    return redirect(request, path_for(request, "reply_page", reply_id=reply.id))


@router.post("/reponses/{reply_id}/rattacher", name="reply_attach")
def reply_attach(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    reply_id: int,
    official_id: Annotated[str, Form()] = "",
    letter_id: Annotated[str, Form()] = "",
) -> Response:
    attach_reply(
        session,
        reply_id=reply_id,
        official_id=optional_id(official_id, field="official_id", label="Élu"),
        letter_id=optional_id(letter_id, field="letter_id", label="Courrier"),
        actor=actor_for(request, user),
    )
    flash(request, "Réponse rattachée.")
    return redirect(request, path_for(request, "reply_page", reply_id=reply_id))
