"""The directory in a real browser: a supporter finds their député, staff search the directory."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("postcode", ["75011", "33000"])
def test_a_supporter_finds_their_depute_by_postcode(page: Page, postcode: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Trouver mon élu").click()
    page.get_by_role("searchbox", name="Code postal ou commune").fill(postcode)
    page.get_by_role("button", name="Chercher").click()
    expect(page).to_have_url(re.compile(rf"/trouver-mon-elu\?q={postcode}"))
    # Both communes are split between circonscriptions: the page asks for the address first
    # and folds the possible députés away.
    expect(page.get_by_label("Votre adresse (numéro et rue)")).to_be_visible()
    deputies = page.locator("section", has=page.get_by_role("heading", name=re.compile("député")))
    deputies.locator("summary").click()
    expect(deputies.locator("article").first).to_contain_text(re.compile(r"(M\.|Mme) \w+"))
    expect(deputies.locator("article").first).to_contain_text("circonscription")
    expect(page.get_by_text("Aucun député trouvé.")).to_have_count(0)


def test_an_unknown_postcode_is_explained(page: Page) -> None:
    page.goto("/trouver-mon-elu?q=00000")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Traceback")


def test_staff_search_the_directory(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(server.admin_email)
    page.get_by_label("Mot de passe").fill(server.admin_password)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("header nav").get_by_role("link", name="Annuaire").click()
    expect(page.get_by_role("heading", name="Annuaire des élus")).to_be_visible()

    page.get_by_role("searchbox", name="Nom").fill("francois")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/annuaire\?q=francois"))
    rows = page.locator("#results tbody tr")
    expect(rows.first).to_contain_text(re.compile("fran[cç]ois", re.IGNORECASE))
    expect(page.get_by_text("Aucun élu ne correspond")).to_have_count(0)
    total = page.locator("#results strong").first
    expect(total).to_have_text(re.compile(r"^\d+ élus?$"))

    rows.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/annuaire/\d+$"))
    expect(page.locator("main h1, main h2").first).to_be_visible()
