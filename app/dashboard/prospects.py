"""Who to push next: sitting officials still unknown or undecided on some demands, ranked by
what makes a push worth it (a seat where the law is written, a letter left unanswered)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.bodies.roles import role_label
from app.dashboard.queries import (
    DashboardFilter,
    current_positions,
    letter_in_period,
    reply_in_period,
    sitting,
)
from app.demands.models import Demand
from app.labels import plural
from app.officials.models import Official
from app.stances.models import Position

OPEN_POSITIONS = (Position.unknown, Position.undecided)


@dataclass(frozen=True)
class Prospect:
    """A sitting official still to win on some demands, with what makes them worth a push."""

    official_id: int
    name: str
    chamber: str
    group: str
    open_demands: int
    undecided: int
    key_seats: int
    silent: bool
    score: int


def prospects(
    session: Session, *, filters: DashboardFilter, key_bodies: list[str], limit: int = 12
) -> list[Prospect]:
    """Officials unknown or undecided on some demands, ranked: 2 points per seat in a key body,
    2 if contacted without reply, 1 per demand on which they hesitate (undecided)."""
    current = current_positions(filters.until)
    position = func.coalesce(current.c.position, literal(Position.unknown.value))
    undecided = func.sum(case((position == Position.undecided.value, 1), else_=0))
    open_ = (
        select(
            Official.id.label("official_id"),
            func.count().label("open"),
            undecided.label("undecided"),
        )
        .select_from(Official)
        .join(Demand, literal(True))
        .outerjoin(
            current,
            and_(current.c.official_id == Official.id, current.c.demand_id == Demand.id),
        )
        .where(*sitting(filters), position.in_([p.value for p in OPEN_POSITIONS]))
        .group_by(Official.id)
        .subquery("open")
    )
    seats = (
        select(Membership.official_id, func.count().label("seats"))
        .join(Body, Body.id == Membership.body_id)
        .where(Body.source_id.in_(key_bodies or [""]), Membership.end_date.is_(None))
        .group_by(Membership.official_id)
        .subquery("seats")
    )
    contacted = exists().where(*letter_in_period(filters))
    replied = exists().where(*reply_in_period(filters))
    # Materialised: the EXISTS probes run once per official, not once per use of « silent ».
    candidates = (
        select(
            Official.id.label("id"),
            (Official.first_name + " " + Official.last_name).label("name"),
            Official.kind.label("kind"),
            Official.group_code.label("group_code"),
            Official.last_name.label("last_name"),
            open_.c.open,
            open_.c.undecided,
            func.coalesce(seats.c.seats, 0).label("seats"),
            case((and_(contacted, ~replied), 1), else_=0).label("silent"),
        )
        .join(open_, open_.c.official_id == Official.id)
        .outerjoin(seats, seats.c.official_id == Official.id)
        .cte("candidates")
        .prefix_with("MATERIALIZED")
    )
    c = candidates.c
    score = (2 * c.seats + 2 * c.silent + c.undecided).label("score")
    query = (
        select(c.id, c.name, c.kind, c.group_code, c.open, c.undecided, c.seats, c.silent, score)
        .where(score > 0)
        .order_by(score.desc(), c.last_name, c.id)
        .limit(limit)
    )
    return [
        Prospect(i, n, k, g, int(o), int(u or 0), int(ks), bool(sl), int(sc))
        for i, n, k, g, o, u, ks, sl, sc in session.execute(query)
    ]


def open_demands_of(
    session: Session, *, official_ids: list[int], until: datetime | None
) -> list[tuple[int, int, str]]:
    """(official id, demand number, position) of the demands still open for these officials."""
    current = current_positions(until)
    position = func.coalesce(current.c.position, literal(Position.unknown.value))
    query = (
        select(Official.id, Demand.number, position)
        .select_from(Official)
        .join(Demand, literal(True))
        .outerjoin(
            current,
            and_(current.c.official_id == Official.id, current.c.demand_id == Demand.id),
        )
        .where(Official.id.in_(official_ids), position.in_([p.value for p in OPEN_POSITIONS]))
        .order_by(Official.id, Demand.number)
    )
    return [(o, n, p) for o, n, p in session.execute(query)]


def key_seats_of(
    session: Session, *, official_ids: list[int], key_bodies: list[str]
) -> list[tuple[int, str, str]]:
    """(official id, body name, role) of these officials' current seats in the key bodies."""
    query = (
        select(
            Membership.official_id,
            func.coalesce(func.nullif(Body.short_name, ""), Body.name),
            Membership.role,
        )
        .join(Body, Body.id == Membership.body_id)
        .where(
            Membership.official_id.in_(official_ids),
            Body.source_id.in_(key_bodies or [""]),
            Membership.end_date.is_(None),
        )
        .order_by(Membership.official_id, Body.source_id)
    )
    return [(o, b, r) for o, b, r in session.execute(query)]


@dataclass(frozen=True)
class PushTarget:
    prospect: Prospect
    demands: list[tuple[int, str]]
    reasons: list[str]


def push_next(
    session: Session, *, filters: DashboardFilter, key_bodies: list[str], limit: int = 12
) -> list[PushTarget]:
    """The ranked prospects, each with its open demands and the reasons of its rank in French."""
    found = prospects(session, filters=filters, key_bodies=key_bodies, limit=limit)
    ids = [p.official_id for p in found]
    demands: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for official_id, number, position in open_demands_of(
        session, official_ids=ids, until=filters.until
    ):
        demands[official_id].append((number, position))
    seats: dict[int, list[str]] = defaultdict(list)
    for official_id, body, role in key_seats_of(session, official_ids=ids, key_bodies=key_bodies):
        seats[official_id].append(f"{role_label(role).lower()} · {body}")
    targets = []
    for p in found:
        reasons = [f"siège : {seat}" for seat in seats[p.official_id]]
        if p.silent:
            reasons.append("contacté·e, sans réponse")
        if p.undecided:
            reasons.append(f"indécis·e sur {plural(p.undecided, 'demande', 'demandes')}")
        targets.append(PushTarget(p, demands[p.official_id], reasons))
    return targets
