"""The pages that bring a record together from several domains: an official's, a body's, and
a reply with the stances coded from it."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.bodies.records import CHAMBER_LABELS, KIND_LABELS
from app.bodies.roles import role_label
from app.bodies.service import get_body
from app.demands.service import list_demands
from app.errors import AppError, Invalid
from app.labels import POSITION, plural
from app.letters.models import Letter
from app.officials.models import Official
from app.profiles.service import body_members, official_profile
from app.replies.models import Reply, ReplyKind
from app.replies.service import attach_reply, get_reply, official_picker
from app.stances.models import Position
from app.stances.service import propose_from_reply, stances_for_reply
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected, PostedForm
from app.web.pages import flash, path_for, redirect, render
from app.web.params import form_id

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


@router.get("/annuaire/{official_id:int}", response_class=HTMLResponse, name="official_page")
def official_page(
    request: Request, session: SessionDep, user: ReaderUser, official_id: int
) -> Response:
    profile = official_profile(session, official_id=official_id)
    return render(
        request,
        "officials/detail.html",
        {
            "official": profile.official,
            "stances": profile.stances,
            "timelines": profile.timelines,
            "letters": profile.letters,
            "replies": profile.replies,
            "seats": profile.seats,
            "body_kind_labels": KIND_LABELS,
            "role_label": role_label,
            "overrides": profile.overrides,
        },
    )


@router.get("/organes/{source_id}", response_class=HTMLResponse, name="body_page")
def body_page(request: Request, session: SessionDep, user: ReaderUser, source_id: str) -> Response:
    body = get_body(session, source_id=source_id[:40])
    demands = list_demands(session)
    return render(
        request,
        "bodies/detail.html",
        {
            "body": body,
            "members": body_members(session, body=body, demands=demands),
            "demands": demands,
            "chamber_labels": CHAMBER_LABELS,
            "kind_labels": KIND_LABELS,
        },
    )


def _reply_view(
    request: Request,
    session: Session,
    *,
    reply: Reply,
    q: str = "",
    error: AppError | None = None,
    chosen_id: int | None = None,
    letter_value: str = "",
) -> Response:
    official = session.get(Official, reply.official_id) if reply.official_id else None
    stances = stances_for_reply(session, reply_id=reply.id)
    action = path_for(request, "reply_page", reply_id=reply.id)
    context: dict[str, Any] = {
        "reply": reply,
        "official": official,
        "letter": session.get(Letter, reply.letter_id) if reply.letter_id else None,
        "demands": list_demands(session),
        "stances": stances,
        # The latest proposal per demand: the coding form starts from what was already said.
        "proposed": {stance.demand_id: stance for stance in stances},
        "codable": reply.kind == ReplyKind.reply,
        "positions": POSITION,
        "picker": official_picker(
            session,
            q=q,
            action=action,
            chosen_id=chosen_id or (official.id if official else None),
        ),
        "attach_error": error,
        "attach_letter": letter_value,
    }
    return render(request, "replies/detail.html", context, status_code=422 if error else 200)


@router.get("/reponses/{reply_id:int}", response_class=HTMLResponse, name="reply_page")
def reply_page(
    request: Request, session: SessionDep, user: ReaderUser, reply_id: int, q: str = ""
) -> Response:
    return _reply_view(request, session, reply=get_reply(session, reply_id=reply_id), q=q)


@router.post("/reponses/{reply_id:int}/rattacher", name="reply_attach")
def reply_attach(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    reply_id: int,
    official_id: Annotated[str, Form(max_length=20)] = "",
    letter_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    reply = get_reply(session, reply_id=reply_id)
    try:
        with session.begin_nested():
            attach_reply(
                session,
                reply_id=reply_id,
                official_id=form_id(official_id, field="official_id", label="Élu"),
                letter_id=form_id(letter_id, field="letter_id", label="Courrier"),
                actor=actor_for(request, user),
            )
    except AppError as exc:
        session.refresh(reply)
        # Offer again the official picked, if it was a plausible id at all.
        chosen_id = int(official_id) if official_id.isdigit() and len(official_id) < 10 else None
        return _reply_view(
            request,
            session,
            reply=reply,
            error=exc,
            chosen_id=chosen_id,
            letter_value=letter_id,
        )
    flash(request, "Réponse rattachée.")
    return redirect(request, path_for(request, "reply_page", reply_id=reply_id))


@router.post("/reponses/{reply_id:int}/coder", name="reply_code")
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
    flash(
        request,
        plural(len(stances), "position proposée", "positions proposées")
        + ", en attente de validation."
        if stances
        else "Ces positions étaient déjà proposées à partir de cette réponse : rien d'ajouté.",
    )
    return redirect(request, path_for(request, "reply_page", reply_id=reply_id))
