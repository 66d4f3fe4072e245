"""In a real browser: an admin sets the association, staff prepare a campaign, and both the
printed letter and the e-mail written by the file backend carry the association."""

import os
import subprocess
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

import pytest
from playwright.sync_api import Page, expect

from tests.live import PLAIDOYER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STAFF_EMAIL, STAFF_PASSWORD = "redaction@cameleon.example", "un-mot-de-passe-solide"


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def set_the_organisation(page: Page) -> None:
    page.get_by_role("link", name="Association").click()
    page.get_by_label("Nom de l'association").fill("CAMELEON")
    page.get_by_label("Adresse postale").fill("12 rue des Lilas\n69003 Lyon")
    page.get_by_label("Nom du signataire").fill("Marie Dupont")
    page.get_by_label("Qualité du signataire").fill("Présidente")
    page.get_by_label("Nom affiché de l'expéditeur").fill("CAMELEON")
    page.get_by_label("Adresse d'expédition").fill("plaidoyer@cameleon.example")
    page.get_by_label("Domaine des réponses").fill("reponses.cameleon.example")
    page.get_by_label("Mention de bas de page").fill("RNA W691234567")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Coordonnées de l'association enregistrées")
    expect(page.locator("footer")).to_contain_text("CAMELEON")


def create_staff(page: Page) -> None:
    page.goto("/admin/utilisateurs")
    form = page.locator("form[action='/admin/utilisateurs']")
    form.get_by_label("E-mail").fill(STAFF_EMAIL)
    form.get_by_label("Rôle").select_option("staff")
    form.get_by_label("Mot de passe").fill(STAFF_PASSWORD)
    form.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("status")).to_contain_text(f"Compte créé pour {STAFF_EMAIL}")
    page.locator("header nav").get_by_role("button", name="Se déconnecter").click()


def prepare_and_send_a_campaign(page: Page) -> None:
    page.goto("/campagnes/nouvelle")
    page.locator("input[name='name']").fill("Élus de l'Aube")
    page.locator("input[name='slug']").fill("elus-de-l-aube")
    page.locator("select[name='first_template_id']").select_option(
        label="Premier courrier — les quatre demandes"
    )
    page.get_by_label("Département (code)").fill("10")
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.get_by_role("heading", name="Élus de l'Aube")).to_be_visible()
    campaign_url = page.url
    page.get_by_role("button", name="Préparer les courriers").click()
    expect(page.get_by_text("préparé").first).to_be_visible()
    page.goto(campaign_url)
    page.get_by_role("button", name="Envoyer les courriels").click()
    page.get_by_role("button", name="Oui, envoyer").click()


def written_emails(server) -> list[EmailMessage]:  # type: ignore[no-untyped-def]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PLAIDOYER_") and key not in {"DATABASE_URL", "PORT"}
    }
    env["PLAIDOYER_DATA_DIR"] = str(server.data_dir)
    subprocess.run(
        [str(PLAIDOYER), "outbox", "run", "--once", "--worker-id", "e2e-organisation"],
        env=env,
        cwd=server.data_dir,
        capture_output=True,
        check=True,
        timeout=60,
    )
    files = sorted((server.data_dir / "mail").glob("*.eml"))
    parsed = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    return [m for m in parsed if isinstance(m, EmailMessage)]


def test_the_association_signs_printed_letters_and_e_mails(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, server.admin_email, server.admin_password)
    set_the_organisation(page)
    create_staff(page)
    sign_in(page, STAFF_EMAIL, STAFF_PASSWORD)
    prepare_and_send_a_campaign(page)

    page.get_by_role("button", name="Imprimer les courriers postaux").click()
    sheet = page.locator(".letter-sheet").first
    expect(sheet.locator(".sender-block")).to_contain_text("CAMELEON")
    expect(sheet.locator(".sender-block")).to_contain_text("12 rue des Lilas")
    expect(sheet.locator(".recipient-block")).to_contain_text("Sénatrice de l'Aube")
    expect(sheet).to_contain_text("Nous vous prions d'agréer, Madame la Sénatrice")
    expect(sheet).to_contain_text("Marie Dupont")
    expect(sheet).to_contain_text("Présidente")
    page.emulate_media(media="print")
    expect(page.locator(".no-print").first).to_be_hidden()
    expect(page.locator("header")).to_be_hidden()
    recipient = sheet.locator(".recipient-block")
    assert recipient.evaluate("el => getComputedStyle(el).position") == "absolute"
    lines = sheet.locator(".recipient-block").inner_text().splitlines()
    assert len(lines) <= 6 and all(len(line) <= 38 for line in lines)

    ours = [m for m in written_emails(server) if "Aube" in m.get_content()]
    assert ours, "aucun e-mail de la campagne dans le dossier du serveur de fichiers"
    message = ours[0]
    assert parseaddr(str(message["From"])) == ("CAMELEON", "plaidoyer@cameleon.example")
    assert str(message["Reply-To"]).endswith("@reponses.cameleon.example")
    body = message.get_content()
    for expected in ("Marie Dupont", "Présidente", "CAMELEON", "12 rue des Lilas", "69003 Lyon"):
        assert expected in body
