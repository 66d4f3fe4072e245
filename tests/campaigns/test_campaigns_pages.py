"""The campaign pages: readers look, staff create, generate, send and print."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.letters.models import Letter
from app.mailing.models import OutboxMessage
from app.templating.models import Template
from app.users.models import Role

pytestmark = pytest.mark.usefixtures("directory")


def test_reader_sees_pages_but_cannot_write(
    client: TestClient, sign_in_as, campaign: Campaign, templates: dict[str, Template]
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.viewer)
    assert client.get("/modeles").status_code == 200
    assert client.get(f"/modeles/{templates['first_letter'].id}").status_code == 200
    assert client.get("/campagnes").status_code == 200
    assert client.get(f"/campagnes/{campaign.id}").status_code == 200
    assert client.get("/campagnes/nouvelle").status_code == 403
    response = client.post(
        f"/campagnes/{campaign.id}/generer", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 403


def test_forms_without_the_csrf_token_are_refused(
    client: TestClient, sign_in_as, campaign: Campaign, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.staff)
    response = client.post(f"/campagnes/{campaign.id}/generer", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert session.scalar(select(func.count(Letter.id))) == 0


def test_staff_generates_confirms_and_sends_a_campaign(
    client: TestClient, sign_in_as, campaign: Campaign, session: Session
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.staff)
    response = client.post(
        f"/campagnes/{campaign.id}/generer", data={"csrf_token": token, "only_new": "true"}
    )
    assert response.status_code == 200
    assert "9 courriers préparés" in response.text
    assert "3 élus sans e-mail : courrier postal" in response.text
    confirm = client.get(f"/campagnes/{campaign.id}/envoyer")
    assert "Envoyer 6 courriels ?" in confirm.text
    client.post(f"/campagnes/{campaign.id}/envoyer", data={"csrf_token": token, "expected": "6"})
    assert session.scalar(select(func.count(OutboxMessage.id))) == 6
    detail = client.get(f"/campagnes/{campaign.id}").text
    assert "en file d&#39;envoi : 6" in detail or "en file d'envoi : 6" in detail
    printed = client.get(f"/campagnes/{campaign.id}/impression").text
    assert printed.count('class="letter-sheet"') == 3
    assert "126 rue de l&#39;Université" in printed
    client.post(f"/campagnes/{campaign.id}/impression/postes", data={"csrf_token": token})
    assert client.get(f"/campagnes/{campaign.id}/impression").text.count("letter-sheet") == 0


def test_paused_campaign_refuses_to_send(
    client: TestClient, sign_in_as, campaign: Campaign, session: Session
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.staff)
    client.post(f"/campagnes/{campaign.id}/generer", data={"csrf_token": token})
    client.post(f"/campagnes/{campaign.id}/pause", data={"csrf_token": token, "paused": "true"})
    response = client.post(
        f"/campagnes/{campaign.id}/envoyer", data={"csrf_token": token, "expected": "6"}
    )
    assert response.status_code == 409
    assert "en pause" in response.text
    assert session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_campaign_create_form_and_edit(
    client: TestClient, sign_in_as, templates: dict[str, Template], session: Session
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.staff)
    assert client.get("/campagnes/nouvelle").status_code == 200
    response = client.post(
        "/campagnes",
        data={
            "csrf_token": token,
            "name": "Lecture au Sénat",
            "slug": "lecture-senat",
            "demands": ["2", "4"],
            "first_template_id": str(templates["first_letter"].id),
            "kind": "senator",
            "starts_on": "2027-02-10",
        },
    )
    assert response.status_code == 200
    created = session.scalar(select(Campaign).where(Campaign.slug == "lecture-senat"))
    assert created is not None and created.target_filter["kind"] == "senator"
    assert "Demandes : 2, 4" in response.text
    assert client.get(f"/campagnes/{created.id}/modifier").status_code == 200
    bad = client.post("/campagnes", data={"csrf_token": token, "name": "x", "slug": "Pas Bon"})
    assert bad.status_code == 422
