from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.bodies.records import CHAMBER_LABELS, KIND_LABELS
from app.bodies.roles import role_label, role_rank
from app.bodies.service import get_body, list_bodies, member_roles
from app.demands.service import list_demands
from app.officials.models import Official
from app.officials.schemas import OfficialFilter
from app.officials.service import select_officials
from app.stances.models import Stance
from app.stances.service import POSITION_LABELS, current_stance
from app.web.deps import CsrfProtected, ReaderUser, SessionDep
from app.web.pages import render

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


@dataclass(frozen=True)
class Member:
    official: Official
    roles: list[str]
    labels: list[str]
    stances: list[Stance | None]


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


@router.get("/organes/{source_id}", response_class=HTMLResponse, name="body_page")
def body_page(request: Request, session: SessionDep, user: ReaderUser, source_id: str) -> Response:
    body = get_body(session, source_id=source_id[:40])
    roles = member_roles(session, body_id=body.id)
    demands = list_demands(session)
    officials = select_officials(session, filters=OfficialFilter(body=body.source_id))
    members = [
        Member(
            official=o,
            roles=roles.get(o.id, []),
            labels=[role_label(role) for role in roles.get(o.id, [])],
            stances=[current_stance(session, official_id=o.id, demand_id=d.id) for d in demands],
        )
        for o in officials
    ]
    members.sort(key=lambda m: min((role_rank(r) for r in m.roles), default=99))
    return render(
        request,
        "bodies/detail.html",
        {
            "body": body,
            "members": members,
            "demands": demands,
            "position_labels": POSITION_LABELS,
            "chamber_labels": CHAMBER_LABELS,
            "kind_labels": KIND_LABELS,
        },
    )
