"""Stances: proposals coded from evidence (append-only); the current one is the latest approved."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.demands.models import Demand
from app.demands.service import list_demands
from app.errors import Invalid
from app.replies.models import Reply
from app.security import Actor
from app.stances.models import EvidenceKind, Position, Stance, StanceReview

POSITION_LABELS = {
    Position.unknown: "Inconnue",
    Position.opposed: "Opposé·e",
    Position.undecided: "Indécis·e",
    Position.supportive: "Favorable",
    Position.committed: "Engagé·e (par écrit)",
    Position.acted: "A agi (question, amendement, vote, texte)",
}


def propose_from_reply(
    session: Session,
    *,
    reply: Reply,
    positions: dict[int, Position],
    actor: Actor,
    note: str = "",
) -> list[Stance]:
    """One stance proposal per coded demand, with the reply as its evidence; none approved here."""
    if reply.official_id is None:
        raise Invalid("Rattachez d'abord cette réponse à un élu avant de la coder.")
    if not positions:
        raise Invalid("Indiquez la position exprimée pour au moins une demande.")
    known = set(session.scalars(select(Demand.id).where(Demand.id.in_(positions))))
    if unknown := set(positions) - known:
        raise Invalid(f"Demande inconnue : {', '.join(map(str, sorted(unknown)))}.")
    evidence = note.strip() or reply.subject or reply.body[:500]
    stances = []
    for demand_id, position in sorted(positions.items()):
        stance = Stance(
            official_id=reply.official_id,
            demand_id=demand_id,
            position=position,
            evidence_kind=EvidenceKind.reply,
            evidence_text=evidence,
            evidence_date=reply.received_at.date(),
            reply_id=reply.id,
            recorded_by_id=actor.user_id,
        )
        session.add(stance)
        stances.append(stance)
    session.flush()
    for stance in stances:
        record(
            session,
            actor=actor,
            action="propose",
            object_type="stance",
            object_id=stance.id,
            after={
                "official_id": stance.official_id,
                "demand_id": stance.demand_id,
                "position": stance.position,
                "reply_id": stance.reply_id,
            },
        )
    return stances


def stances_for_reply(session: Session, *, reply_id: int) -> list[Stance]:
    """The proposals coded from one reply, oldest first."""
    return list(
        session.scalars(select(Stance).where(Stance.reply_id == reply_id).order_by(Stance.id))
    )


def current_stance(session: Session, *, official_id: int, demand_id: int) -> Stance | None:
    """The official's current position on a demand: the latest approved proposal."""
    return session.scalars(
        select(Stance)
        .join(StanceReview, StanceReview.stance_id == Stance.id)
        .where(
            Stance.official_id == official_id,
            Stance.demand_id == demand_id,
            StanceReview.approved.is_(True),
        )
        .order_by(
            Stance.evidence_date.desc().nulls_last(), Stance.recorded_at.desc(), Stance.id.desc()
        )
    ).first()


@dataclass(frozen=True)
class DemandStance:
    """Where an official stands on one demand: the approved stance and proposals awaiting review."""

    demand: Demand
    current: Stance | None
    pending: int


def stances_for_official(session: Session, *, official_id: int) -> list[DemandStance]:
    """For each demand, in manifesto order, the official's current stance and pending proposals."""
    reviewed = select(StanceReview.stance_id)
    pending_counts = dict(
        session.execute(
            select(Stance.demand_id, func.count(Stance.id))
            .where(Stance.official_id == official_id, Stance.id.not_in(reviewed))
            .group_by(Stance.demand_id)
        ).all()
    )
    return [
        DemandStance(
            demand=demand,
            current=current_stance(session, official_id=official_id, demand_id=demand.id),
            pending=pending_counts.get(demand.id, 0),
        )
        for demand in list_demands(session)
    ]
