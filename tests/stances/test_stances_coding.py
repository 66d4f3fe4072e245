"""Coding a reply against the demands proposes stances; approval stays a separate record."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.demands.service import list_demands
from app.errors import Invalid
from app.replies.service import record_inbound_reply, record_manual_reply
from app.security import Actor
from app.stances.models import Position, Stance, StanceReview
from app.stances.service import current_stance, propose_from_reply, stances_for_reply

ACTOR = Actor.system("tests")


def _reply(session: Session, official_id: int):  # type: ignore[no-untyped-def]
    return record_manual_reply(
        session,
        official_id=official_id,
        letter_id=None,
        text="Je m'engage sur les demandes 1 et 3.",
        received_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
        channel="post",
        actor=ACTOR,
    )


def test_coding_creates_one_proposal_per_coded_demand(session: Session, make_official) -> None:
    official = make_official()
    reply = _reply(session, official.id)
    first, _, third, _ = list_demands(session)
    stances = propose_from_reply(
        session,
        reply=reply,
        positions={first.id: Position.committed, third.id: Position.supportive},
        actor=ACTOR,
        note="« je m'engage »",
    )
    assert [(s.demand_id, s.position) for s in stances] == [
        (first.id, "committed"),
        (third.id, "supportive"),
    ]
    stance = stances[0]
    assert (stance.evidence_kind, stance.reply_id, stance.official_id) == (
        "reply",
        reply.id,
        official.id,
    )
    assert stance.evidence_date == reply.received_at.date()
    assert stance.evidence_text == "« je m'engage »"
    assert stances_for_reply(session, reply_id=reply.id) == stances
    assert session.scalars(select(StanceReview)).all() == []
    audits = session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "stance", AuditEvent.action == "propose")
    ).all()
    assert {a.object_id for a in audits} == {str(s.id) for s in stances}


def test_unmatched_reply_cannot_be_coded(session: Session, eml) -> None:  # type: ignore[no-untyped-def]
    reply, _ = record_inbound_reply(session, raw=eml(sender="x@y.fr"), actor=ACTOR)
    demand = list_demands(session)[0]
    with pytest.raises(Invalid):
        propose_from_reply(
            session, reply=reply, positions={demand.id: Position.opposed}, actor=ACTOR
        )


def test_current_stance_is_the_latest_approved_proposal(session: Session, make_official) -> None:
    official = make_official()
    demand = list_demands(session)[1]
    reply = _reply(session, official.id)
    approved, rejected = (
        propose_from_reply(session, reply=reply, positions={demand.id: p}, actor=ACTOR)[0]
        for p in (Position.supportive, Position.opposed)
    )
    assert current_stance(session, official_id=official.id, demand_id=demand.id) is None
    session.add_all(
        [
            StanceReview(stance_id=approved.id, approved=True),
            StanceReview(stance_id=rejected.id, approved=False),
        ]
    )
    session.flush()
    assert current_stance(session, official_id=official.id, demand_id=demand.id) == approved
    assert isinstance(approved, Stance)
