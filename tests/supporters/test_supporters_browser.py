"""The whole journey in Chromium on a phone screen, with and without JavaScript: postcode →
choose → edit → submit → the confirmation e-mail → click → the worker → the official's mailbox."""

import re
from email.utils import parseaddr

import pytest
from served import environment, run_worker, smtp_server
from supporters_support import SUPPORTER, build_database

from tests.browser import PHONE
from tests.live import served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(make_database_url, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    url = build_database(make_database_url("sqlite"))
    data_dir = tmp_path_factory.mktemp("agir")
    with smtp_server() as (mailbox, port):
        env = environment(data_dir, url, port)
        log = data_dir / "server.log"
        with served(env, log) as base:
            yield base, env, mailbox, log


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
def test_journey_in_chromium(browser, site, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    base, env, mailbox, log = site
    email = f"{'js' if javascript else 'nojs'}.{SUPPORTER['email']}"
    context = browser.new_context(
        base_url=base, locale="fr-FR", viewport=PHONE, java_script_enabled=javascript
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/agir")
    page.fill("#q", "75011")
    page.click("text=Trouver mes élus")
    page.locator('input[type="radio"][name="official"]').first.check()
    page.click("text=Écrire ma lettre")
    letter = page.locator("textarea[name^='body_']").first
    letter.fill(letter.input_value() + "\nJ'ai deux enfants, et ce sujet me tient à cœur.")
    page.fill("input[name='name']", SUPPORTER["name"])
    page.fill("input[name='email']", email)
    page.fill("input[name='postcode']", "75011")
    page.check("input[name='consent_send']")
    if javascript:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    chosen = page.locator("#letter-form input[name='official']").count()
    page.click("text=Envoyer — je confirmerai par e-mail")
    page.wait_for_selector("text=Plus qu'un clic")
    already = len(mailbox.messages())
    run_worker(env)
    (confirmation,) = mailbox.messages()[already:]
    assert parseaddr(confirmation["To"])[1] == email
    text = confirmation.get_body(("plain",)).get_content()
    link = next(w for w in text.split() if "/agir/confirmer/" in w)
    page.goto(link)
    page.click("text=Oui, envoyer ma lettre")
    page.wait_for_selector("text=Merci ! Votre lettre part")
    context.close()
    before = len(mailbox.messages())
    run_worker(env)
    letters = mailbox.messages()[before:]
    assert len(letters) == chosen
    for message in letters:
        assert parseaddr(message["Reply-To"])[1] == email
        assert parseaddr(message["From"]) == (SUPPORTER["name"], "contact@asso.example")
        assert parseaddr(message["To"])[1].endswith(("assemblee-nationale.fr", "senat.fr"))
    assert any("ce sujet me tient à cœur" in m.get_body(("plain",)).get_content() for m in letters)
    served_log = log.read_text()
    # The journey is in the log (so the check below means something), without the person.
    assert re.search(r"method=POST .*route=/agir/", served_log)
    assert email not in served_log and SUPPORTER["name"] not in served_log
