"""Ministries' postal addresses, entered once by staff and used for their ministers' letters."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.bodies.models import Body, Membership
from app.errors import NotFound
from app.organisation.models import MinistryAddress
from app.organisation.postal import checked_address
from app.security import Actor

MINISTRY_KIND = "MINISTERE"
# Room is left above the address for the minister's name and title (6 lines in all).
MINISTRY_ADDRESS_LINES = 4


@dataclass(frozen=True)
class Ministry:
    body_id: int
    name: str
    postal_address: str
    updated_by: str
    updated_at: datetime | None
    ministers: int


def _ministries(session: Session, body_id: int | None = None) -> list[Ministry]:
    sitting = (
        select(Membership.body_id, func.count().label("n"))
        .where(Membership.end_date.is_(None))
        .group_by(Membership.body_id)
        .subquery()
    )
    query = (
        select(Body, MinistryAddress, func.coalesce(sitting.c.n, 0))
        .outerjoin(MinistryAddress, MinistryAddress.body_id == Body.id)
        .outerjoin(sitting, sitting.c.body_id == Body.id)
        .where(Body.kind == MINISTRY_KIND)
        .order_by(Body.name)
    )
    if body_id is not None:
        query = query.where(Body.id == body_id)
    return [
        Ministry(
            body_id=body.id,
            name=body.name,
            postal_address=address.postal_address if address else "",
            updated_by=address.updated_by if address else "",
            updated_at=address.updated_at if address else None,
            ministers=count,
        )
        for body, address, count in session.execute(query)
    ]


def list_ministries(session: Session) -> list[Ministry]:
    """Every ministry, with its address (empty when unknown) and its sitting ministers."""
    return _ministries(session)


def get_ministry(session: Session, *, body_id: int) -> Ministry:
    """One ministry, or NotFound."""
    found = _ministries(session, body_id)
    if not found:
        raise NotFound(f"Aucun ministère ne porte l'identifiant {body_id}.")
    return found[0]


def set_ministry_address(
    session: Session, *, body_id: int, postal_address: str, actor: Actor
) -> Ministry:
    """Sets (or, when empty, forgets) a ministry's postal address; checked and audited."""
    before = get_ministry(session, body_id=body_id)
    text = checked_address(postal_address, field="postal_address", max_lines=MINISTRY_ADDRESS_LINES)
    row = session.get(MinistryAddress, body_id)
    if not text:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(MinistryAddress(body_id=body_id, postal_address=text, updated_by=actor.label))
    else:
        row.postal_address, row.updated_by = text, actor.label
    session.flush()
    if before.postal_address != text:
        record(
            session,
            actor=actor,
            action="ministry.address",
            object_type="body",
            object_id=body_id,
            before={"postal_address": before.postal_address},
            after={"postal_address": text},
        )
    return get_ministry(session, body_id=body_id)


@dataclass(frozen=True)
class MinisterPost:
    """Where a minister's post goes: their ministry, and its address if staff entered it."""

    body_id: int
    ministry: str
    postal_address: str


def minister_posts(session: Session, *, official_ids: Collection[int]) -> dict[int, MinisterPost]:
    """Each given official's current ministry (by sitting membership) and its address."""
    if not official_ids:
        return {}
    rows = session.execute(
        select(Membership.official_id, Body.id, Body.name, MinistryAddress.postal_address)
        .join(Body, Body.id == Membership.body_id)
        .outerjoin(MinistryAddress, MinistryAddress.body_id == Body.id)
        .where(
            Body.kind == MINISTRY_KIND,
            Membership.end_date.is_(None),
            Membership.official_id.in_(list(official_ids)),
        )
        .order_by(Membership.official_id, Membership.id)
    )
    posts: dict[int, MinisterPost] = {}
    for official_id, body_id, name, address in rows:
        posts.setdefault(official_id, MinisterPost(body_id, name, address or ""))
    return posts
