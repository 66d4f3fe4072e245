"""Importing bodies is idempotent; a membership that disappears is ended, never deleted."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.bodies.project import read_bodies, write_bodies
from app.bodies.records import BodyRecord, MembershipRecord
from app.bodies.service import apply_bodies
from app.officials.sync import export_bodies, load_project_bodies, official_ids
from tests.factories import ACTOR, DATA

CHAMBERS = ("an", "senat", "gouvernement")


def _apply(session: Session, bodies: list[BodyRecord], seats: list[MembershipRecord]):  # type: ignore[no-untyped-def]
    return apply_bodies(
        session,
        chambers=CHAMBERS,
        bodies=bodies,
        memberships=seats,
        officials=official_ids(session),
        actor=ACTOR,
        source_label="test",
    )


def test_reloading_the_project_files_changes_nothing(shipped: Session) -> None:
    (again,) = load_project_bodies(shipped, DATA, ACTOR)
    assert again.changes == 0 and again.unmatched == []
    assert again.unchanged == shipped.scalar(select(func.count(Membership.id)))


def test_export_gives_back_the_same_files(shipped: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    export_bodies(shipped, out=tmp_path)
    for name in ("bodies.csv", "memberships.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes()


def test_a_seat_that_disappears_is_ended_and_a_new_role_starts(shipped: Session) -> None:
    found = read_bodies(DATA)
    assert found is not None
    bodies, seats = found
    president = next(s for s in seats if s.body == "PO804431" and s.role == "president")
    member = next(s for s in seats if s.body == "PO804431" and s.role == "membre")
    kept = [s for s in seats if s not in (president, member)]
    promoted = MembershipRecord(member.body, member.official_kind, member.official, "president")
    report = _apply(shipped, bodies, [*kept, promoted])
    assert (report.created, report.ended, report.updated) == (1, 2, 0)
    body_id = shipped.scalar(select(Body.id).where(Body.source_id == "PO804431"))
    rows = shipped.execute(
        select(Membership.role, Membership.end_date).where(Membership.body_id == body_id)
    ).all()
    assert len(rows) == 42 + 1  # 42 mandates, and the promoted member's new one
    ended = sorted(role for role, end in rows if end is not None)
    assert ended == ["membre", "president"]
    assert all(end == date.today() for _, end in rows if end is not None)
    assert sum(1 for role, end in rows if end is None and role == "president") == 1
    # The same source again: nothing changes.
    assert _apply(shipped, bodies, [*kept, promoted]).changes == 0


def test_unknown_officials_are_reported_not_imported(session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bodies = [BodyRecord("COM-X", "senat", "COMMISSION", "Commission X")]
    seats = [MembershipRecord("COM-X", "senator", "00000Z", "membre", None, "[1]")]
    write_bodies(tmp_path, bodies, seats)
    report = _apply(session, *read_bodies(tmp_path))  # type: ignore[misc]
    assert (report.bodies_created, report.created, len(report.unmatched)) == (1, 0, 1)
