"""Every page, as each role, on a phone (390 × 844) and a laptop (1280 × 800): nothing scrolls
sideways, and a screenshot of each is kept under var/screenshots/ for a human to look at."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.config import Settings
from app.db import build_engine, session_factory
from app.main import create_app
from app.users.models import Role
from tests.factories import PASSWORD, add_user
from tests.world import page_urls, populate

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = {"telephone": (390, 844), "ordinateur": (1280, 800)}
ROLES: list[Role | None] = [None, Role.viewer, Role.staff, Role.director, Role.admin]


@pytest.fixture(scope="module")
def urls(server) -> list[str]:  # type: ignore[no-untyped-def]
    """The world's rows written into the served database, and every page to visit in it."""
    database = f"sqlite:///{server.data_dir / 'plaidoyer.db'}"
    settings = Settings(data_dir=server.data_dir, database_url=database)
    engine = build_engine(database)
    with session_factory(engine, write=True)() as session:
        ids = populate(session)
        for role in Role:
            add_user(session, role=role, email=f"mise-en-page-{role.value}@asso.fr")
        session.commit()
    engine.dispose()
    application = create_app(settings)
    application.state.engine.dispose()
    return page_urls(application, ids)


def _sign_in(page: Page, role: Role) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(f"mise-en-page-{role.value}@asso.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/connexion" not in url)


@pytest.fixture
def visit(browser: Browser, server) -> Iterator:  # type: ignore[no-untyped-def]
    contexts = []

    def open_as(role: Role | None, size: tuple[int, int]) -> Page:
        width, height = size
        context = browser.new_context(
            base_url=server.url, locale="fr-FR", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if role is not None:
            _sign_in(page, role)
        return page

    yield open_as
    for context in contexts:
        context.close()


# The outermost elements that reach past the viewport, to say what to fix.
OVERFLOWING = """width => {
  const clipped = el => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const past = el => el.getBoundingClientRect().right > width + 1 && !clipped(el);
  return [...document.querySelectorAll("body *")]
    .filter(el => past(el) && !(el.parentElement && past(el.parentElement)))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : ""));
}"""


def _file_name(url: str) -> str:
    return url.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "accueil"


@pytest.mark.parametrize("size", SIZES)
def test_no_page_scrolls_sideways(visit, urls: list[str], size: str) -> None:  # type: ignore[no-untyped-def]
    width, _ = SIZES[size]
    too_wide = []
    for role in ROLES:
        page = visit(role, SIZES[size])
        folder = SCREENSHOTS / size / (role.value if role else "anonyme")
        folder.mkdir(parents=True, exist_ok=True)
        for url in urls:
            response = page.goto(url)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            # A refusal or the sign-in form again: the same page as others, no new picture.
            shown = response is not None and response.status != 403 and page.url.endswith(url)
            if shown:
                page.screenshot(path=folder / f"{_file_name(url)}.png", timeout=30_000)
            if scroll_width > width:
                culprits = ", ".join(page.evaluate(OVERFLOWING, width))
                who = role.value if role else "anonyme"
                too_wide.append(f"{who} {url}: {scroll_width} px ({culprits})")
    assert too_wide == [], f"pages plus larges que {width} px :\n" + "\n".join(too_wide)


def test_the_menu_folds_on_a_phone_and_not_on_a_laptop(visit) -> None:  # type: ignore[no-untyped-def]
    phone = visit(Role.staff, SIZES["telephone"])
    menu = phone.locator("header nav")
    expect(menu.get_by_role("link", name="Annuaire")).to_be_hidden()
    menu.get_by_text("Menu").click()
    expect(menu.get_by_role("link", name="Annuaire")).to_be_visible()
    menu.get_by_role("link", name="Annuaire").click()
    expect(phone.get_by_role("heading", name="Annuaire des élus")).to_be_visible()
    search = phone.get_by_role("button", name="Rechercher")
    box = search.bounding_box()
    assert box and box["height"] < 80, box  # a normal button, not a tall pill

    laptop = visit(Role.staff, SIZES["ordinateur"])
    expect(laptop.locator("header nav").get_by_text("Menu")).to_be_hidden()
    expect(laptop.locator("header nav").get_by_role("link", name="Annuaire")).to_be_visible()
