"""Stances: proposals coded from evidence (append-only); the current one is the latest approved."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.demands.models import Demand
from app.demands.service import list_demands
from app.errors import Conflict, Invalid, NotFound
from app.officials.models import Official
from app.replies.models import Reply, ReplyKind
from app.security import Actor
from app.stances.current import refresh_current
from app.stances.models import EvidenceKind, Position, Stance, StanceReview

# Evidence from the parliamentary record: a link to it, or its AN uid, says where to check.
_RECORD_KINDS = {
    EvidenceKind.question,
    EvidenceKind.amendment,
    EvidenceKind.bill,
    EvidenceKind.vote,
}


@dataclass(frozen=True)
class Evidence:
    """What a proposal rests on; which fields are required depends on the kind."""

    kind: EvidenceKind
    text: str = ""
    source_url: str = ""
    evidence_date: date | None = None
    attendees: str = ""
    reply_id: int | None = None
    source_ref: str = ""


@dataclass(frozen=True)
class Proposal:
    """One official's position on one demand, as staff code it."""

    official_id: int
    demand_id: int
    position: Position
    evidence: Evidence
    batch_id: int | None = field(default=None)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid(
            "L'adresse de la source doit commencer par http:// ou https://.", field="source_url"
        )


def check_evidence(session: Session, *, evidence: Evidence, official_id: int) -> None:
    """Refuses evidence missing what its kind requires (URL, date and attendees, reply…)."""
    if evidence.source_url:
        _check_url(evidence.source_url)
    if evidence.kind == EvidenceKind.statement and not evidence.source_url:
        raise Invalid(
            "Une déclaration publique doit avoir l'adresse (URL) de sa source.", field="source_url"
        )
    if evidence.kind == EvidenceKind.meeting:
        if evidence.evidence_date is None:
            raise Invalid("Indiquez la date du rendez-vous.", field="evidence_date")
        if not evidence.attendees.strip():
            raise Invalid("Indiquez qui a participé au rendez-vous.", field="attendees")
    if evidence.kind in _RECORD_KINDS and not (evidence.source_url or evidence.source_ref):
        raise Invalid(
            "Indiquez le lien ou l'identifiant officiel (texte, amendement, scrutin).",
            field="source_url",
        )
    if evidence.kind == EvidenceKind.reply:
        reply = session.get(Reply, evidence.reply_id) if evidence.reply_id else None
        if reply is None:
            raise Invalid("Indiquez la réponse sur laquelle repose la position.", field="reply_id")
        if reply.official_id != official_id:
            raise Invalid("Cette réponse n'est pas celle de cet élu.", field="reply_id")


def add_proposals(session: Session, *, proposals: Iterable[Proposal], actor: Actor) -> list[Stance]:
    """Records proposals (none approved here), each audited; evidence must be checked before."""
    stances = [
        Stance(
            official_id=p.official_id,
            demand_id=p.demand_id,
            position=p.position,
            evidence_kind=p.evidence.kind,
            evidence_text=p.evidence.text,
            source_url=p.evidence.source_url,
            evidence_date=p.evidence.evidence_date,
            attendees=p.evidence.attendees,
            reply_id=p.evidence.reply_id,
            source_ref=p.evidence.source_ref,
            batch_id=p.batch_id,
            recorded_by_id=actor.user_id,
        )
        for p in proposals
    ]
    session.add_all(stances)
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
                "evidence_kind": stance.evidence_kind,
                "reply_id": stance.reply_id,
                "batch_id": stance.batch_id,
            },
        )
    return stances


def propose_stance(session: Session, *, proposal: Proposal, actor: Actor) -> Stance:
    """One proposal from any kind of evidence, after checking the official, demand and evidence."""
    if session.get(Official, proposal.official_id) is None:
        raise Invalid("Élu inconnu.", field="official_id")
    if session.get(Demand, proposal.demand_id) is None:
        raise Invalid("Demande inconnue.", field="demand")
    check_evidence(session, evidence=proposal.evidence, official_id=proposal.official_id)
    return add_proposals(session, proposals=[proposal], actor=actor)[0]


def propose_from_reply(
    session: Session,
    *,
    reply: Reply,
    positions: dict[int, Position],
    actor: Actor,
    note: str = "",
) -> list[Stance]:
    """One stance proposal per coded demand, with the reply as its evidence; none approved here.

    A demand already proposed from this reply with the same position is not proposed again, so
    coding a reply twice adds only what changed."""
    if reply.kind != ReplyKind.reply:
        raise Invalid("Un message automatique (absence, rejet) ne peut pas être codé.")
    if reply.official_id is None:
        raise Invalid("Rattachez d'abord cette réponse à un élu avant de la coder.")
    if not positions:
        raise Invalid("Indiquez la position exprimée pour au moins une demande.")
    already = {(s.demand_id, s.position) for s in stances_for_reply(session, reply_id=reply.id)}
    positions = {d: p for d, p in positions.items() if (d, p) not in already}
    known = set(session.scalars(select(Demand.id).where(Demand.id.in_(positions))))
    if unknown := set(positions) - known:
        raise Invalid(f"Demande inconnue : {', '.join(map(str, sorted(unknown)))}.")
    if not positions:
        return []
    evidence = Evidence(
        kind=EvidenceKind.reply,
        text=note.strip() or reply.subject or reply.body[:500],
        evidence_date=reply.received_at.date(),
        reply_id=reply.id,
    )
    return add_proposals(
        session,
        proposals=[
            Proposal(official_id=reply.official_id, demand_id=d, position=p, evidence=evidence)
            for d, p in sorted(positions.items())
        ],
        actor=actor,
    )


def review_stances(
    session: Session, *, stance_ids: list[int], approved: bool, comment: str, actor: Actor
) -> list[StanceReview]:
    """A director's decision on pending proposals (a rejection needs a reason); each audited."""
    comment = comment.strip()
    if not approved and not comment:
        raise Invalid("Indiquez la raison du refus.", field="comment")
    if not stance_ids:
        raise Invalid("Cochez au moins une proposition.", field="stance_ids")
    stances = list(session.scalars(select(Stance).where(Stance.id.in_(stance_ids))))
    if len(stances) != len(set(stance_ids)):
        raise NotFound("Proposition introuvable.")
    done = set(
        session.scalars(
            select(StanceReview.stance_id).where(StanceReview.stance_id.in_(stance_ids))
        )
    )
    if done:
        raise Conflict(f"Déjà examinée : proposition {', '.join(map(str, sorted(done)))}.")
    reviews = [
        StanceReview(
            stance_id=s.id, approved=approved, comment=comment, reviewed_by_id=actor.user_id
        )
        for s in stances
    ]
    session.add_all(reviews)
    session.flush()
    if approved:
        refresh_current(session, pairs={(s.official_id, s.demand_id) for s in stances})
    for stance in stances:
        record(
            session,
            actor=actor,
            action="approve" if approved else "reject",
            object_type="stance",
            object_id=stance.id,
            before={"status": "pending"},
            after={"status": "approved" if approved else "rejected", "comment": comment},
        )
    return reviews


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


def stances_for_reply(session: Session, *, reply_id: int) -> list[Stance]:
    """The proposals coded from one reply, oldest first."""
    return list(
        session.scalars(select(Stance).where(Stance.reply_id == reply_id).order_by(Stance.id))
    )


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
