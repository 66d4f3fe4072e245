"""A body's page reads its members' current stances in one query, whatever their number, and
the directors' screen filtered by the body counts exactly its sitting members."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.dashboard.queries import DashboardFilter
from app.dashboard.service import build_dashboard
from app.demands.service import demand_by_number
from app.officials.sync import load_project_bodies, load_project_data
from app.stances.models import EvidenceKind, Position
from app.stances.service import Evidence, Proposal, add_proposals, review_stances
from app.users.models import Role
from tests.factories import ACTOR, DATA

DELEGATION = "PO804431"


def _members(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Membership.official_id)
            .distinct()
            .join(Body, Body.id == Membership.body_id)
            .where(Body.source_id == DELEGATION, Membership.end_date.is_(None))
            .order_by(Membership.official_id)
        )
    )


def test_body_page_queries_do_not_grow_with_members_or_demands(
    session: Session, engine: Engine, client: TestClient, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    load_project_data(session, DATA, ACTOR)
    load_project_bodies(session, DATA, ACTOR)
    members = _members(session)
    evidence = Evidence(kind=EvidenceKind.statement, source_url="https://exemple.fr/")
    proposals = [
        Proposal(o, demand_by_number(session, number=n).id, Position.committed, evidence)
        for o in members[:5]
        for n in (1, 4)
    ]
    stances = add_proposals(session, proposals=proposals, actor=ACTOR)
    review_stances(
        session, stance_ids=[s.id for s in stances], approved=True, comment="", actor=ACTOR
    )
    sign_in_as(Role.viewer)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if "current_stance" in statement or "FROM stance" in statement:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get(f"/organes/{DELEGATION}")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.status_code == 200
    assert len(statements) == 1, statements
    assert page.text.count("Engagé") >= 10 and page.text.count("<tr>") == 1 + len(members)

    board = build_dashboard(session, filters=DashboardFilter(body=DELEGATION))
    deputies = board.demands[0].chambers[0]
    assert sum(deputies.by_position.values()) == len(members)
    assert deputies.by_position["committed"] == 5 and deputies.seats == 577
