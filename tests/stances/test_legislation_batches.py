"""Texts and votes mapped to demands become one batch of proposals; a batch can be undone."""

from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stances_support import ACTOR, DOSSIERS, LAW, SCRUTINS, load_deputies

from app.errors import Conflict, NotFound
from app.legislation.parsing import dossier_files, parse_document, parse_dossier, parse_scrutin
from app.legislation.service import DemandMapping, map_to_demands, save_records, undo_batch
from app.officials.models import Official
from app.stances.models import Stance, StanceReview
from app.stances.service import review_stances
from app.users.models import Role


def _import_all(session: Session) -> Counter[str]:
    parsed = [parse_document(f) if d else parse_dossier(f) for f, d in dossier_files(DOSSIERS)]
    parsed += [parse_scrutin(p) for p in sorted(SCRUTINS.glob("*.xml"))]
    return save_records(session, parsed=parsed, actor=ACTOR)


def _per_official(session: Session, batch_id: int) -> Counter[tuple[int, int, str]]:
    rows = session.execute(
        select(Stance.official_id, Stance.demand_id, Stance.position).where(
            Stance.batch_id == batch_id
        )
    )
    return Counter((o, d, p) for o, d, p in rows)


def test_law_cosignatories_get_one_proposal_per_mapped_demand(session: Session) -> None:
    load_deputies(session)
    assert _import_all(session) == {"new": 26 + 57 + 2}
    assert _import_all(session) == {"same": 26 + 57 + 2}

    batch, count = map_to_demands(
        session,
        uid=LAW,
        mappings=[DemandMapping(3, "supports"), DemandMapping(4, "opposes")],
        actor=ACTOR,
    )
    # The author and the 126 co-signatories (of 128 who did not withdraw) who sit today.
    assert count == 2 * 127
    proposals = _per_official(session, batch.id)
    assert len(proposals) == 2 * 127 and set(proposals.values()) == {1}
    positions = Counter((d, p) for _, d, p in proposals)
    demand_ids = {ref: i for ref, i in session.execute(select(Official.source_id, Official.id))}
    assert {p for (_, p) in positions} == {"acted", "opposed"}
    assert sorted(positions.values()) == [127, 127]
    author = demand_ids["PA817203"]
    assert {o for o, _, _ in proposals} >= {author}
    withdrawn = {demand_ids.get("PA642695"), demand_ids.get("PA719372")} - {None}
    assert not withdrawn & {o for o, _, _ in proposals}

    # Mapping again proposes nothing new for those already proposed from this text.
    _, again = map_to_demands(
        session, uid=LAW, mappings=[DemandMapping(3, "supports")], actor=ACTOR
    )
    assert again == 0


def test_votes_follow_the_direction_and_undo_keeps_decisions(session: Session) -> None:
    load_deputies(session)
    _import_all(session)
    batch, count = map_to_demands(
        session, uid="VTANR5L17V1725", mappings=[DemandMapping(1, "supports")], actor=ACTOR
    )
    assert count == 54  # 56 « pour », 54 of them sit today; non-voting gives nothing
    assert {p for _, _, p in _per_official(session, batch.id)} == {"acted"}

    reviewed = session.scalars(select(Stance.id).where(Stance.batch_id == batch.id)).first()
    assert reviewed is not None
    review_stances(session, stance_ids=[reviewed], approved=True, comment="", actor=ACTOR)
    assert undo_batch(session, batch_id=batch.id, actor=ACTOR) == 53
    left = session.scalars(select(Stance.id).where(Stance.batch_id == batch.id)).all()
    assert left == [reviewed]
    assert session.scalar(select(func.count(StanceReview.id))) == 1
    with pytest.raises(Conflict):
        undo_batch(session, batch_id=batch.id, actor=ACTOR)
    with pytest.raises(NotFound):
        map_to_demands(
            session, uid="VTINCONNU", mappings=[DemandMapping(1, "supports")], actor=ACTOR
        )


def test_api_maps_a_text_and_undoes_the_batch(
    client: TestClient, session: Session, api_headers
) -> None:  # type: ignore[no-untyped-def]
    load_deputies(session)
    _import_all(session)
    staff = api_headers(Role.staff)
    body = {"demands": [{"number": 3, "direction": "supports"}]}
    created = client.post(f"/api/texts/{LAW}/demands", json=body, headers=staff)
    assert created.status_code == 201, created.text
    assert created.json()["proposals"] == 127
    batch_id = created.json()["batch_id"]
    queue = client.get("/api/stances", params={"status": "pending", "demand": 3}, headers=staff)
    assert queue.json()["total"] == 127
    wrong = client.post(
        f"/api/texts/{LAW}/demands",
        json={"demands": [{"number": 3, "direction": "sideways"}]},
        headers=staff,
    )
    assert wrong.status_code == 422
    viewer = client.delete(f"/api/batches/{batch_id}", headers=api_headers(Role.viewer))
    assert viewer.status_code == 403
    undone = client.delete(f"/api/batches/{batch_id}", headers=staff)
    assert undone.json() == {"batch_id": batch_id, "removed": 127}
    assert client.get("/api/stances", headers=staff).json()["total"] == 0
