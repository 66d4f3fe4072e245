"""Staff in a real browser: sign in and out, a forged form, creating an account."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_sign_in_see_the_navigation_and_sign_out(page: Page, server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    nav = page.locator("header nav")
    expect(nav.get_by_role("link", name="Se connecter")).to_be_visible()
    expect(nav.get_by_role("link", name="Journal")).to_have_count(0)

    sign_in(page, server.admin_email, server.admin_password)
    expect(page.get_by_role("status")).to_contain_text("Bienvenue")
    for label in ("Annuaire", "Comptes", "Journal"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    expect(page.locator("footer")).to_contain_text(server.admin_email)

    screenshot = tmp_path / "accueil.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 1000
    assert screenshot.read_bytes().startswith(b"\x89PNG")

    nav.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(f"{server.url}/connexion")
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté.")
    page.goto("/admin/journal")
    expect(page).to_have_url(f"{server.url}/connexion?suivant=/admin/journal")


def test_wrong_password_is_refused_in_french(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, server.admin_email, "pas-le-bon-mot-de-passe")
    expect(page.get_by_role("alert")).to_have_text("Identifiants incorrects.")
    expect(page.get_by_label("Adresse e-mail")).to_have_value(server.admin_email)


def test_a_forged_form_shows_the_french_error_page(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto("/connexion")
    page.locator("input[name=csrf_token]").evaluate("input => input.value = 'forge'")
    page.get_by_label("Adresse e-mail").fill(server.admin_email)
    page.get_by_label("Mot de passe").fill(server.admin_password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Erreur 403")).to_be_visible()
    expect(page.locator("main")).to_contain_text("jeton CSRF")
    page.goto("/admin/journal")
    expect(page).to_have_url(f"{server.url}/connexion?suivant=/admin/journal")


def test_the_admin_creates_a_staff_account(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, server.admin_email, server.admin_password)
    page.get_by_role("link", name="Comptes").click()
    expect(page.get_by_role("heading", name="Comptes de l'équipe")).to_be_visible()
    form = page.locator("form[action='/admin/utilisateurs']")
    form.get_by_label("E-mail").fill("chargee.plaidoyer@asso.fr")
    form.get_by_label("Nom").fill("Chargée de plaidoyer")
    form.get_by_label("Rôle").select_option("staff")
    form.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    form.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("status")).to_contain_text("Compte créé pour chargee.plaidoyer@asso.fr")
    row = page.locator("tr", has_text="chargee.plaidoyer@asso.fr")
    expect(row.get_by_label("Rôle")).to_have_value("staff")

    # The new account signs in with the staff role: no admin pages in its navigation.
    nav = page.locator("header nav")
    nav.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, "chargee.plaidoyer@asso.fr", "un-mot-de-passe-solide")
    expect(nav.get_by_role("link", name="Annuaire")).to_be_visible()
    expect(nav.get_by_role("link", name="Comptes")).to_have_count(0)
    page.goto("/admin/utilisateurs")
    expect(page.get_by_role("heading", name="Erreur 403")).to_be_visible()
