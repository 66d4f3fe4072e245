"""Replies in a real browser on a phone: the official picked by name (htmx), a long body wraps."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_staff_enter_a_reply_picking_the_official_by_name_on_a_phone(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(server.admin_email)
    page.get_by_label("Mot de passe").fill(server.admin_password)
    page.get_by_role("button", name="Se connecter").click()
    page.goto("/reponses/nouvelle")

    page.get_by_role("searchbox", name="Chercher un élu par son nom").fill("francoi")
    choices = page.locator("#official-choices").get_by_role("radio")
    expect(choices.first).to_be_checked()
    expect(page.locator("#official-choices")).to_contain_text(re.compile("fran[cç]ois", re.I))
    expect(page).to_have_url(re.compile(r"/reponses/nouvelle$"))  # only the choices changed

    long_link = "https://exemple.fr/" + "a" * 300
    page.get_by_label("Texte ou résumé de la réponse").fill(
        f"Je soutiens vos demandes.\n{long_link}"
    )
    page.get_by_role("button", name="Enregistrer la réponse").click()
    expect(page).to_have_url(re.compile(r"/reponses/\d+$"))
    body = page.locator("pre.reply-body")
    expect(body).to_contain_text("Je soutiens vos demandes.")
    overflow = body.evaluate("element => element.scrollWidth - element.clientWidth")
    assert overflow <= 1, f"le texte de la réponse déborde de {overflow} px"
