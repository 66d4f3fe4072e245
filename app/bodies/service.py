"""Bodies and memberships: applying a source (insert, update, end — never delete) and reading."""

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.audit.service import record
from app.bodies.models import Body, Membership
from app.bodies.records import BodyRecord, MembershipRecord
from app.bodies.roles import role_rank
from app.db import utcnow
from app.errors import NotFound
from app.importing.errors import ImportFileError
from app.labels import number, plural
from app.security import Actor

_BODY_FIELDS = ("chamber", "kind", "name", "short_name")


@dataclass
class BodiesReport:
    """What one import changed in the bodies of some chambers."""

    source_label: str
    bodies_created: int = 0
    bodies_updated: int = 0
    created: int = 0
    updated: int = 0
    ended: int = 0
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return self.bodies_created + self.bodies_updated + self.created + self.updated + self.ended

    def counts(self) -> dict[str, Any]:
        return {
            "source": self.source_label,
            "bodies_created": self.bodies_created,
            "bodies_updated": self.bodies_updated,
            "created": self.created,
            "updated": self.updated,
            "ended": self.ended,
            "unchanged": self.unchanged,
            "unmatched": len(self.unmatched),
        }

    def summary(self) -> str:
        return (
            f"Organes ({self.source_label}) : "
            f"{plural(self.bodies_created, 'nouveau', 'nouveaux')}, "
            f"{number(self.bodies_updated)} mis à jour ; appartenances : "
            f"{plural(self.created, 'nouvelle', 'nouvelles')}, "
            f"{plural(self.updated, 'mise à jour', 'mises à jour')}, "
            f"{plural(self.ended, 'terminée', 'terminées')}, "
            f"{plural(self.unchanged, 'inchangée', 'inchangées')}, "
            f"{number(len(self.unmatched))} sans élu correspondant."
        )


def _apply_body_records(
    session: Session, bodies: list[BodyRecord], report: BodiesReport, source_label: str
) -> dict[str, int]:
    """Inserts or updates the bodies; returns every known body's id by source id."""
    existing = {b.source_id: b for b in session.scalars(select(Body))}
    now = utcnow()
    inserts, updates, seen = [], [], set()
    for item in bodies:
        if item.source_id in seen:
            raise ImportFileError(
                source_label, item.source_id, "organe", f"organe « {item.source_id} » en double."
            )
        seen.add(item.source_id)
        values = {name: getattr(item, name) for name in _BODY_FIELDS}
        current = existing.get(item.source_id)
        if current is None:
            inserts.append(
                {**values, "source_id": item.source_id, "created_at": now, "updated_at": now}
            )
        elif any(getattr(current, name) != value for name, value in values.items()):
            updates.append({"id": current.id, **values, "updated_at": now})
    if inserts:
        session.execute(insert(Body), inserts)
    if updates:
        session.execute(update(Body), updates)
    report.bodies_created, report.bodies_updated = len(inserts), len(updates)
    return dict(session.execute(select(Body.source_id, Body.id)).all())


def apply_bodies(
    session: Session,
    *,
    chambers: Collection[str],
    bodies: list[BodyRecord],
    memberships: list[MembershipRecord],
    officials: Mapping[tuple[str, str], int],
    actor: Actor | None,
    source_label: str,
) -> BodiesReport:
    """Makes the sitting memberships of `chambers` those given; the others get an end date.

    `officials` maps (kind, source id) to the directory's sitting officials; a membership of
    anyone else is reported in `unmatched`, not imported.
    """
    report = BodiesReport(source_label=source_label)
    body_ids = _apply_body_records(session, bodies, report, source_label)
    current = {
        (row.body_id, row.official_id, row.role): row
        for row in session.execute(
            select(Membership.id, Membership.body_id, Membership.official_id)
            .add_columns(Membership.role, Membership.start_date)
            .join(Body, Body.id == Membership.body_id)
            .where(Body.chamber.in_(chambers), Membership.end_date.is_(None))
        )
    }
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    present: set[tuple[int, int, str]] = set()
    for item in memberships:
        official_id = officials.get((item.official_kind, item.official))
        body_id = body_ids.get(item.body)
        if body_id is None:
            raise ImportFileError(source_label, item.origin, "organe", f"« {item.body} » inconnu.")
        if official_id is None:
            report.unmatched.append(f"{item.origin} : {item.official} dans {item.body}")
            continue
        key = (body_id, official_id, item.role)
        if key in present:
            continue
        present.add(key)
        known = current.get(key)
        if known is None:
            inserts.append(
                {
                    "body_id": body_id,
                    "official_id": official_id,
                    "role": item.role,
                    "start_date": item.start_date,
                    "created_at": now,
                }
            )
        elif item.start_date is not None and known.start_date != item.start_date:
            updates.append({"id": known.id, "start_date": item.start_date})
        else:
            report.unchanged += 1
    today = date.today()
    ended = [
        {"id": row.id, "end_date": today} for key, row in current.items() if key not in present
    ]
    if inserts:
        session.execute(insert(Membership), inserts)
    if updates or ended:
        session.execute(update(Membership), [*updates, *ended])
    report.created, report.updated, report.ended = len(inserts), len(updates), len(ended)
    if report.changes:
        record(
            session,
            actor=actor,
            action="import",
            object_type="body",
            object_id=",".join(sorted(chambers)),
            after=report.counts(),
        )
    session.flush()
    return report


def get_body(session: Session, *, source_id: str) -> Body:
    """One body by its source id (PO…, COM-SOCI…); NotFound otherwise."""
    body = session.scalar(select(Body).where(Body.source_id == source_id))
    if body is None:
        raise NotFound(f"Aucun organe ne porte l'identifiant « {source_id[:40]} ».")
    return body


@dataclass(frozen=True)
class BodySummary:
    body: Body
    members: int


def list_bodies(session: Session, *, chamber: str | None = None) -> list[BodySummary]:
    """Every body with its number of sitting members, by chamber, kind and name."""
    members = (
        select(Membership.body_id, func.count(func.distinct(Membership.official_id)).label("n"))
        .where(Membership.end_date.is_(None))
        .group_by(Membership.body_id)
        .subquery()
    )
    query = (
        select(Body, func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.body_id == Body.id)
        .order_by(Body.chamber, Body.kind, Body.name)
    )
    if chamber:
        query = query.where(Body.chamber == chamber)
    return [BodySummary(body, count) for body, count in session.execute(query)]


def member_roles(session: Session, *, body_id: int) -> dict[int, list[str]]:
    """Official id → the role keys they hold now in the body, highest first."""
    roles: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(Membership.official_id, Membership.role).where(
            Membership.body_id == body_id, Membership.end_date.is_(None)
        )
    )
    for official_id, role in rows:
        roles[official_id].append(role)
    return {key: sorted(value, key=role_rank) for key, value in roles.items()}


@dataclass(frozen=True)
class Seat:
    body: Body
    role: str
    start_date: date | None


def seats_of(session: Session, *, official_id: int) -> list[Seat]:
    """The bodies an official sits in now, with role, by chamber, kind and name."""
    rows = session.execute(
        select(Body, Membership.role, Membership.start_date)
        .join(Membership, Membership.body_id == Body.id)
        .where(Membership.official_id == official_id, Membership.end_date.is_(None))
        .order_by(Body.chamber, Body.kind, Body.name)
    )
    return [Seat(body, role, start) for body, role, start in rows]


def current_memberships(
    session: Session, *, chambers: Collection[str]
) -> list[tuple[str, int, str, date | None]]:
    """(body source id, official id, role, start) of every sitting membership, for the export."""
    rows = session.execute(
        select(Body.source_id, Membership.official_id, Membership.role, Membership.start_date)
        .join(Body, Body.id == Membership.body_id)
        .where(Body.chamber.in_(chambers), Membership.end_date.is_(None))
    )
    return list(rows)


def bodies_in(session: Session, *, chambers: Collection[str]) -> list[Body]:
    """The bodies of some chambers, by source id (the export's order)."""
    return list(
        session.scalars(select(Body).where(Body.chamber.in_(chambers)).order_by(Body.source_id))
    )
