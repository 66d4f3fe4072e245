"""Pages: the directors' review queue (batch decisions) and staff's proposal form."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.demands.service import demand_by_number, list_demands
from app.errors import Invalid
from app.labels import plural
from app.officials.service import get_official, group_choices
from app.stances.api import StanceFilterDep
from app.stances.models import EvidenceKind, Position, StanceStatus
from app.stances.queries import current_of, histories, list_stances
from app.stances.service import (
    Evidence,
    Proposal,
    propose_stance,
    review_stances,
)
from app.users.deps import DirectorUser, ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected
from app.web.pages import flash, redirect, render
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


@router.get("/direction/positions", response_class=HTMLResponse, name="stance_queue")
def stance_queue(
    request: Request, session: SessionDep, user: ReaderUser, filters: StanceFilterDep, page: int = 1
) -> Response:
    pager = Page.of(page)
    rows, total = list_stances(session, filters=filters, offset=pager.offset, limit=pager.size)
    found = histories(session, pairs={(r.stance.official_id, r.stance.demand_id) for r in rows})
    entries = [
        {
            "row": row,
            "current": current_of(found[key]),
            "history": [h for h in found[key] if h.stance.id != row.stance.id],
        }
        for row in rows
        for key in [(row.stance.official_id, row.stance.demand_id)]
    ]
    return render(
        request,
        "stances/queue.html",
        {
            "entries": entries,
            "pager": pager.with_total(total),
            "filters": filters,
            "query": filters.as_query(),
            "demands": list_demands(session),
            "groups": group_choices(session),
            "statuses": list(StanceStatus),
        },
    )


@router.post("/direction/positions/decision", name="stance_decide")
async def stance_decide(
    request: Request,
    session: SessionDep,
    user: DirectorUser,
    decision: Annotated[str, Form()] = "",
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = await request.form()
    ids = [int(v) for v in form.getlist("stance_ids") if isinstance(v, str) and v.isdigit()]
    if decision not in ("approve", "reject"):
        raise Invalid("Choisissez de valider ou de refuser.", field="decision")
    reviews = review_stances(
        session,
        stance_ids=ids,
        approved=decision == "approve",
        comment=comment,
        actor=actor_for(request, user),
    )
    done = ("validée", "validées") if decision == "approve" else ("refusée", "refusées")
    flash(request, f"{plural(len(reviews), f'proposition {done[0]}', f'propositions {done[1]}')}.")
    return redirect(request, str(request.app.url_path_for("stance_queue")) + "?status=pending")


@router.get(
    "/annuaire/{official_id}/positions/nouvelle", response_class=HTMLResponse, name="stance_new"
)
def stance_new(
    request: Request, session: SessionDep, user: StaffUser, official_id: int
) -> Response:
    return render(
        request,
        "stances/new.html",
        {
            "official": get_official(session, official_id=official_id),
            "demands": list_demands(session),
            "kinds": [k for k in EvidenceKind if k != EvidenceKind.reply],
        },
    )


def _optional_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise Invalid("Date attendue au format AAAA-MM-JJ.", field="evidence_date") from None


@router.post("/annuaire/{official_id}/positions", name="stance_propose")
def stance_propose(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    official_id: int,
    demand: Annotated[int, Form()],
    position: Annotated[Position, Form()],
    evidence_kind: Annotated[EvidenceKind, Form()],
    evidence_text: Annotated[str, Form(max_length=5000)] = "",
    source_url: Annotated[str, Form(max_length=500)] = "",
    evidence_date: Annotated[str, Form(max_length=10)] = "",
    attendees: Annotated[str, Form(max_length=2000)] = "",
    source_ref: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    official = get_official(session, official_id=official_id)
    propose_stance(
        session,
        proposal=Proposal(
            official_id=official.id,
            demand_id=demand_by_number(session, number=demand).id,
            position=position,
            evidence=Evidence(
                kind=evidence_kind,
                text=evidence_text.strip(),
                source_url=source_url.strip(),
                evidence_date=_optional_date(evidence_date.strip()),
                attendees=attendees.strip(),
                source_ref=source_ref.strip(),
            ),
        ),
        actor=actor_for(request, user),
    )
    flash(request, "Position proposée, en attente de validation par la direction.")
    return redirect(
        request, str(request.app.url_path_for("official_page", official_id=official.id))
    )
