"""Postal letters print with the association's blocks and signatory, a minister's letter with
their ministry's address or what is missing; e-mails leave under the association's name."""

from email import message_from_bytes, policy
from email.utils import parseaddr

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.campaigns.models import Campaign
from app.config import Settings
from app.mailing.message import render
from app.mailing.models import OutboxMessage
from app.officials.models import Official
from app.organisation.service import update_identity
from app.security import Actor
from app.users.models import Role
from tests.factories import add_official

IDENTITY = {
    "name": "CAMELEON",
    "postal_address": "12 rue des Lilas\n69003 Lyon",
    "signatory_name": "Marie Dupont",
    "signatory_title": "Présidente",
    "sender_name": "CAMELEON",
    "sender_email": "plaidoyer@cameleon.example",
    "reply_domain": "reponses.cameleon.example",
    "footer": "RNA W691234567",
}


def _minister_without_address(session: Session) -> tuple[Official, Body]:
    ministry = Body(
        source_id="PO-TEST-MIN",
        chamber="gouvernement",
        kind="MINISTERE",
        name="Ministère du numérique",
    )
    session.add(ministry)
    minister = add_official(
        session,
        kind="minister",
        civility="Mme",
        first_name="Claire",
        last_name="Essai",
        portfolio="Ministre déléguée chargée du numérique",
        email="",
        postal_address="",
    )
    session.flush()
    session.add(Membership(body_id=ministry.id, official_id=minister.id, role="ministre-delegue"))
    session.flush()
    return minister, ministry


def test_the_print_page_lays_out_the_association_and_says_what_is_missing(
    client: TestClient, sign_in_as, campaign: Campaign, session: Session, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    _, ministry = _minister_without_address(session)
    update_identity(session, values=IDENTITY, actor=Actor.system(), settings=settings)
    token = sign_in_as(Role.staff)
    client.post(f"/campagnes/{campaign.id}/generer", data={"csrf_token": token})
    printed = client.get(f"/campagnes/{campaign.id}/impression").text
    assert printed.count('class="letter-sheet"') == 1
    assert (
        '<address class="sender-block"><strong>CAMELEON</strong>\n12 rue des Lilas\n69003 Lyon'
        in printed
    )
    assert "Madame Claire Essai\nMinistre déléguée chargée du numérique" in printed
    assert "Madame la Ministre," in printed
    assert "Nous vous prions d&#39;agréer, Madame la Ministre" in printed
    assert "Marie Dupont\nPrésidente\nCAMELEON" in printed  # the signatory, under the letter
    assert "CAMELEON — RNA W691234567" in printed
    assert "Adresse postale du ministère « Ministère du numérique » inconnue" in printed
    assert f'href="/ministeres/{ministry.id}/adresse"' in printed
    client.post(
        f"/ministeres/{ministry.id}/adresse",
        data={"csrf_token": token, "postal_address": "20 avenue de Ségur\n75007 Paris"},
    )
    printed = client.get(f"/campagnes/{campaign.id}/impression").text
    assert "inconnue" not in printed
    assert (
        '<address class="recipient-block">Madame Claire Essai\n'
        "Ministre déléguée chargée du numérique\n20 avenue de Ségur\n75007 Paris</address>"
    ) in printed


def test_a_missing_association_address_links_to_its_page(
    client: TestClient, sign_in_as, campaign: Campaign, session: Session
) -> None:  # type: ignore[no-untyped-def]
    _minister_without_address(session)
    token = sign_in_as(Role.staff)
    client.post(f"/campagnes/{campaign.id}/generer", data={"csrf_token": token})
    printed = client.get(f"/campagnes/{campaign.id}/impression").text
    assert "Adresse postale de l&#39;association non renseignée" in printed
    assert 'href="/admin/organisation"' in printed


def test_e_mails_leave_under_the_association_name(
    client: TestClient, sign_in_as, campaign: Campaign, session: Session, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    add_official(session, email="elue@assemblee-nationale.fr", civility="Mme", circonscription=2,
                 department_code="05", department_name="Hautes-Alpes")  # fmt: skip
    update_identity(session, values=IDENTITY, actor=Actor.system(), settings=settings)
    token = sign_in_as(Role.staff)
    client.post(f"/campagnes/{campaign.id}/generer", data={"csrf_token": token})
    client.post(f"/campagnes/{campaign.id}/envoyer", data={"csrf_token": token, "expected": "1"})
    row = session.scalars(select(OutboxMessage)).one()
    message = message_from_bytes(render(row).data, policy=policy.default)
    assert parseaddr(str(message["From"])) == ("CAMELEON", "plaidoyer@cameleon.example")
    assert str(message["Reply-To"]).startswith("plaidoyer+")
    assert str(message["Reply-To"]).endswith("@reponses.cameleon.example")
    assert str(message["Message-ID"]).endswith("@cameleon.example>")
    body = message.get_content().replace("\r\n", "\n")
    assert "En tant que députée de la 2e circonscription des Hautes-Alpes" in body
    assert body.endswith(
        "Marie Dupont\nPrésidente\nCAMELEON\n\n-- \nCAMELEON\n12 rue des Lilas\n69003 Lyon\n"
        "RNA W691234567\n"
    )
