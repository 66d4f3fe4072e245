"""The directors' screen: counts by stance, chamber and group, majorities, outreach, exports."""

import csv
import io
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.dashboard.queries import DashboardFilter
from app.dashboard.service import build_dashboard
from app.db import utcnow
from app.demands.service import demand_by_number
from app.letters.models import Channel, Letter
from app.mailing.message import new_message_id, new_reply_token
from app.officials.importers.project import PROJECT_FIELDS, parse_project
from app.officials.models import Official
from app.officials.sync import apply_officials
from app.replies.models import Reply
from app.security import Actor
from app.stances.models import EvidenceKind, Position
from app.stances.service import Evidence, Proposal, add_proposals, review_stances
from app.users.models import Role
from app.users.service import create_user

ACTOR = Actor.system("tests")
ROOT = Path(__file__).resolve().parents[2]


def _directory(session: Session) -> dict[str, list[Official]]:
    for kind, name in (("deputy", "deputies.csv"), ("senator", "senators.csv")):
        apply_officials(
            session,
            kind=kind,
            records=parse_project(ROOT / "data" / name),
            actor=ACTOR,
            source_label=name,
            fields=PROJECT_FIELDS,
        )
    officials = session.scalars(select(Official).order_by(Official.id)).all()
    by_group: dict[str, list[Official]] = {}
    for o in officials:
        by_group.setdefault(f"{o.kind}:{o.group_code}", []).append(o)
    return by_group


def _approve(session: Session, officials: list[Official], demand: int, position: Position) -> None:
    demand_id = demand_by_number(session, number=demand).id
    evidence = Evidence(kind=EvidenceKind.statement, source_url="https://exemple.fr/")
    stances = add_proposals(
        session,
        proposals=[Proposal(o.id, demand_id, position, evidence) for o in officials],
        actor=ACTOR,
    )
    review_stances(
        session, stance_ids=[s.id for s in stances], approved=True, comment="", actor=ACTOR
    )


def test_counts_shares_and_majority(session: Session) -> None:
    groups = _directory(session)
    soc, rn = groups["deputy:SOC"], groups["deputy:RN"]
    _approve(session, soc[:60], 3, Position.committed)
    _approve(session, soc[:5], 3, Position.opposed)  # same date: the later approval wins
    _approve(session, rn[:10], 3, Position.undecided)
    _approve(session, groups["senator:UC"][:20], 3, Position.acted)

    board = build_dashboard(session, filters=DashboardFilter())
    third = next(d for d in board.demands if d.number == 3)
    deputies, senators = third.chambers
    assert (deputies.seats, deputies.majority, senators.seats, senators.majority) == (
        577,
        289,
        348,
        175,
    )
    assert deputies.by_position == {"committed": 55, "opposed": 5, "undecided": 10, "unknown": 507}
    assert deputies.by_group["SOC"] == {"committed": 55, "opposed": 5, "unknown": 9}
    assert (deputies.supporters, deputies.needed) == (55, 289 - 55)
    assert (senators.supporters, senators.needed) == (20, 155)
    assert round(deputies.share(55), 4) == round(55 / 577, 4)
    assert third.changes == {"committed": 60, "opposed": 5, "undecided": 10, "acted": 20}

    only_soc = build_dashboard(session, filters=DashboardFilter(chamber="deputy", group="SOC"))
    [soc_board] = next(d for d in only_soc.demands if d.number == 3).chambers
    assert sum(soc_board.by_position.values()) == len(soc) and soc_board.seats == 577
    first = next(d for d in board.demands if d.number == 1)
    assert first.chambers[0].by_position == {"unknown": 577}


def _letter(session: Session, campaign: Campaign, official: Official, when: datetime) -> Letter:
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
    return letter


def test_outreach_coverage_and_median_days(session: Session) -> None:
    groups = _directory(session)
    campaign = Campaign(name="Safer Internet Day", slug=secrets.token_hex(6))
    session.add(campaign)
    session.flush()
    start = utcnow() - timedelta(days=15)  # replies within the default 30-day window
    deputies = groups["deputy:EPR"][:4]
    for days, official in zip((2, 4, 10, None), deputies, strict=True):
        letter = _letter(session, campaign, official, start)
        if days is not None:
            session.add(
                Reply(
                    letter_id=letter.id,
                    official_id=official.id,
                    channel="email",
                    received_at=start + timedelta(days=days),
                )
            )
    session.flush()
    [deputy_row, senator_row] = build_dashboard(session, filters=DashboardFilter()).outreach
    assert (deputy_row.contacted, deputy_row.replied, deputy_row.silent) == (4, 3, 1)
    assert deputy_row.reply_rate == 0.75 and deputy_row.median_days == 4.0
    assert (senator_row.contacted, senator_row.median_days) == (0, None)
    later = DashboardFilter(since=utcnow() - timedelta(days=5))
    [recent, _] = build_dashboard(session, filters=later).outreach
    assert (recent.contacted, recent.replied, recent.median_days) == (0, 0, None)


def test_api_page_and_exports(
    client: TestClient, session: Session, api_headers, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    groups = _directory(session)
    _approve(session, groups["deputy:ECOS"][:3], 2, Position.supportive)
    data = client.get("/api/dashboard", headers=api_headers(Role.viewer)).json()
    second = next(d for d in data["demands"] if d["number"] == 2)
    deputies = second["chambers"][0]
    assert deputies["by_position"]["supportive"] == {"count": 3, "share": round(3 / 577, 4)}
    assert deputies["needed"] == 286 and deputies["majority"] == 289
    assert {"group": "ECOS", "counts": {"supportive": 3, "unknown": 35}} in deputies["by_group"]
    assert client.get("/api/dashboard?to=hier", headers=api_headers(Role.viewer)).status_code == 422

    sign_in_as(Role.director)
    page = client.get("/direction")
    assert page.status_code == 200
    board = page.text.split('id="board-2-deputy"')[1].split("</article>")[0]
    assert board.count("<circle") == 577
    assert board.count('data-position="supportive"') == 3 + 1  # dots, and the table's total
    assert "encore 286" in board

    current = client.get("/direction/positions.csv")
    rows = list(csv.reader(io.StringIO(current.text)))
    assert rows[0][0] == "Élu" and len(rows) == 1 + 3
    excel = client.get("/direction/positions.csv", params={"historique": "true", "excel": "true"})
    assert excel.content.startswith("\ufeff".encode())
    history = list(csv.reader(io.StringIO(excel.text.lstrip("\ufeff")), delimiter=";"))
    assert len(history) == 1 + 3 and history[1][12] == "validée"


def test_directors_land_on_their_screen(client: TestClient, session: Session) -> None:
    director = create_user(
        session,
        email="directrice@asso.fr",
        password="mot-de-passe-directrice",
        role=Role.director,
        full_name="Directrice",
        actor=ACTOR,
    )
    login = client.get("/connexion").text
    token = login.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post(
        "/connexion",
        data={"email": director.email, "password": "mot-de-passe-directrice", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/direction"
