"""The campaigns' JSON API: create, generate, send, follow up; who may do what."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.templating.models import Template
from app.users.models import Role

pytestmark = pytest.mark.usefixtures("directory")


def test_campaign_workflow_through_the_api(
    client: TestClient, api_headers, templates: dict[str, Template], session: Session
) -> None:  # type: ignore[no-untyped-def]
    staff = api_headers(Role.staff)
    created = client.post(
        "/api/campaigns",
        json={
            "name": "Sénat",
            "slug": "senat",
            "demand_numbers": [1, 3],
            "first_template_id": templates["first_letter"].id,
            "follow_up_template_id": templates["follow_up"].id,
            "target": {"kind": "senator"},
        },
        headers=staff,
    )
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    assert created.json()["demand_numbers"] == [1, 3]
    generated = client.post(
        f"/api/campaigns/{campaign_id}/generate", json={"only_new": True}, headers=staff
    ).json()
    assert (generated["created"], generated["by_email"], generated["by_post"]) == (3, 1, 2)
    assert len(generated["without_email"]) == 2
    sent = client.post(
        f"/api/campaigns/{campaign_id}/send", json={"expected": 1}, headers=staff
    ).json()
    assert sent == {"queued": 1}
    stats = client.get(f"/api/campaigns/{campaign_id}/stats", headers=staff).json()
    assert stats["by_status"] == {"queued": 1, "draft": 2}
    page = client.get(f"/api/campaigns/{campaign_id}/letters", headers=staff).json()
    assert page["total"] == 3
    letter_id = generated["letter_ids"][0]
    changed = client.post(
        f"/api/letters/{letter_id}/status", json={"status": "bounced"}, headers=staff
    ).json()
    assert changed["status"] == "bounced"
    assert [e["to_status"] for e in changed["events"]][-1] == "bounced"
    follow_up = client.post(f"/api/letters/{letter_id}/follow-up", headers=staff)
    assert follow_up.status_code == 201 and follow_up.json()["follow_up_of_id"] == letter_id
    history = client.get(f"/api/letters/by-official/{changed['official_id']}", headers=staff).json()
    assert len(history) == 2


def test_api_roles(client: TestClient, api_headers, campaign) -> None:  # type: ignore[no-untyped-def]
    viewer = api_headers(Role.viewer)
    assert client.get("/api/campaigns", headers=viewer).status_code == 200
    assert client.get("/api/templates", headers=viewer).status_code == 200
    refused = client.post(f"/api/campaigns/{campaign.id}/generate", json={}, headers=viewer)
    assert refused.status_code == 403
    assert client.get("/api/campaigns").status_code == 401
    assert client.get("/api/letters/999999", headers=viewer).status_code == 404
