from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from app.demands.service import demand_by_number
from app.errors import NotFound
from app.officials.service import get_official
from app.stances.models import StanceStatus
from app.stances.queries import StanceFilter, get_stance_row, list_stances, official_timelines
from app.stances.schemas import (
    DemandHistory,
    OfficialStances,
    ReviewCreate,
    StanceCreate,
    StancePage,
    StanceRead,
)
from app.stances.service import Evidence, Proposal, propose_stance, review_stances
from app.users.deps import DirectorUser, ReaderUser, SessionDep, StaffUser, actor_for
from app.web.pagination import Page
from app.web.params import MAX_ID, Id, PageNumber, PageSize

router = APIRouter(prefix="/api", tags=["positions"])


def stance_filter(
    status: StanceStatus | None = None,
    demand: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    official: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    chamber: Annotated[str, Query(max_length=20)] = "",
    group: Annotated[str, Query(max_length=200)] = "",
    batch: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> StanceFilter:
    """The queue's filters from the query string (blank means « any »)."""
    return StanceFilter(
        status=status,
        demand=demand,
        official_id=official,
        chamber=chamber,
        group=group,
        batch_id=batch,
    )


StanceFilterDep = Annotated[StanceFilter, Depends(stance_filter)]


def _read(session: SessionDep, stance_id: int) -> StanceRead:
    row = get_stance_row(session, stance_id=stance_id)
    if row is None:
        raise NotFound("Proposition introuvable.")
    return StanceRead.of(row)


@router.get("/stances", response_model=StancePage, name="api_stances")
def stances(
    session: SessionDep,
    user: ReaderUser,
    filters: StanceFilterDep,
    page: PageNumber = 1,
    size: PageSize = 50,
) -> StancePage:
    """Propositions de position, filtrées (status, demand = numéro, official, chamber, group)."""
    pager = Page.of(page, size)
    rows, total = list_stances(session, filters=filters, offset=pager.offset, limit=pager.size)
    return StancePage(items=[StanceRead.of(r) for r in rows], total=total)


@router.post("/stances", response_model=StanceRead, status_code=201, name="api_stance_create")
def stance_create(
    request: Request, body: StanceCreate, session: SessionDep, user: StaffUser
) -> StanceRead:
    """Propose une position (réponse, déclaration avec URL, rendez-vous, question, vote…)."""
    demand = demand_by_number(session, number=body.demand)
    stance = propose_stance(
        session,
        proposal=Proposal(
            official_id=body.official_id,
            demand_id=demand.id,
            position=body.position,
            evidence=Evidence(
                kind=body.evidence_kind,
                text=body.evidence_text.strip(),
                source_url=body.source_url.strip(),
                evidence_date=body.evidence_date,
                attendees=body.attendees.strip(),
                reply_id=body.reply_id,
                source_ref=body.source_ref.strip(),
            ),
        ),
        actor=actor_for(request, user),
    )
    return _read(session, stance.id)


@router.post("/stances/{stance_id}/review", response_model=StanceRead, name="api_stance_review")
def stance_review(
    request: Request, stance_id: Id, body: ReviewCreate, session: SessionDep, user: DirectorUser
) -> StanceRead:
    """Valide ou refuse une proposition (direction) ; un refus demande une raison."""
    review_stances(
        session,
        stance_ids=[stance_id],
        approved=body.approved,
        comment=body.comment,
        actor=actor_for(request, user),
    )
    return _read(session, stance_id)


@router.get(
    "/officials/{official_id}/stances", response_model=OfficialStances, name="api_official_stances"
)
def official_stances(session: SessionDep, user: ReaderUser, official_id: Id) -> OfficialStances:
    """Pour chaque demande : la position validée en vigueur et tout l'historique."""
    official = get_official(session, official_id=official_id)
    return OfficialStances(
        official_id=official.id,
        demands=[
            DemandHistory(
                demand=t.demand.number,
                demand_title=t.demand.title,
                current=StanceRead.of(t.current) if t.current else None,
                history=[StanceRead.of(r) for r in t.history],
            )
            for t in official_timelines(session, official_id=official.id)
        ],
    )
