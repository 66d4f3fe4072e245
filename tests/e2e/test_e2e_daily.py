"""Staff's day in a real browser: landing on « Ma journée », a campaign whose short address
comes from its name, e-mails that actually leave (the worker beside the server), and their
follow-ups generated in bulk."""

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_from_the_day_to_follow_ups_in_bulk(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(server.admin_email)
    page.get_by_label("Mot de passe").fill(server.admin_password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{server.url}/ma-journee")
    expect(page.get_by_role("heading", name="Ma journée")).to_be_visible()

    suffix = secrets.token_hex(2)
    page.goto("/campagnes/nouvelle")
    page.get_by_label("Nom", exact=True).fill(f"Relances de l'Ain {suffix}")
    expect(page.locator("#campaign-slug")).to_have_value(f"relances-de-l-ain-{suffix}")
    expect(page.get_by_label("Modèle du premier courrier")).not_to_have_value("")
    page.get_by_label("Type").select_option("deputy")
    page.get_by_label("Département (code)").fill("01")
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.get_by_role("status")).to_contain_text("créée")

    page.get_by_role("button", name="Préparer les courriers").click()
    page.get_by_role("button", name=re.compile(r"Envoyer les courriels \(\d+\)")).click()
    page.get_by_role("button", name=re.compile(r"Oui, envoyer")).click()

    # The worker `plaidoyer serve` started sends them: they reach the list to chase.
    rows = page.locator("input[name=courrier][form=chase-selection]")
    for _ in range(50):
        page.goto("/a-relancer?jours=0")
        if rows.count():
            break
        page.wait_for_timeout(200)
    count = rows.count()
    assert count > 0
    page.get_by_label("Tout cocher sur cette page").check()
    expect(rows.first).to_be_checked()
    page.get_by_role("button", name="Relancer la sélection").click()
    noun = "relance sera préparée" if count == 1 else "relances seront préparées"
    expect(page.locator("#chase-count")).to_contain_text(f"{count} {noun}")
    page.get_by_role("button", name=re.compile(r"Générer")).click()
    expect(page.get_by_role("status")).to_contain_text("préparée")
    expect(page.locator("input[name=courrier][form=chase-selection]")).to_have_count(0)
