"""The official's page tells their whole story: stances per demand, letters, replies."""

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.campaigns.outreach import generate_letters
from app.config import Settings
from app.demands.models import Demand
from app.officials.models import Official
from app.replies.service import record_manual_reply
from app.security import Actor
from app.stances.models import Position, StanceReview
from app.stances.service import propose_from_reply
from app.users.models import Role

ACTOR = Actor.system("tests")


def test_page_shows_letters_replies_and_stances(
    session: Session,
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
    make_official: Callable[..., Official],
    campaign: Campaign,
    settings: Settings,
) -> None:
    official = make_official(first_name="Élise", last_name="Martin")
    generate_letters(
        session,
        campaign_id=campaign.id,
        actor=ACTOR,
        settings=settings,
        official_ids=[official.id],
    )
    reply = record_manual_reply(
        session,
        official_id=official.id,
        letter_id=None,
        text="Je soutiens la demande.",
        received_at=datetime(2026, 11, 20, tzinfo=UTC),
        channel="post",
        actor=ACTOR,
        subject="Réponse de Mme Martin",
    )
    demands = list(session.scalars(select(Demand).order_by(Demand.number)))
    approved, _pending = propose_from_reply(
        session,
        reply=reply,
        positions={demands[0].id: Position.committed, demands[1].id: Position.supportive},
        actor=ACTOR,
    )
    session.add(StanceReview(stance_id=approved.id, approved=True))
    session.flush()

    sign_in_as(Role.viewer)
    html = client.get(f"/annuaire/{official.id}").text

    assert "Safer Internet Day" in html
    assert "brouillon" in html
    assert "Réponse de Mme Martin" in html
    positions = html[html.index('id="positions"') : html.index('id="timeline"')]
    assert "Engagé·e (par écrit)" in positions
    assert "<td>1</td>" in positions  # the supportive proposal awaits a director
