"""The HATVP declaration: outreach of a period, per campaign, category of official and action."""

import csv
import io
import secrets
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign, campaign_demand
from app.demands.service import demand_by_number
from app.letters.models import Letter
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official
from app.users.models import Role


def _official(session: Session, kind: str) -> Official:
    official = Official(
        kind=kind,
        source_id=secrets.token_hex(4),
        civility="M.",
        first_name="Jean",
        last_name="Durand",
        search_name="jean durand",
    )
    session.add(official)
    session.flush()
    return official


def _letter(session: Session, campaign: Campaign, official: Official, **values: object) -> None:
    session.add(
        Letter(
            campaign_id=campaign.id,
            official_id=official.id,
            subject="Nos demandes",
            body="…",
            message_id=new_message_id("asso.example"),
            reply_token=new_reply_token(),
            **values,
        )
    )


def test_declaration_groups_as_the_register_asks(
    client: TestClient, session: Session, api_headers, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    campaign = Campaign(
        name="Safer Internet Day 2025", slug=secrets.token_hex(4), description="Réseaux sociaux"
    )
    session.add(campaign)
    session.flush()
    session.execute(
        campaign_demand.insert().values(
            campaign_id=campaign.id, demand_id=demand_by_number(session, number=3).id
        )
    )
    deputy, senator, minister = (_official(session, k) for k in ("deputy", "senator", "minister"))
    day = datetime(2025, 2, 11, 10, tzinfo=UTC)
    for official in (deputy, senator, deputy):
        _letter(session, campaign, official, channel="email", status="sent", created_at=day)
    _letter(session, campaign, minister, channel="meeting", status="sent", created_at=day)
    _letter(session, campaign, deputy, channel="email", status="draft", created_at=day)
    _letter(
        session,
        campaign,
        deputy,
        channel="post",
        status="sent",
        created_at=datetime(2026, 1, 5, tzinfo=UTC),
    )
    session.flush()

    response = client.get(
        "/api/hatvp",
        params={"from": "2025-01-01", "to": "2025-12-31"},
        headers=api_headers(Role.viewer),
    )
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 2
    parliament = next(r for r in rows if r["Responsables publics"].startswith("Député"))
    assert parliament["Nombre d'actions"] == "3" and parliament["Élus distincts"] == "2"
    assert parliament["Décisions concernées"] == "Lois, y compris constitutionnelles"
    assert parliament["Objet"] == "Safer Internet Day 2025 : Réseaux sociaux"
    assert parliament["Domaines d'intervention (demandes)"] == "3. Plateformes"
    assert parliament["Première action"] == "2025-02-11"
    government = next(r for r in rows if r is not parliament)
    assert government["Actions menées"].startswith("Organiser des discussions informelles")
    assert government["Décisions concernées"] == "Actes réglementaires"

    bad = client.get(
        "/api/hatvp",
        params={"from": "2025-12-31", "to": "2025-01-01"},
        headers=api_headers(Role.viewer),
    )
    assert bad.status_code == 422

    sign_in_as(Role.director)
    page = client.get("/direction/hatvp", params={"from": "2025-01-01", "to": "2025-12-31"})
    assert "Objet : Safer Internet Day 2025" in page.text
    assert "Membre du Gouvernement ou membre de cabinet ministériel" in page.text
