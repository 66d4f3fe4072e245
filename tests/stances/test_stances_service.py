"""Proposing from every kind of evidence, reviewing one or many, and the current stance."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from stances_support import ACTOR

from app.audit.models import AuditEvent
from app.demands.service import demand_by_number
from app.errors import Conflict, Invalid
from app.stances.models import EvidenceKind, Position, StanceStatus
from app.stances.queries import StanceFilter, list_stances, official_timelines
from app.stances.service import (
    Evidence,
    Proposal,
    current_stance,
    propose_from_reply,
    propose_stance,
    review_stances,
)


def _propose(session: Session, official_id: int, evidence: Evidence, position=Position.supportive):  # type: ignore[no-untyped-def]
    demand = demand_by_number(session, number=3)
    return propose_stance(
        session,
        proposal=Proposal(
            official_id=official_id, demand_id=demand.id, position=position, evidence=evidence
        ),
        actor=ACTOR,
    )


@pytest.mark.parametrize(
    ("evidence", "field"),
    [
        (Evidence(kind=EvidenceKind.statement, text="Interview"), "source_url"),
        (Evidence(kind=EvidenceKind.statement, source_url="javascript:alert(1)"), "source_url"),
        (Evidence(kind=EvidenceKind.meeting, attendees="La députée"), "evidence_date"),
        (Evidence(kind=EvidenceKind.meeting, evidence_date=date(2026, 11, 2)), "attendees"),
        (Evidence(kind=EvidenceKind.amendment, text="Amendement"), "source_url"),
        (Evidence(kind=EvidenceKind.vote), "source_url"),
        (Evidence(kind=EvidenceKind.reply), "reply_id"),
    ],
)
def test_evidence_missing_what_its_kind_needs_is_refused(
    session: Session, make_official, evidence: Evidence, field: str
) -> None:
    official = make_official()
    with pytest.raises(Invalid) as error:
        _propose(session, official.id, evidence)
    assert error.value.field == field
    assert list_stances(session, filters=StanceFilter(official_id=official.id))[1] == 0


def test_every_kind_of_evidence_can_be_proposed(
    session: Session, make_official, make_reply
) -> None:
    official = make_official()
    reply = make_reply(official)
    kinds = [
        Evidence(kind=EvidenceKind.statement, source_url="https://exemple.fr/tribune"),
        Evidence(
            kind=EvidenceKind.meeting, evidence_date=date(2026, 11, 2), attendees="Mme D., M. X"
        ),
        Evidence(
            kind=EvidenceKind.question, source_url="https://questions.assemblee-nationale.fr/q17/1"
        ),
        Evidence(kind=EvidenceKind.amendment, source_ref="AMANR5L17PO1"),
        Evidence(kind=EvidenceKind.bill, source_ref="PIONANR5L17B2107"),
        Evidence(kind=EvidenceKind.vote, source_ref="VTANR5L17V1725"),
        Evidence(kind=EvidenceKind.reply, reply_id=reply.id, text="Je m'engage"),
    ]
    for evidence in kinds:
        _propose(session, official.id, evidence)
    rows, total = list_stances(
        session, filters=StanceFilter(official_id=official.id, status=StanceStatus.pending)
    )
    assert total == len(kinds)
    assert {r.stance.evidence_kind for r in rows} == {e.kind for e in kinds}


def test_a_reply_of_another_official_is_refused(
    session: Session, make_official, make_reply
) -> None:
    reply = make_reply(make_official())
    with pytest.raises(Invalid, match="pas celle de cet élu"):
        _propose(session, make_official().id, Evidence(kind=EvidenceKind.reply, reply_id=reply.id))


def test_current_stance_is_the_latest_approved_and_the_timeline_keeps_all(
    session: Session, make_official
) -> None:
    official = make_official()
    demand = demand_by_number(session, number=3)
    url = "https://exemple.fr/"
    older = _propose(
        session,
        official.id,
        Evidence(kind=EvidenceKind.statement, source_url=url, evidence_date=date(2026, 1, 1)),
        Position.opposed,
    )
    newer = _propose(
        session,
        official.id,
        Evidence(kind=EvidenceKind.statement, source_url=url, evidence_date=date(2026, 6, 1)),
        Position.committed,
    )
    rejected = _propose(
        session,
        official.id,
        Evidence(kind=EvidenceKind.statement, source_url=url, evidence_date=date(2026, 9, 1)),
        Position.undecided,
    )
    assert current_stance(session, official_id=official.id, demand_id=demand.id) is None
    review_stances(session, stance_ids=[older.id, newer.id], approved=True, comment="", actor=ACTOR)
    review_stances(
        session, stance_ids=[rejected.id], approved=False, comment="Hors sujet", actor=ACTOR
    )
    current = current_stance(session, official_id=official.id, demand_id=demand.id)
    assert current is not None and current.id == newer.id
    timeline = next(
        t for t in official_timelines(session, official_id=official.id) if t.demand.number == 3
    )
    assert [r.stance.id for r in timeline.history] == [rejected.id, newer.id, older.id]
    assert timeline.current is not None and timeline.current.stance.id == newer.id
    assert [r.status for r in timeline.history] == ["rejected", "approved", "approved"]


def test_review_rules_and_audit(session: Session, make_official, make_reply) -> None:
    official = make_official()
    reply = make_reply(official)
    first, third = demand_by_number(session, number=1), demand_by_number(session, number=3)
    stances = propose_from_reply(
        session,
        reply=reply,
        positions={first.id: Position.committed, third.id: Position.supportive},
        actor=ACTOR,
    )
    ids = [s.id for s in stances]
    with pytest.raises(Invalid, match="raison"):
        review_stances(session, stance_ids=ids, approved=False, comment=" ", actor=ACTOR)
    review_stances(session, stance_ids=ids, approved=True, comment="Conforme", actor=ACTOR)
    with pytest.raises(Conflict):
        review_stances(session, stance_ids=ids[:1], approved=False, comment="Non", actor=ACTOR)
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "stance", AuditEvent.object_id.in_([str(i) for i in ids])
        )
    ).all()
    assert sorted(e.action for e in events) == ["approve", "approve", "propose", "propose"]
    approved = [e for e in events if e.action == "approve"]
    assert all(e.after == {"status": "approved", "comment": "Conforme"} for e in approved)
