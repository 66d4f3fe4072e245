"""The numbers behind the directors' screen, each computed by one SQL statement."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.db import utcnow
from app.demands.models import Demand
from app.letters.models import Letter, LetterStatus
from app.officials.models import Official, OfficialKind
from app.replies.models import Reply, ReplyKind
from app.stances.current import latest_approved
from app.stances.models import CurrentStance, Position, Stance, StanceReview

CHAMBERS = (OfficialKind.deputy, OfficialKind.senator)
CONTACTED = (LetterStatus.sent, LetterStatus.delivered, LetterStatus.replied)
MEDIAN_DAYS = 30


@dataclass(frozen=True)
class DashboardFilter:
    """Blank means « any »: chamber (official kind), group code, département code, body (its
    source id, e.g. PO804431), period."""

    chamber: str = ""
    group: str = ""
    department: str = ""
    body: str = ""
    since: datetime | None = None
    until: datetime | None = None


def sitting(filters: DashboardFilter) -> list[ColumnElement[bool]]:
    """Conditions on Official: sitting in a chamber, within the filters."""
    conditions: list[ColumnElement[bool]] = [
        Official.mandate_end.is_(None),
        Official.kind.in_(CHAMBERS),
    ]
    if filters.chamber:
        conditions.append(Official.kind == filters.chamber)
    if filters.group:
        conditions.append(Official.group_code == filters.group)
    if filters.department:
        conditions.append(Official.department_code == filters.department)
    if filters.body:
        members = (
            select(Membership.official_id)
            .join(Body, Body.id == Membership.body_id)
            .where(Body.source_id == filters.body, Membership.end_date.is_(None))
        )
        conditions.append(Official.id.in_(members))
    return conditions


def body_name(session: Session, *, source_id: str) -> str | None:
    """The name of the body with this source id, None when there is none."""
    return session.scalar(select(Body.name).where(Body.source_id == source_id))


def current_positions(until: datetime | None = None) -> Any:
    """Subquery (official_id, demand_id, position): the current_stance table, or, for a past
    date, the latest stance approved by then, ranked by a window function."""
    if until is None:
        return select(
            CurrentStance.official_id, CurrentStance.demand_id, CurrentStance.position
        ).subquery("current")
    return latest_approved(until=until).subquery("current")


def stance_counts(
    session: Session, *, filters: DashboardFilter
) -> list[tuple[int, str, str, str, int]]:
    """(demand number, chamber, group, position, officials) for every sitting official."""
    current = current_positions(filters.until)
    position = func.coalesce(current.c.position, literal(Position.unknown.value))
    query: Select[Any] = (
        select(Demand.number, Official.kind, Official.group_code, position, func.count())
        .select_from(Official)
        .join(Demand, literal(True))
        .outerjoin(
            current,
            and_(current.c.official_id == Official.id, current.c.demand_id == Demand.id),
        )
        .where(*sitting(filters))
        .group_by(Demand.number, Official.kind, Official.group_code, position)
        .order_by(Demand.number, Official.kind, Official.group_code)
    )
    return [(n, k, g, p, c) for n, k, g, p, c in session.execute(query)]


def seat_counts(session: Session) -> dict[str, int]:
    """Sitting members per chamber: the base of shares and of the absolute majority."""
    query = (
        select(Official.kind, func.count())
        .where(Official.mandate_end.is_(None), Official.kind.in_(CHAMBERS))
        .group_by(Official.kind)
    )
    return {kind: count for kind, count in session.execute(query)}


@dataclass(frozen=True)
class Outreach:
    chamber: str
    sitting: int
    contacted: int
    replied: int
    median_days: float | None

    @property
    def silent(self) -> int:
        return self.contacted - self.replied

    @property
    def reply_rate(self) -> float:
        return self.replied / self.contacted if self.contacted else 0.0


def letter_in_period(filters: DashboardFilter) -> list[ColumnElement[bool]]:
    """Conditions on Letter, correlated to Official: sent to them within the period."""
    conditions: list[ColumnElement[bool]] = [
        Letter.official_id == Official.id,
        Letter.status.in_(CONTACTED),
    ]
    if filters.since is not None:
        conditions.append(Letter.created_at >= filters.since)
    if filters.until is not None:
        conditions.append(Letter.created_at <= filters.until)
    return conditions


def reply_in_period(filters: DashboardFilter) -> list[ColumnElement[bool]]:
    """Conditions on Reply, correlated to Official: an answer (not a robot's) within the period."""
    conditions: list[ColumnElement[bool]] = [
        Reply.official_id == Official.id,
        Reply.kind == ReplyKind.reply,
    ]
    if filters.since is not None:
        conditions.append(Reply.received_at >= filters.since)
    if filters.until is not None:
        conditions.append(Reply.received_at <= filters.until)
    return conditions


def outreach(session: Session, *, filters: DashboardFilter) -> list[Outreach]:
    """Per chamber: sitting, contacted (a letter sent), replied, and the median days to reply."""
    contacted = exists().where(*letter_in_period(filters))
    replied = exists().where(*reply_in_period(filters))
    # Materialised: each EXISTS probe runs once per official, not once per aggregate using it.
    flags = (
        select(
            Official.kind.label("kind"),
            case((contacted, 1), else_=0).label("contacted"),
            case((replied, 1), else_=0).label("replied"),
        )
        .where(*sitting(filters))
        .cte("flags")
        .prefix_with("MATERIALIZED")
    )
    query = (
        select(
            flags.c.kind,
            func.count(),
            func.sum(flags.c.contacted),
            func.sum(flags.c.contacted * flags.c.replied),
        )
        .group_by(flags.c.kind)
        .order_by(flags.c.kind)
    )
    medians = median_reply_days(session, filters=filters)
    return [
        Outreach(kind, sitting, int(sent or 0), int(answered or 0), medians.get(kind))
        for kind, sitting, sent, answered in session.execute(query)
    ]


def _days_between(later: Any, earlier: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return func.extract("epoch", later - earlier) / 86400.0


def median_reply_days(session: Session, *, filters: DashboardFilter) -> dict[str, float]:
    """Median of (reply received − letter created) per chamber over the period (by default the
    last MEDIAN_DAYS days, which keeps the window small), by window functions."""
    dialect = session.get_bind().dialect.name
    days = _days_between(Reply.received_at, Letter.created_at, dialect).label("days")
    since = filters.since or utcnow() - timedelta(days=MEDIAN_DAYS)
    conditions = [*sitting(filters), *reply_in_period(replace(filters, since=since))]
    delays = (
        select(
            Official.kind.label("kind"),
            days,
            func.row_number().over(partition_by=Official.kind, order_by=days).label("position"),
            func.count().over(partition_by=Official.kind).label("total"),
        )
        .select_from(Reply)
        .join(Letter, Letter.id == Reply.letter_id)
        .join(Official, Official.id == Reply.official_id)
        .where(*conditions)
        .subquery()
    )
    middle = (delays.c.total + 1) // 2
    upper = (delays.c.total + 2) // 2
    query = (
        select(delays.c.kind, func.avg(delays.c.days))
        .where(or_(delays.c.position == middle, delays.c.position == upper))
        .group_by(delays.c.kind)
    )
    return {kind: round(float(value), 1) for kind, value in session.execute(query)}


@dataclass(frozen=True)
class Change:
    official_id: int
    name: str
    chamber: str
    group: str
    demand: int
    position: str
    reviewed_at: datetime


def change_counts(
    session: Session, *, filters: DashboardFilter, since: datetime
) -> list[tuple[int, str, int]]:
    """(demand number, position, approvals) for the stances approved since a date."""
    query = (
        select(Demand.number, Stance.position, func.count())
        .select_from(Stance)
        .join(StanceReview, StanceReview.stance_id == Stance.id)
        .join(Demand, Demand.id == Stance.demand_id)
        .join(Official, Official.id == Stance.official_id)
        .where(StanceReview.approved.is_(True), StanceReview.reviewed_at >= since)
        .where(*sitting(filters))
        .group_by(Demand.number, Stance.position)
        .order_by(Demand.number, Stance.position)
    )
    return [(n, p, c) for n, p, c in session.execute(query)]


def latest_changes(
    session: Session, *, filters: DashboardFilter, since: datetime, limit: int = 15
) -> list[Change]:
    """The most recent approvals since a date, newest first."""
    query = (
        select(
            Official.id,
            Official.first_name + " " + Official.last_name,
            Official.kind,
            Official.group_code,
            Demand.number,
            Stance.position,
            StanceReview.reviewed_at,
        )
        .select_from(StanceReview)
        .join(Stance, Stance.id == StanceReview.stance_id)
        .join(Demand, Demand.id == Stance.demand_id)
        .join(Official, Official.id == Stance.official_id)
        .where(StanceReview.approved.is_(True), StanceReview.reviewed_at >= since)
        .where(*sitting(filters))
        .order_by(StanceReview.reviewed_at.desc(), StanceReview.id.desc())
        .limit(limit)
    )
    return [Change(*row) for row in session.execute(query)]
