"""Reading stances: the review queue with its filters, and each official's history per demand."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, or_, select, tuple_
from sqlalchemy.orm import Session

from app.demands.models import Demand
from app.demands.service import list_demands
from app.officials.models import Official
from app.stances.models import Stance, StanceReview, StanceStatus

AnySelect = Select[*tuple[Any, ...]]
Q = TypeVar("Q", bound=AnySelect)


@dataclass(frozen=True)
class StanceFilter:
    """Blank fields mean « any »; demand is the demand's number, chamber the official's kind."""

    status: StanceStatus | None = None
    demand: int | None = None
    official_id: int | None = None
    chamber: str = ""
    group: str = ""
    batch_id: int | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as query-string parameters (for pagination links)."""
        values = {
            "status": self.status or "",
            "demand": self.demand,
            "official": self.official_id,
            "chamber": self.chamber,
            "group": self.group,
            "batch": self.batch_id,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


@dataclass(frozen=True)
class StanceRow:
    """A proposal with its official, demand and the director's decision (None while pending)."""

    stance: Stance
    official: Official
    demand: Demand
    review: StanceReview | None

    @property
    def status(self) -> StanceStatus:
        if self.review is None:
            return StanceStatus.pending
        return StanceStatus.approved if self.review.approved else StanceStatus.rejected


_ROWS = (
    select(Stance, Official, Demand, StanceReview)
    .join(Official, Official.id == Stance.official_id)
    .join(Demand, Demand.id == Stance.demand_id)
    .outerjoin(StanceReview, StanceReview.stance_id == Stance.id)
)

# Newest evidence first: the order in which `current_stance` picks the latest approved.
NEWEST_FIRST = (
    Stance.evidence_date.desc().nulls_last(),
    Stance.recorded_at.desc(),
    Stance.id.desc(),
)


def _filtered(query: Q, filters: StanceFilter) -> Q:
    status_conditions = {
        StanceStatus.pending: StanceReview.id.is_(None),
        StanceStatus.approved: StanceReview.approved.is_(True),
        StanceStatus.rejected: StanceReview.approved.is_(False),
    }
    conditions = [
        status_conditions[filters.status] if filters.status else None,
        Demand.number == filters.demand if filters.demand is not None else None,
        Stance.official_id == filters.official_id if filters.official_id is not None else None,
        Official.kind == filters.chamber if filters.chamber else None,
        or_(Official.group_code == filters.group, Official.group_name == filters.group)
        if filters.group
        else None,
        Stance.batch_id == filters.batch_id if filters.batch_id is not None else None,
    ]
    return query.where(*[c for c in conditions if c is not None])


def _rows(session: Session, query: AnySelect) -> list[StanceRow]:
    return [StanceRow(*row) for row in session.execute(query).all()]


def list_stances(
    session: Session, *, filters: StanceFilter, offset: int = 0, limit: int = 50
) -> tuple[list[StanceRow], int]:
    """A page of proposals matching the filters (pending ones oldest first, else newest first)."""
    counted = _filtered(
        select(func.count(Stance.id))
        .select_from(Stance)
        .join(Official, Official.id == Stance.official_id)
        .join(Demand, Demand.id == Stance.demand_id)
        .outerjoin(StanceReview, StanceReview.stance_id == Stance.id),
        filters,
    )
    pending_first = case((StanceReview.id.is_(None), 0), else_=1)
    order = (
        (Stance.id,)
        if filters.status == StanceStatus.pending
        else (pending_first, Stance.recorded_at.desc(), Stance.id.desc())
    )
    rows = _rows(session, _filtered(_ROWS, filters).order_by(*order).offset(offset).limit(limit))
    return rows, session.scalar(counted) or 0


def get_stance_row(session: Session, *, stance_id: int) -> StanceRow | None:
    """One proposal with its official, demand and decision."""
    found = _rows(session, _ROWS.where(Stance.id == stance_id))
    return found[0] if found else None


def histories(
    session: Session, *, pairs: set[tuple[int, int]]
) -> dict[tuple[int, int], list[StanceRow]]:
    """Every proposal for each (official, demand) pair, newest evidence first, in one query."""
    if not pairs:
        return {}
    found: dict[tuple[int, int], list[StanceRow]] = defaultdict(list)
    query = _ROWS.where(tuple_(Stance.official_id, Stance.demand_id).in_(sorted(pairs)))
    for row in _rows(session, query.order_by(*NEWEST_FIRST)):
        found[(row.stance.official_id, row.stance.demand_id)].append(row)
    return found


def current_of(rows: list[StanceRow]) -> StanceRow | None:
    """The latest approved row of one pair's history (rows newest first)."""
    return next((r for r in rows if r.status == StanceStatus.approved), None)


@dataclass(frozen=True)
class DemandTimeline:
    """An official's proposals on one demand, newest evidence first, and the current one."""

    demand: Demand
    history: list[StanceRow]

    @property
    def current(self) -> StanceRow | None:
        return current_of(self.history)


def official_timelines(session: Session, *, official_id: int) -> list[DemandTimeline]:
    """For every demand in manifesto order, the official's whole stance history on it."""
    rows = _rows(session, _ROWS.where(Stance.official_id == official_id).order_by(*NEWEST_FIRST))
    return [
        DemandTimeline(demand=demand, history=[r for r in rows if r.demand.id == demand.id])
        for demand in list_demands(session)
    ]
