"""The official record: import texts and votes, map them to demands as batches of proposals."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.db import utcnow
from app.demands.service import demand_by_number
from app.errors import Conflict, Invalid, NotFound
from app.legislation.models import ActRole, LegislativeAct, LegislativeRecord, RecordKind
from app.legislation.parsing import ParsedRecord
from app.officials.models import Official, OfficialKind
from app.security import Actor
from app.stances.models import EvidenceKind, Position, Stance, StanceBatch, StanceReview
from app.stances.service import Evidence, Proposal, add_proposals

# A co-signature is an act for the text; a « pour » too. Non-voting says nothing.
_POSITIONS = {
    ActRole.author: Position.acted,
    ActRole.cosignatory: Position.acted,
    ActRole.voted_for: Position.acted,
    ActRole.voted_against: Position.opposed,
    ActRole.abstained: Position.undecided,
}
_FLIPPED = {Position.acted: Position.opposed, Position.opposed: Position.acted}
_ROLE_LABELS = {
    ActRole.author: "Auteur·rice de",
    ActRole.cosignatory: "Cosignataire de",
    ActRole.voted_for: "A voté pour",
    ActRole.voted_against: "A voté contre",
    ActRole.abstained: "S'est abstenu·e sur",
}
DIRECTIONS = ("supports", "opposes")


def save_record(session: Session, *, parsed: ParsedRecord) -> str:
    """Creates or refreshes one record and its acts (keyed on the uid); returns new/updated/same."""
    existing = session.scalar(select(LegislativeRecord).where(LegislativeRecord.uid == parsed.uid))
    acts = {(a.actor_ref, a.role.value, a.acted_on) for a in parsed.acts}
    if existing is None:
        existing = LegislativeRecord(uid=parsed.uid, kind=parsed.kind)
        session.add(existing)
        outcome = "new"
    else:
        stored = session.execute(
            select(LegislativeAct.actor_ref, LegislativeAct.role, LegislativeAct.acted_on).where(
                LegislativeAct.record_id == existing.id
            )
        )
        same_acts = {tuple(row) for row in stored} == acts
        same = (existing.title, existing.record_date, existing.dossier_ref) == (
            parsed.title,
            parsed.record_date,
            parsed.dossier_ref,
        )
        if same and same_acts:
            return "same"
        session.execute(delete(LegislativeAct).where(LegislativeAct.record_id == existing.id))
        outcome = "updated"
    existing.title, existing.record_date = parsed.title, parsed.record_date
    existing.dossier_ref = parsed.dossier_ref
    session.flush()
    session.add_all(
        LegislativeAct(record_id=existing.id, actor_ref=ref, role=role, acted_on=day)
        for ref, role, day in sorted(acts, key=lambda a: a[0])
    )
    session.flush()
    return outcome


def save_records(session: Session, *, parsed: list[ParsedRecord], actor: Actor) -> Counter[str]:
    """Saves every record in the caller's transaction; counts new, updated and unchanged."""
    counts = Counter(save_record(session, parsed=p) for p in parsed)
    record(
        session,
        actor=actor,
        action="import",
        object_type="legislative_record",
        after={"files": len(parsed), **counts},
    )
    return counts


@dataclass(frozen=True)
class DemandMapping:
    number: int
    direction: str


def map_to_demands(
    session: Session, *, uid: str, mappings: list[DemandMapping], actor: Actor
) -> tuple[StanceBatch, int]:
    """One batch: a proposal per demand for each sitting author, co-signatory or voter."""
    found = session.scalar(select(LegislativeRecord).where(LegislativeRecord.uid == uid))
    if found is None or found.kind == RecordKind.dossier:
        raise NotFound(f"Texte ou scrutin « {uid} » introuvable : importez-le d'abord.")
    if not mappings:
        raise Invalid("Indiquez au moins une demande.", field="demands")
    if bad := [m.direction for m in mappings if m.direction not in DIRECTIONS]:
        raise Invalid(f"Direction « {bad[0]} » : supports ou opposes attendu.", field="direction")
    if len({m.number for m in mappings}) != len(mappings):
        raise Invalid("Une même demande est indiquée deux fois.", field="demands")
    demands = [(demand_by_number(session, number=m.number), m.direction) for m in mappings]
    acts = session.execute(
        select(Official.id, LegislativeAct.role, LegislativeAct.acted_on)
        .join(Official, Official.source_id == LegislativeAct.actor_ref)
        .where(
            LegislativeAct.record_id == found.id,
            Official.kind == OfficialKind.deputy,
            Official.mandate_end.is_(None),
            LegislativeAct.role != ActRole.non_voting,
        )
        .order_by(Official.id)
    ).all()
    already = {
        (official_id, demand_id)
        for official_id, demand_id in session.execute(
            select(Stance.official_id, Stance.demand_id).where(Stance.source_ref == uid)
        )
    }
    batch = StanceBatch(source_ref=uid, label=found.title, created_by_id=actor.user_id)
    session.add(batch)
    session.flush()
    kind = EvidenceKind.bill if found.kind == RecordKind.document else EvidenceKind.vote
    proposals = []
    for demand, direction in demands:
        for official_id, role, acted_on in acts:
            if (official_id, demand.id) in already:
                continue
            position = _POSITIONS[ActRole(role)]
            if direction == "opposes":
                position = _FLIPPED.get(position, position)
            evidence = Evidence(
                kind=kind,
                text=f"{_ROLE_LABELS[ActRole(role)]} « {found.title} »",
                evidence_date=acted_on or found.record_date,
                source_ref=uid,
            )
            proposals.append(
                Proposal(official_id, demand.id, position, evidence=evidence, batch_id=batch.id)
            )
    add_proposals(session, proposals=proposals, actor=actor)
    record(
        session,
        actor=actor,
        action="map",
        object_type="stance_batch",
        object_id=batch.id,
        after={"uid": uid, "demands": [m.__dict__ for m in mappings], "proposals": len(proposals)},
    )
    return batch, len(proposals)


def undo_batch(session: Session, *, batch_id: int, actor: Actor) -> int:
    """Removes the batch's proposals not yet reviewed (decisions stay); returns how many."""
    batch = session.get(StanceBatch, batch_id)
    if batch is None:
        raise NotFound("Lot de propositions introuvable.")
    if batch.undone_at is not None:
        raise Conflict("Ce lot a déjà été annulé.")
    pending = list(
        session.scalars(
            select(Stance.id).where(
                Stance.batch_id == batch.id,
                Stance.id.not_in(select(StanceReview.stance_id)),
            )
        )
    )
    if pending:
        session.execute(delete(Stance).where(Stance.id.in_(pending)))
    batch.undone_at = utcnow()
    session.flush()
    record(
        session,
        actor=actor,
        action="undo",
        object_type="stance_batch",
        object_id=batch.id,
        before={"pending": len(pending)},
        after={"removed_stance_ids": pending},
    )
    return len(pending)
