"""The directors' screen, continued: who to push next, the weekly line, the body filter, the
texts to map, the printable board, and the public /engagements page."""

import secrets
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.campaigns.models import Campaign
from app.config import Settings
from app.dashboard.prospects import push_next
from app.dashboard.queries import DashboardFilter
from app.dashboard.service import build_dashboard
from app.dashboard.trend import build_trend
from app.db import utcnow
from app.demands.service import demand_by_number
from app.legislation.models import LegislativeRecord, RecordKind
from app.letters.models import Channel, Letter
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official
from app.replies.models import Reply
from app.security import Actor
from app.stances.models import EvidenceKind, Position, StanceReview
from app.stances.service import Evidence, Proposal, add_proposals, review_stances
from app.users.models import Role
from tests.conftest import MakeOfficial

ACTOR = Actor.system("tests")
DELEGATION = "PO804431"


def _stances(
    session: Session,
    officials: list[Official],
    demands: list[int],
    position: Position,
    *,
    approve: bool = True,
    evidence: Evidence | None = None,
) -> list[int]:
    evidence = evidence or Evidence(kind=EvidenceKind.statement, source_url="https://exemple.fr/a")
    proposals = [
        Proposal(o.id, demand_by_number(session, number=n).id, position, evidence)
        for o in officials
        for n in demands
    ]
    ids = [s.id for s in add_proposals(session, proposals=proposals, actor=ACTOR)]
    if approve:
        review_stances(session, stance_ids=ids, approved=True, comment="", actor=ACTOR)
    return ids


def _delegation(session: Session, members: list[Official]) -> Body:
    body = Body(
        source_id=DELEGATION,
        chamber="an",
        kind="DELEG",
        name="Délégation aux droits des enfants",
        short_name="Droits des enfants",
    )
    session.add(body)
    session.flush()
    session.add_all(Membership(body_id=body.id, official_id=o.id, role="membre") for o in members)
    session.flush()
    return body


def _letter(session: Session, official: Official, *, replied: bool) -> None:
    campaign = Campaign(name="Relance", slug=secrets.token_hex(6))
    session.add(campaign)
    session.flush()
    when = utcnow() - timedelta(days=3)
    letter = Letter(
        campaign_id=campaign.id,
        official_id=official.id,
        channel=Channel.email,
        status="sent",
        subject="Nos quatre demandes",
        body="…",
        message_id=new_message_id("asso.example"),
        reply_token=new_reply_token(),
        created_at=when,
        status_changed_at=when,
    )
    session.add(letter)
    session.flush()
    if replied:
        session.add(
            Reply(letter_id=letter.id, official_id=official.id, channel="email", received_at=when)
        )
        session.flush()


def _cast(session: Session, make_official: MakeOfficial) -> dict[str, Official]:
    """a: in the delegation; b: silent and undecided on 1; c: supports all; d: nothing known;
    e: replied, undecided on 2."""
    cast = {name: make_official(last_name=f"Élu {name}") for name in "abcde"}
    _delegation(session, [cast["a"]])
    _letter(session, cast["b"], replied=False)
    _letter(session, cast["e"], replied=True)
    _stances(session, [cast["b"]], [1], Position.undecided)
    _stances(session, [cast["c"]], [1, 2, 3, 4], Position.supportive)
    _stances(session, [cast["e"]], [2, 3], Position.undecided)
    return cast


def test_push_next_ranks_and_explains(session: Session, make_official: MakeOfficial) -> None:
    cast = _cast(session, make_official)
    targets = push_next(session, filters=DashboardFilter(), key_bodies=[DELEGATION, "COM-LOIS"])
    ranked = [(t.prospect.official_id, t.prospect.score) for t in targets]
    assert ranked == [(cast["b"].id, 3), (cast["a"].id, 2), (cast["e"].id, 2)]
    b, a, e = targets
    assert b.reasons == ["contacté·e, sans réponse", "indécis·e sur 1 demande"]
    assert b.demands == [(1, "undecided"), (2, "unknown"), (3, "unknown"), (4, "unknown")]
    assert a.reasons == ["siège : membre · Droits des enfants"]
    assert e.reasons == ["indécis·e sur 2 demandes"] and len(e.demands) == 4
    no_keys = push_next(session, filters=DashboardFilter(), key_bodies=[])
    assert [t.prospect.official_id for t in no_keys] == [cast["b"].id, cast["e"].id]


def test_body_filter_counts_only_its_sitting_members(
    session: Session, make_official: MakeOfficial
) -> None:
    cast = _cast(session, make_official)
    board = build_dashboard(session, filters=DashboardFilter(body=DELEGATION))
    [deputies, senators] = board.demands[0].chambers
    assert deputies.by_position == {"unknown": 1} and not senators.by_position
    targets = push_next(session, filters=DashboardFilter(body=DELEGATION), key_bodies=[])
    assert targets == []  # the only member has no reason to be pushed but her seat
    session.execute(select(Membership)).scalar_one().end_date = utcnow().date()
    session.flush()
    ended = build_dashboard(session, filters=DashboardFilter(body=DELEGATION))
    assert ended.demands[0].chambers[0].by_position == {}
    assert cast["a"].mandate_end is None


def test_weekly_line_counts_approvals_in_their_monday_week(
    session: Session, make_official: MakeOfficial
) -> None:
    officials = [make_official() for _ in range(3)]
    ids = _stances(session, officials, [1], Position.committed)
    ids += _stances(session, officials[:1], [2], Position.acted)
    reviews = session.scalars(select(StanceReview).where(StanceReview.stance_id.in_(ids))).all()
    sunday_night = datetime(2026, 11, 15, 23, 30, tzinfo=UTC)  # a Sunday: week of the 9th
    monday = datetime(2026, 11, 16, 0, 30, tzinfo=UTC)
    for review, when in zip(reviews, (sunday_night, monday, monday, monday), strict=True):
        review.reviewed_at = when
    session.flush()
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    trend = build_trend(session, filters=DashboardFilter(), now=now, weeks=4)
    assert (
        trend.weeks[0].isoformat() == "2026-11-02" and trend.weeks[-1].isoformat() == "2026-11-30"
    )
    nov_9, nov_16 = (
        trend.weeks.index(sunday_night.date().replace(day=9)),
        trend.weeks.index(monday.date()),
    )
    assert trend.series["committed"][nov_9] == 1 and trend.series["committed"][nov_16] == 2
    assert trend.series["acted"][nov_16] == 1 and sum(trend.series["opposed"]) == 0
    assert [week.isoformat() for week, _ in trend.rows()] == ["2026-11-09", "2026-11-16"]


def test_screen_print_and_filters(
    client: TestClient, session: Session, make_official: MakeOfficial, sign_in_as, api_headers
) -> None:  # type: ignore[no-untyped-def]
    cast = _cast(session, make_official)
    session.add(
        LegislativeRecord(
            uid="PIONANR5L17B9999",
            kind=RecordKind.document,
            title="Proposition de loi sur le droit à l'image des enfants",
            watched_at=utcnow(),
        )
    )
    session.flush()
    sign_in_as(Role.director)
    page = client.get("/direction")
    assert page.status_code == 200
    assert 'style="' not in page.text and "<script>" not in page.text
    push = page.text.split('id="push-next"')[1].split("</section>")[0]
    assert push.index(cast["b"].last_name) < push.index(cast["a"].last_name)
    assert "contacté·e, sans réponse" in push
    texts = page.text.split('id="texts-to-map"')[1].split("</section>")[0]
    assert "PIONANR5L17B9999" in texts and "droit à l&#39;image" in texts
    trend = page.text.split('id="trend"')[1].split("</section>")[0]
    assert "<svg" in trend and trend.count("<polyline") == 2  # undecided, supportive

    filtered = client.get("/direction", params={"body": DELEGATION})
    assert "Délégation aux droits des enfants" in filtered.text
    board = filtered.text.split('id="board-1-deputy"')[1].split("</article>")[0]
    assert '<td data-position="unknown">1 ' in board
    unknown = client.get("/direction", params={"body": "PO000"})
    assert unknown.status_code == 422 and "Organe « PO000 » inconnu" in unknown.text

    printed = client.get("/direction/impression", params={"body": DELEGATION})
    assert printed.status_code == 200 and 'id="board-summary"' in printed.text
    assert printed.text.count("<svg") == 8 + 1 and 'style="' not in printed.text
    headers = api_headers(Role.viewer)
    api = client.get("/api/dashboard", params={"body": DELEGATION}, headers=headers)
    assert api.json()["demands"][0]["chambers"][0]["by_position"]["unknown"]["count"] == 1


def test_public_scorecard_is_off_by_default(
    client: TestClient, session: Session, settings: Settings, make_official: MakeOfficial
) -> None:
    assert client.get("/engagements").status_code == 404
    supportive, replying, pending = (
        make_official(last_name=n) for n in ("Vérifiée", "Réponse", "Attente")
    )
    _stances(
        session,
        [supportive],
        [1],
        Position.committed,
        evidence=Evidence(kind=EvidenceKind.statement, source_url="https://exemple.fr/tribune"),
    )
    _stances(
        session,
        [replying],
        [1],
        Position.supportive,
        evidence=Evidence(kind=EvidenceKind.reply, text="Note interne confidentielle"),
    )
    _stances(session, [pending], [1], Position.acted, approve=False)
    settings.public_scorecard = True
    page = client.get("/engagements")
    assert page.status_code == 200
    first = page.text.split('id="demande-1"')[1].split("</section>")[0]
    assert 'href="https://exemple.fr/tribune"' in first
    assert "Réponse à un courrier" in first and "confidentielle" not in page.text
    assert "Attente" not in page.text
    assert first.index("Vérifiée") < first.index("Réponse")  # committed before supportive
    second = page.text.split('id="demande-2"')[1].split("</section>")[0]
    assert "Aucune position vérifiée" in second
