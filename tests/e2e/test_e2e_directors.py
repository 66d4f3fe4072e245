"""A director in a real browser: the screen, the review queue, approving a proposal coded from
a reply, and the count and the hemicycle moving."""

import re
import secrets

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def committed_dots(page: Page) -> int:
    return page.locator("#board-3-deputy svg circle[data-position='committed']").count()


def test_director_approves_a_coded_reply_and_the_board_moves(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    deputy = httpx.get(f"{server.url}/api/officials", params={"kind": "deputy", "size": 1}).json()
    official = deputy["items"][0]
    director_email = f"direction-{secrets.token_hex(3)}@asso.fr"

    # The admin creates the director's account, then records and codes a reply (staff work).
    sign_in(page, server.admin_email, server.admin_password)
    page.goto("/admin/utilisateurs")
    form = page.locator("form[action='/admin/utilisateurs']")
    form.get_by_label("E-mail").fill(director_email)
    form.get_by_label("Nom").fill("Directrice")
    form.get_by_label("Rôle").select_option("director")
    form.get_by_label("Mot de passe").fill("un-mot-de-passe-directrice")
    form.get_by_role("button", name="Créer le compte").click()

    page.goto("/reponses/nouvelle")
    page.get_by_label("Chercher un élu par son nom").fill(official["last_name"])
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("radio", name=re.compile(official["last_name"])).first.check()
    page.get_by_label("Reçue le").fill("2026-11-20")
    page.get_by_label("Texte ou résumé de la réponse").fill(
        "Je m'engage publiquement pour des référents formés sur les plateformes."
    )
    page.get_by_role("button", name="Enregistrer la réponse").click()
    page.get_by_label("3. Plateformes").select_option("committed")
    page.get_by_role("button", name="Proposer ces positions").click()
    expect(page.get_by_role("status")).to_contain_text("1 position proposée")
    page.locator("header nav").get_by_role("button", name="Se déconnecter").click()

    # The director lands on the screen, notes the figures, reviews the queue.
    sign_in(page, director_email, "un-mot-de-passe-directrice")
    expect(page).to_have_url(f"{server.url}/direction")
    supporters = page.locator("#board-3-deputy .supporters")
    before = int(supporters.inner_text())
    dots_before = committed_dots(page)
    expect(page.locator("#board-3-deputy table")).to_contain_text("Engagé·e (par écrit)")

    page.get_by_role("button", name="Positions à valider").click()
    row = page.locator("tr", has_text=official["last_name"]).filter(has_text="3. Plateformes")
    expect(row).to_contain_text("Réponse à un courrier")
    row.get_by_role("checkbox").check()
    page.get_by_label("Raison (obligatoire pour un refus)").fill("Réponse signée")
    page.get_by_role("button", name="Valider la sélection").click()
    expect(page.get_by_role("status")).to_contain_text("1 proposition validée")

    page.locator("header nav").get_by_role("link", name="Tableau de bord").click()
    expect(supporters).to_have_text(str(before + 1))
    assert committed_dots(page) == dots_before + 1
