"""The pages that bring a record together from several domains: an official's, a body's, and
a reply with the stances coded from it."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.bodies.records import CHAMBER_LABELS, KIND_LABELS
from app.bodies.roles import role_label
from app.bodies.service import get_body
from app.demands.service import list_demands
from app.errors import Invalid
from app.labels import POSITION, plural
from app.letters.models import Letter
from app.officials.models import Official
from app.profiles.service import body_members, official_profile
from app.replies.service import get_reply, official_choices
from app.stances.models import Position
from app.stances.service import propose_from_reply, stances_for_reply
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected, PostedForm
from app.web.pages import flash, path_for, redirect, render

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


@router.get("/reponses/{reply_id:int}", response_class=HTMLResponse, name="reply_page")
def reply_page(request: Request, session: SessionDep, user: ReaderUser, reply_id: int) -> Response:
    reply = get_reply(session, reply_id=reply_id)
    official = session.get(Official, reply.official_id) if reply.official_id else None
    context: dict[str, Any] = {
        "reply": reply,
        "official": official,
        "letter": session.get(Letter, reply.letter_id) if reply.letter_id else None,
        "demands": list_demands(session),
        "stances": stances_for_reply(session, reply_id=reply.id),
        "positions": POSITION,
        "officials": [] if official else official_choices(session),
    }
    return render(request, "replies/detail.html", context)


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
    proposed = plural(len(stances), "position proposée", "positions proposées")
    flash(request, f"{proposed}, en attente de validation.")
    return redirect(request, path_for(request, "reply_page", reply_id=reply_id))
