"""A letter's page: a logged contact becomes a letter whose status staff change there."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.officials.models import Official
from app.users.models import Role

pytestmark = pytest.mark.usefixtures("directory")


def test_letter_page_status_and_contact_log(
    client: TestClient, sign_in_as, campaign: Campaign, session: Session
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.staff)
    deputy = session.scalar(select(Official).where(Official.kind == "deputy"))
    assert deputy is not None
    response = client.post(
        f"/campagnes/{campaign.id}/contacts",
        data={
            "csrf_token": token,
            "official_id": deputy.id,
            "channel": "meeting",
            "notes": "RDV en circonscription.",
        },
    )
    assert response.status_code == 200 and "RDV en circonscription." in response.text
    letter_id = int(re.search(r"/courriers/(\d+)", str(response.url))[1])  # type: ignore[index]
    client.post(
        f"/courriers/{letter_id}/statut",
        data={"csrf_token": token, "status": "replied", "detail": "Réponse orale"},
    )
    page = client.get(f"/courriers/{letter_id}").text
    assert "envoyé → répondu" in page and "Réponse orale" in page
