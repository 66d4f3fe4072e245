"""Accessibility: axe-core (the copy shipped by axe-playwright-python) on every page, public and
signed in, over real rows; then the supporter and staff journeys with the keyboard alone.

Pages are found by crawling the links from the home page, anonymous then as an admin, plus the
pages only a journey reaches (search results, the letter, the e-mailed links, the thanks page);
every HTML page the app serves must have been checked.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select
from starlette.routing import compile_path

from app.config import Settings
from app.db import build_engine, unit_of_work
from app.demands.models import Demand
from app.geography.service import load_project_geography
from app.letters.models import LetterStatus
from app.mailing.models import OutboxMessage
from app.main import create_app
from app.officials.models import Official
from app.officials.sync import load_project_bodies, load_project_data
from app.replies.service import record_manual_reply
from app.security import Actor
from app.stances.models import EvidenceKind, Position
from app.stances.service import Evidence, Proposal, propose_stance
from app.supporters import tokens
from app.supporters.models import Supporter, SupporterAction
from app.templating.models import TemplatePurpose
from app.users.models import Role
from app.users.service import create_user
from tests.factories import ACTOR, DATA, add_campaign, add_letter, add_user, migrate, seed_templates
from tests.live import served
from tests.routes import endpoints

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "ecrire-a-mes-elus"
ADMIN = "admin.a11y@asso.fr"
PASSWORD = "mot-de-passe-accessibilite"
SECRET = "clé-des-tests-d-accessibilité-assez-longue"
SUPPORTER = {"name": "Hortense Quillevéré", "email": "hortense@exemple.fr", "postcode": "75011"}
BLOCKING = {"serious", "critical"}
# GET routes that answer a file, not a page.
DOWNLOADS = {
    "officials_csv",
    "stances_csv",
    "hatvp_csv",
    "my_data_json",
    "my_data_csv",
    "supporter_export_csv",
    "supporter_export_json",
    "favicon_ico",
    "organisation_logo",
}
# The official picker's htmx fragment: a piece of the reply pages, checked inside them.
NOT_CRAWLED = {"reply_official_search"}


@dataclass(frozen=True)
class Site:
    url: str
    database_url: str
    campaign_id: int
    preview: str  # a template's preview for one official: reached by htmx, not by a link


def fill(url: str) -> tuple[int, str]:
    """The project's geography, directory and bodies, an admin, a public campaign with letters
    (sent, chased, a follow-up draft), a reply and a stance waiting for review."""
    engine = build_engine(migrate(url))
    with unit_of_work(engine) as session:
        load_project_geography(session, DATA)
        load_project_data(session, DATA, None)
        load_project_bodies(session, DATA, None)
        templates = seed_templates(session)
        add_user(session, role=Role.admin, email=ADMIN, password=PASSWORD)
        enrolled = add_user(
            session, role=Role.staff, email="double.facteur@test.fr", full_name="Camille Roux"
        )
        enrolled.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # for the reset page
        demand = session.scalars(select(Demand.id).order_by(Demand.number)).first()
        campaign = add_campaign(
            session,
            name="Écrivez à vos élus",
            slug=SLUG,
            description="Trois minutes pour protéger les enfants en ligne.",
            first_template_id=templates[TemplatePurpose.first_letter].id,
            follow_up_template_id=templates[TemplatePurpose.follow_up].id,
            demand_numbers=[1, 2, 3, 4],
            is_public=True,
        )
        deputies = list(session.scalars(select(Official).where(Official.kind == "deputy").limit(2)))
        replied = add_letter(session, campaign=campaign, official=deputies[0])
        add_letter(session, campaign=campaign, official=deputies[1])
        add_letter(
            session,
            campaign=campaign,
            official=deputies[0],
            status=LetterStatus.draft,
            follow_up_of=replied,
        )
        reply = record_manual_reply(
            session,
            official_id=deputies[0].id,
            letter_id=replied.id,
            text="Je soutiens vos demandes.",
            received_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
            channel="post",
            subject="Votre courrier",
            actor=ACTOR,
        )
        propose_stance(
            session,
            proposal=Proposal(
                official_id=deputies[0].id,
                demand_id=demand,
                position=Position.committed,
                evidence=Evidence(kind=EvidenceKind.reply, reply_id=reply.id),
            ),
            actor=ACTOR,
        )
        template = templates[TemplatePurpose.first_letter].id
        preview = f"/modeles/{template}/apercu?official_id={deputies[0].id}"
        campaign_id = campaign.id
    engine.dispose()
    return campaign_id, preview


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("a11y")
    url = f"sqlite:///{data_dir / 'plaidoyer.db'}"
    campaign_id, preview = fill(url)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PLAIDOYER_") and key not in {"DATABASE_URL", "PORT"}
    }
    env |= {
        "PLAIDOYER_DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "PLAIDOYER_SECRET_KEY": SECRET,
        "PLAIDOYER_MAIL_BACKEND": "file",
        "PLAIDOYER_PUBLIC_SCORECARD": "true",
    }
    with served(env, data_dir / "server.log") as base:
        yield Site(url=base, database_url=url, campaign_id=campaign_id, preview=preview)


# --- finding the pages ------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("/") and not href.startswith("//"):
            self.found.append(href.split("#")[0])


class Routes:
    """The app's HTML pages (GET, not API, not a download), and which one serves a URL."""

    def __init__(self, folder: Path) -> None:
        settings = Settings(database_url=f"sqlite:///{folder / 'routes.db'}", data_dir=folder)
        app = create_app(settings)
        gets = [e for e in endpoints(app) if e.method == "GET" and not e.is_api]
        app.state.engine.dispose()
        self.paths = [(compile_path(e.path)[0], e.name) for e in gets]
        self.pages = {e.name for e in gets} - DOWNLOADS - NOT_CRAWLED

    def name_of(self, url: str) -> str | None:
        path = url.split("?")[0]
        return next((name for regex, name in self.paths if regex.match(path)), None)


def crawl(client: httpx.Client, routes: Routes, start: list[str]) -> dict[str, str]:
    """One URL per page reached by links from `start` (route name → URL)."""
    chosen: dict[str, str] = {}
    pending, seen = list(start), set(start)
    while pending:
        url = pending.pop(0)
        name = routes.name_of(url)
        if name not in routes.pages or name in chosen:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        chosen[name] = url
        parser = _Links()
        parser.feed(response.text)
        for link in parser.found:
            if link not in seen and routes.name_of(link) not in chosen:
                seen.add(link)
                pending.append(link)
    return chosen


def sign_in_client(client: httpx.Client) -> None:
    token = csrf(client.get("/connexion").text)
    answer = client.post(
        "/connexion", data={"email": ADMIN, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code in (200, 303), answer.text


def csrf(html: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert found
    return found.group(1)


def submit_letter(client: httpx.Client, email: str) -> None:
    """A supporter's request, posted as the form would send it."""
    page = client.get(f"/agir/{SLUG}", params={"q": SUPPORTER["postcode"]}).text
    deputy = re.search(r'type="radio" name="official" value="(\d+)"', page)
    assert deputy, page
    letter = client.get(f"/agir/{SLUG}/lettre", params={"official": deputy.group(1)}).text
    form = letter[letter.index('id="letter-form"') :]
    data: dict[str, Any] = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))
    data |= dict(re.findall(r'name="(subject_\d+)"[^>]*value="([^"]*)"', form))
    data |= dict(re.findall(r'<textarea name="(body_\d+)"[^>]*>(.*?)</textarea>', form, re.S))
    data |= {
        "personal": "J'ai deux enfants, ce sujet me tient à cœur.",
        "name": SUPPORTER["name"],
        "email": email,
        "postcode": SUPPORTER["postcode"],
        "consent_send": "1",
        "nudged": "1",
        "csrf_token": csrf(letter),
    }
    answer = client.post(f"/agir/{SLUG}/envoyer", data=data)
    assert answer.status_code == 303, answer.text


def second_factor_pages(  # type: ignore[no-untyped-def]
    browser, site: Site, routes: Routes, found: dict[str, list[str]]
) -> set[str | None]:
    """Enrolment in a second factor, then the code asked at sign-in, by an account of its own
    (the admin's sign-in stays one step for the other tests)."""
    email, password = "double@exemple.fr", "un-mot-de-passe-a-deux-facteurs"
    engine = build_engine(site.database_url)
    with unit_of_work(engine) as session:
        create_user(
            session,
            email=email,
            password=password,
            role=Role.staff,
            full_name="Dominique Double",
            actor=Actor.system("tests"),
        )
    engine.dispose()
    context = browser.new_context(base_url=site.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    checked: set[str | None] = set()

    def check_here() -> None:
        checked.add(routes.name_of(page.url.removeprefix(site.url).split("?")[0]))
        if problems := violations(page):
            found[page.url] = problems

    def sign_in() -> None:
        page.goto("/connexion")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()

    sign_in()
    page.goto("/compte/securite")
    page.get_by_role("button", name="Activer la double authentification").click()
    check_here()
    secret = page.locator("li code").first.inner_text()
    page.get_by_label("Code à 6 chiffres").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activer", exact=True).click()
    page.locator("header nav").get_by_role("button", name="Se déconnecter").click()
    sign_in()
    expect(page).to_have_url(re.compile("/connexion/code"))
    check_here()
    context.close()
    return checked


def token_pages(site: Site, email: str) -> list[str]:
    """The survey and unsubscribe pages, whose links go out days later: signed here, as the
    server would sign them."""
    settings = Settings(database_url=site.database_url, secret_key=SECRET)
    engine = build_engine(site.database_url)
    with unit_of_work(engine) as session:
        supporter = session.scalars(select(Supporter).where(Supporter.email == email)).one()
        action_id = session.scalars(
            select(SupporterAction.id).where(SupporterAction.supporter_id == supporter.id)
        ).first()
    engine.dispose()
    return [
        f"/agir/reponse/{tokens.sign(settings, tokens.SURVEY, action_id)}",
        f"/agir/desabonnement/{tokens.sign(settings, tokens.UNSUBSCRIBE, supporter.id)}",
    ]


def emailed_link(site: Site, email: str, marker: str) -> str:
    engine = build_engine(site.database_url)
    with unit_of_work(engine) as session:
        bodies = session.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.to_address.contains(email))
            .order_by(OutboxMessage.id.desc())
        ).all()
    engine.dispose()
    for body in bodies:
        for word in body.split():
            if marker in word and word.startswith("http"):
                return "/" + word.split("/", 3)[3]
    raise AssertionError(f"aucun lien {marker} envoyé à {email}")


# --- axe-core -------------------------------------------------------------------------------

AXE = Axe()


def violations(page: Page) -> list[str]:
    """The serious and critical violations on the page: rule, impact and targets."""
    results = AXE.run(page).response
    return [
        f"{v['id']} ({v['impact']}) {node['target']}: {v['help']}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


def check(page: Page, url: str, found: dict[str, list[str]], status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response)
    if problems := violations(page):
        found[url] = problems


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())


def test_every_page_has_no_serious_or_critical_axe_violation(
    browser, site: Site, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    routes = Routes(tmp_path)
    found: dict[str, list[str]] = {}
    checked: set[str | None] = set()
    context = browser.new_context(base_url=site.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    with httpx.Client(base_url=site.url) as client:
        public = crawl(client, routes, ["/", "/agir", f"/agir/{SLUG}/verifiez", "/engagements"])
        submit_letter(client, SUPPORTER["email"])
    confirm = emailed_link(site, SUPPORTER["email"], "/agir/confirmer/")
    journey = [
        f"/agir?q={SUPPORTER['postcode']}",
        f"/trouver-mon-elu?q={SUPPORTER['postcode']}",
        confirm,
    ]
    for url in [*public.values(), *journey]:
        check(page, url, found)
        checked.add(routes.name_of(url))
    check(page, "/page-qui-n-existe-pas", found, status=404)
    letter = f"/agir?q={SUPPORTER['postcode']}"
    page.goto(letter)
    page.get_by_role("button", name="Écrire ma lettre").click()
    checked.add(routes.name_of(page.url.removeprefix(site.url)))
    if problems := violations(page):
        found[page.url] = problems
    page.goto(confirm)
    page.get_by_role("button", name=re.compile("envoyer ma lettre")).click()
    expect(page.get_by_text("Merci")).to_be_visible()
    if problems := violations(page):
        found["remerciements"] = problems
    for url in token_pages(site, SUPPORTER["email"]):
        check(page, url, found)
        checked.add(routes.name_of(url))
    my_data = emailed_link(site, SUPPORTER["email"], "/agir/mes-donnees/")
    check(page, my_data, found)
    checked.add(routes.name_of(my_data))
    page.get_by_role("button", name="Effacer mes données").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if problems := violations(page):
        found["données effacées"] = problems

    with httpx.Client(base_url=site.url) as client:
        sign_in_client(client)
        staff = crawl(client, routes, ["/", f"/campagnes/{site.campaign_id}", site.preview])
    page.goto("/connexion")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_label("Adresse e-mail").fill(ADMIN)
    page.get_by_role("button", name="Se connecter").click()
    if problems := violations(page):
        found["connexion refusée"] = problems
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    for url in staff.values():
        if url not in public.values():
            check(page, url, found)
    # The chase confirmation: reached by ticking letters on the chase list.
    page.goto("/a-relancer?jours=0")
    page.get_by_label("Tout cocher sur cette page").check()
    page.get_by_role("button", name="Relancer la sélection").click()
    checked.add(routes.name_of(page.url.removeprefix(site.url).split("?")[0]))
    if problems := violations(page):
        found[page.url] = problems
    context.close()
    checked |= second_factor_pages(browser, site, routes, found)
    checked |= set(staff) | set(public)
    assert not found, "axe-core : violations graves ou critiques\n" + report(found)
    missing = sorted(routes.pages - checked)
    assert missing == [], f"pages jamais vérifiées : {missing}"


# --- the keyboard alone ---------------------------------------------------------------------

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow !== "none";
  const visible = el.matches(":focus-visible") && (outline || ring);
  return {html: el.outerHTML.slice(0, 120), visible: visible};
}"""


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Presses Tab until `selector` has the focus, checking that each focus stop is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus is None:
            continue
        assert focus["visible"], f"focus invisible sur {focus['html']}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} jamais atteint au clavier sur {page.url}")


def test_supporter_journey_with_the_keyboard_alone(browser, site: Site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=site.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/agir")
    tab_to(page, "#q")
    page.keyboard.type(SUPPORTER["postcode"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=75011"))
    tab_to(page, "#choose-form input[name='official'][type='radio']")
    page.keyboard.press("Space")
    tab_to(page, "#choose-form button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/lettre"))
    tab_to(page, "#personal")
    page.keyboard.type("J'ai deux enfants, ce sujet me tient à cœur.")
    for name, value in (
        ("name", SUPPORTER["name"]),
        ("email", "clavier@exemple.fr"),
        ("postcode", SUPPORTER["postcode"]),
    ):
        tab_to(page, f"#letter-form input[name='{name}']")
        page.keyboard.type(value)
    tab_to(page, "#letter-form input[name='consent_send']")
    page.keyboard.press("Space")
    tab_to(page, "#letter-form button[type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Plus qu'un clic")).to_be_visible()
    context.close()


def test_staff_sign_in_and_campaign_with_the_keyboard_alone(browser, site: Site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=site.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/connexion")
    tab_to(page, "input[name='email']")
    page.keyboard.type(ADMIN)
    tab_to(page, "input[name='password']")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    tab_to(page, "header a[href='/campagnes']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/campagnes$"))
    tab_to(page, f"main a[href='/campagnes/{site.campaign_id}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Écrivez à vos élus")
    context.close()
