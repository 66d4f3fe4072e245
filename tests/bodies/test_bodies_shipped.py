"""What must hold on the shipped data: the AN's children's rights delegation, a Sénat committee."""

from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.letters.models import Letter
from app.officials.importers.an import load_amo
from app.officials.importers.bodies import parse_an_bodies, parse_senat_bodies
from app.templating.defaults import seed_default_templates
from app.templating.models import Template
from app.users.models import Role
from tests.factories import SHARED_DATA as SHARED

DELEGATION = "PO804431"  # Délégation aux droits des enfants
SOCIAL_AFFAIRS = "COM-SOCI"  # Commission des affaires sociales du Sénat


def test_the_amo_export_has_42_mandates_held_by_35_deputies_in_the_delegation() -> None:
    """The 7 officers also hold a plain « Membre » mandate (nominPrincipale 0): 42 mandates,
    35 people, so the directory and a campaign count 35, not 42."""
    _, memberships = parse_an_bodies(load_amo(SHARED / "deputes" / "an_amo10"))
    seats = [m for m in memberships if m.body == DELEGATION]
    assert Counter(m.role for m in seats) == {
        "president": 1,
        "vice-president": 4,
        "secretaire": 2,
        "membre": 35,
    }
    assert len(seats) == 42
    assert len({m.official for m in seats}) == 35


def test_the_senate_api_seats_51_in_social_affairs() -> None:
    bodies, memberships = parse_senat_bodies(SHARED / "senateurs" / "senat_api_senateurs.json")
    assert sum(m.body == SOCIAL_AFFAIRS for m in memberships) == 51
    (body,) = [b for b in bodies if b.source_id == SOCIAL_AFFAIRS]
    assert (body.chamber, body.kind, body.name) == (
        "senat",
        "COMMISSION",
        "Commission des affaires sociales",
    )


def _total(client: TestClient, **params: str) -> int:
    response = client.get("/api/officials", params=params)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def _generate(client: TestClient, headers: dict[str, str], session: Session, body: str) -> int:
    seed_default_templates(session)
    first = session.scalar(select(Template.id).where(Template.purpose == "first_letter"))
    created = client.post(
        "/api/campaigns",
        json={
            "name": f"Organe {body}",
            "slug": f"organe-{body.lower()}",
            "first_template_id": first,
            "target": {"body": body},
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    response = client.post(f"/api/campaigns/{campaign_id}/generate", json={}, headers=headers)
    assert response.status_code == 201, response.text
    return int(
        session.scalar(select(func.count(Letter.id)).where(Letter.campaign_id == campaign_id)) or 0
    )


@pytest.mark.parametrize(
    ("body", "members", "roles"),
    [
        (DELEGATION, 35, {"president": 1, "vice-president": 4, "secretaire": 2, "membre": 35}),
        (SOCIAL_AFFAIRS, 51, {"membre": 51}),
    ],
)
def test_body_filter_and_campaign_segment(
    shipped: Session,
    client: TestClient,
    api_headers,  # type: ignore[no-untyped-def]
    body: str,
    members: int,
    roles: dict[str, int],
) -> None:
    assert _total(client, body=body) == members
    for role, count in roles.items():
        assert _total(client, body=body, role=role) == count
    # Roles read as written in the sources work too, and the filters combine.
    if body == DELEGATION:
        assert _total(client, body=body, role="Vice-Président") == 4
        assert _total(client, body=body, kind="senator") == 0
    assert _generate(client, api_headers(Role.staff), shipped, body) == members


def test_every_minister_sits_in_a_ministry(shipped: Session, client: TestClient) -> None:
    assert _total(client, kind="minister", role="ministre") + _total(
        client, kind="minister", role="ministre-delegue"
    ) == _total(client, kind="minister")
    justice = client.get("/api/officials", params={"body": "PO873682"}).json()["items"]
    assert [(o["kind"], o["portfolio"]) for o in justice] == [
        ("minister", "Garde des sceaux, ministre de la justice")
    ]


def test_bad_filters_answer_422_in_french(client: TestClient) -> None:
    response = client.get("/api/officials", params={"body": "PO 80<4431"})
    assert response.status_code == 422
    assert "identifiant d'organe invalide" in response.text
    assert client.get("/api/officials", params={"role": "x" * 81}).status_code == 422
    assert client.get("/api/bodies", params={"chamber": "lords"}).status_code == 422
    assert client.get("/api/bodies/NOPE").status_code == 404
