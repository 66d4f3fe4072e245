"""The association's page (admins), the ministries' addresses (staff), the footer, the logo."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from app.audit.models import AuditEvent
from app.bodies.models import Body, Membership
from app.users.models import Role
from tests.factories import add_official

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FORM = {
    "name": "CAMELEON",
    "postal_address": "12 rue des Lilas\n69003 Lyon",
    "signatory_name": "Marie Dupont",
    "signatory_title": "Présidente",
    "sender_name": "CAMELEON",
    "sender_email": "plaidoyer@cameleon.example",
    "reply_domain": "reponses.cameleon.example",
    "footer": "RNA W691234567",
}


def add_ministry(session: Session, name: str = "Ministère de l'intérieur") -> Body:
    body = Body(source_id=f"PO-{name[-8:]}", chamber="gouvernement", kind="MINISTERE", name=name)
    session.add(body)
    session.flush()
    return body


def test_only_admins_set_the_organisation(client: TestClient, sign_in_as) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.staff)
    assert client.get("/admin/organisation").status_code == 403
    sign_in_as(Role.admin)
    page = client.get("/admin/organisation")
    assert page.status_code == 200
    assert 'name="sender_email" value="plaidoyer@localhost"' in page.text


def test_mistakes_are_shown_next_to_their_field_with_what_was_typed(
    client: TestClient, sign_in_as, session: Session
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.admin)
    typed = {**FORM, "sender_email": "pas-une-adresse", "csrf_token": token}
    refused = client.post("/admin/organisation", data=typed)
    assert refused.status_code == 422
    assert 'value="pas-une-adresse" aria-invalid="true"' in refused.text
    assert 'id="org-sender_email-error" class="field-error">Adresse e-mail invalide' in refused.text
    assert 'value="Marie Dupont"' in refused.text and "12 rue des Lilas\n69003 Lyon" in refused.text
    assert (
        session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.update")) is None
    )
    saved = client.post(
        "/admin/organisation", data={**FORM, "csrf_token": token}, follow_redirects=False
    )
    assert saved.status_code == 303
    page = client.get("/admin/organisation").text
    assert "Coordonnées de l&#39;association enregistrées." in page
    assert "<small>CAMELEON · Plaidoyer" in page  # the footer names the association


def test_the_logo_is_uploaded_checked_and_served(client: TestClient, sign_in_as) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.admin)
    refused = client.post(
        "/admin/organisation/logo",
        data={"csrf_token": token},
        files={"logo": ("logo.svg", b"<svg/>", "image/svg+xml")},
    )
    assert refused.status_code == 422
    assert "PNG ou JPEG" in refused.text and 'id="org-logo-error"' in refused.text
    assert client.get("/organisation/logo").status_code == 404
    client.post(
        "/admin/organisation/logo",
        data={"csrf_token": token},
        files={"logo": ("logo.png", PNG, "image/png")},
    )
    served = client.get("/organisation/logo")
    assert served.content == PNG and served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    client.post("/admin/organisation/logo", data={"csrf_token": token, "remove": "true"})
    assert client.get("/organisation/logo").status_code == 404


def test_staff_enter_a_ministry_address_once(
    client: TestClient, sign_in_as, session: Session
) -> None:  # type: ignore[no-untyped-def]
    ministry = add_ministry(session)
    minister = add_official(session, kind="minister", portfolio="Ministre de l'intérieur")
    session.add(Membership(body_id=ministry.id, official_id=minister.id, role="ministre"))
    session.flush()
    token = sign_in_as(Role.staff)
    listing = client.get("/ministeres").text
    assert "Ministère de l&#39;intérieur" in listing and "<em>inconnue</em>" in listing
    url = f"/ministeres/{ministry.id}/adresse"
    five = "Place Beauvau\nBâtiment A\nEscalier 2\nBureau 12\n75800 Paris Cedex 08"
    refused = client.post(url, data={"csrf_token": token, "postal_address": five})
    assert refused.status_code == 422
    assert "au plus 4" in refused.text and "Escalier 2\nBureau 12" in refused.text
    address = "Place Beauvau\n75800 Paris Cedex 08"
    saved = client.post(url, data={"csrf_token": token, "postal_address": address})
    assert "Adresse enregistrée : Ministère de l&#39;intérieur." in saved.text
    assert "Place Beauvau\n75800 Paris Cedex 08" in client.get("/ministeres").text
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "ministry.address")).one()
    assert event.actor_label == "staff@test.fr" and event.after == {"postal_address": address}
    assert client.get(url).status_code == 200 and "saisie par staff@test.fr" in client.get(url).text
    sign_in_as(Role.viewer)
    assert client.post(url, data={"csrf_token": token, "postal_address": ""}).status_code == 403
