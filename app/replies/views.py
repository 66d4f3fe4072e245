"""Pages: the replies list and unmatched tray, manual entry, a reply's detail and its coding."""

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.demands.service import list_demands
from app.errors import AppError, Invalid
from app.letters.models import Channel, Letter
from app.letters.service import CHANNEL_LABELS
from app.officials.models import Official
from app.replies.service import (
    attach_reply,
    get_reply,
    list_replies,
    official_choices,
    record_manual_reply,
)
from app.stances.models import Position
from app.stances.service import POSITION_LABELS, propose_from_reply, stances_for_reply
from app.web.deps import (
    CsrfProtected,
    PostedForm,
    ReaderUser,
    SessionDep,
    StaffUser,
    actor_for,
)
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
            "channel_labels": CHANNEL_LABELS,
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
            "channel_labels": CHANNEL_LABELS,
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
        "received_on": date.today().isoformat(),
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


@router.get("/reponses/{reply_id}", response_class=HTMLResponse, name="reply_page")
def reply_page(request: Request, session: SessionDep, user: ReaderUser, reply_id: int) -> Response:
    reply = get_reply(session, reply_id=reply_id)
    official = session.get(Official, reply.official_id) if reply.official_id else None
    context: dict[str, Any] = {
        "reply": reply,
        "official": official,
        "letter": session.get(Letter, reply.letter_id) if reply.letter_id else None,
        "demands": list_demands(session),
        "stances": stances_for_reply(session, reply_id=reply.id),
        "positions": POSITION_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "officials": [] if official else official_choices(session),
    }
    return render(request, "replies/detail.html", context)


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


@router.post("/reponses/{reply_id}/coder", name="reply_code")
def reply_code(
    request: Request, user: StaffUser, form: PostedForm, session: SessionDep, reply_id: int
) -> Response:
    positions: dict[int, Position] = {}
    for key, value in form.items():
        if key.startswith("demand_") and key[7:].isdigit() and value:
            if value not in set(Position):
                raise Invalid("Position inconnue.", field=key)
            positions[int(key[7:])] = Position(str(value))
    note = form.get("note")
    stances = propose_from_reply(
        session,
        reply=get_reply(session, reply_id=reply_id),
        positions=positions,
        note=note if isinstance(note, str) else "",
        actor=actor_for(request, user),
    )
    flash(request, f"{len(stances)} position(s) proposée(s), en attente de validation.")
    return redirect(request, path_for(request, "reply_page", reply_id=reply_id))
