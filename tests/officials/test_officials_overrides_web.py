"""Correcting contacts through the pages; a bouncing address on the page and in the filters."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.db import utcnow
from app.officials.models import Official
from app.users.models import Role
from tests.factories import add_official


def _deputy(session: Session) -> Official:
    return add_official(session, email="e.dupre@assemblee-nationale.fr", phone="01 40 63 00 00")


def test_staff_correct_a_contact_and_the_page_says_who(
    client: TestClient, session: Session, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    official = _deputy(session)
    page = f"/annuaire/{official.id}/coordonnees"
    sign_in_as(Role.viewer)
    assert client.get(page).status_code == 403
    csrf = sign_in_as(Role.staff)
    assert client.get(page).status_code == 200

    bad = client.post(
        page,
        data={"field": "email", "value": "pas une adresse", "source": "appel", "csrf_token": csrf},
    )
    assert bad.status_code == 422
    assert 'id="value-error"' in bad.text and "Adresse e-mail invalide" in bad.text
    assert "pas une adresse" in bad.text and 'value="appel"' in bad.text

    done = client.post(
        page,
        data={
            "field": "postal_address",
            "value": "Permanence\r\n12 rue de la République\r\n69002 Lyon",
            "source": "site de la permanence",
            "source_date": "2026-11-02",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    profile = client.get(f"/annuaire/{official.id}").text
    assert "Permanence, 12 rue de la République, 69002 Lyon" in profile
    assert "Corrigé par staff@test.fr" in profile and "site de la permanence" in profile

    removed = client.post(
        f"{page}/postal_address/retirer", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert removed.status_code == 303
    session.refresh(official)
    assert official.postal_address == ""


def test_a_bouncing_address_shows_on_the_page_and_in_the_filters(
    client: TestClient, session: Session, sign_in_as, api_headers
) -> None:  # type: ignore[no-untyped-def]
    official = _deputy(session)
    fine = add_official(session, last_name="Martin", email="martin@assemblee-nationale.fr")
    official.bounce_address, official.bounced_at = official.email, utcnow()
    official.bounce_diagnostic = "Rejet 5.1.1 : 550 User unknown"
    session.flush()
    sign_in_as(Role.viewer)
    profile = client.get(f"/annuaire/{official.id}").text
    assert 'id="official-bouncing"' in profile and "550 User unknown" in profile
    listed = client.get("/annuaire?bouncing=true").text
    assert official.last_name in listed and "Martin" not in listed
    assert "e-mail en échec" in listed
    api = client.get("/api/officials?bouncing=true", headers=api_headers(Role.viewer)).json()
    assert [item["id"] for item in api["items"]] == [official.id]
    assert api["items"][0]["email_bouncing"] is True
    others = client.get("/api/officials?bouncing=false", headers=api_headers(Role.viewer)).json()
    assert fine.id in [item["id"] for item in others["items"]]
    assert client.get("/api/officials?bouncing=peut-etre").status_code == 422
