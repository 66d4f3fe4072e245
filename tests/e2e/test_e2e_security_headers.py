"""The Content-Security-Policy in a real browser: public and staff pages load without a single
violation in the console, and the little script the pages use still works under the policy."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser


def watch_console(page: Page) -> list[str]:
    """Console messages that tell of something the policy refused, and script errors."""
    problems: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.on("console", keep)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


def test_pages_load_without_csp_violations(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    problems = watch_console(page)
    page.goto("/")
    page.goto("/trouver-mon-elu?q=75011")
    expect(page.locator("main article").first).to_be_visible()
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(server.admin_email)
    page.get_by_label("Mot de passe").fill(server.admin_password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("header nav")).to_contain_text("Se déconnecter")

    page.goto("/annuaire?q=martin")
    expect(page.get_by_role("heading", name="Annuaire des élus")).to_be_visible()
    page.goto("/direction")
    page.goto("/compte/securite")

    page.goto("/campagnes/nouvelle")
    page.get_by_label("Nom", exact=True).first.fill("Journée sans écran")
    page.get_by_label(re.compile("^Adresse courte")).fill("sans-ecran")
    page.get_by_label(re.compile("Les sympathisants peuvent écrire")).check()
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/campagnes/\d+$"))
    campaign_url = page.url
    # The status filter submits itself on change: a static script, allowed by the policy.
    page.get_by_label("Statut").select_option(index=1)
    expect(page).to_have_url(re.compile(r"\?statut=\w+"))

    page.goto("/agir/sans-ecran?q=75011")
    expect(page.get_by_role("heading", name="Journée sans écran")).to_be_visible()
    letter = page.locator("main a[href*='/lettre']").first
    if letter.count():
        letter.click()
        expect(page.locator("input[name=website]")).to_be_hidden()
    page.goto(campaign_url)
    assert not problems, "\n".join(problems)


def test_the_api_documentation_runs_under_its_policy(page: Page) -> None:
    problems = watch_console(page)
    response = page.goto("/api/docs")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "'nonce-" in policy and "unsafe-inline" not in policy
    inline_refused = [p for p in problems if "inline script" in p]
    assert not inline_refused, "\n".join(inline_refused)
