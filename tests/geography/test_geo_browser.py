"""The address journey of « Trouver mon élu » in Chromium on a phone screen, with and without
JavaScript, against the real app (`plaidoyer serve`) and the local recorded geocoder; with
JavaScript, « Utiliser ma position » too."""

import os
from collections.abc import Iterator

import pytest
from geo_files import ROOT
from geocoder_server import GeocoderServer

from app.db import build_engine, unit_of_work
from app.geography.service import load_project_geography
from app.officials.sync import load_project_data
from tests.browser import PHONE
from tests.live import served

OBERKAMPF = "12 Rue Oberkampf 75011 Paris"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(  # type: ignore[no-untyped-def]
    make_migrated_url, geocoder: GeocoderServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    url: str = make_migrated_url("sqlite")
    engine = build_engine(url)
    with unit_of_work(engine) as session:
        load_project_geography(session, ROOT / "data")
        load_project_data(session, ROOT / "data", None)
    engine.dispose()
    data_dir = tmp_path_factory.mktemp("trouver")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAIDOYER_")}
    env |= {
        "DATABASE_URL": url,
        "PLAIDOYER_DATA_DIR": str(data_dir),
        "PLAIDOYER_GEOCODER_URL": geocoder.url,
        "PLAIDOYER_SECRET_KEY": "clé-de-test-du-navigateur-assez-longue",
    }
    with served(env, data_dir / "server.log") as base:
        yield base


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
def test_address_journey_on_a_phone(browser, site: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=site, locale="fr-FR", viewport=PHONE, java_script_enabled=javascript
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/trouver-mon-elu")
    assert page.locator("form.geolocate").first.is_visible() is javascript
    page.fill("input[name='q']", "75011")
    page.click("form[role=search] button")
    page.wait_for_selector("text=ne suffit pas")
    assert page.locator("#deputies details").count() == 1  # the 18 candidates, folded away
    page.fill("#address", "12 rue Oberkampf")
    page.click("#address-form button[type=submit]")
    page.wait_for_selector(f"text={OBERKAMPF}")
    assert page.locator("#deputies h2").inner_text() == "Votre député"
    assert page.locator("#deputies article").count() == 1
    if javascript:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_a_misspelt_commune_offers_a_link(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=site, locale="fr-FR", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/trouver-mon-elu?q=Marseile")
    page.click("#suggestions >> text=Marseille")
    page.wait_for_selector("text=Votre commune")
    assert "insee=13055" in page.url
    context.close()


def test_use_my_position(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=site,
        locale="fr-FR",
        viewport=PHONE,
        geolocation={"latitude": 48.8590, "longitude": 2.3790},
        permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/trouver-mon-elu")
    page.locator("form.geolocate button").first.click()
    page.wait_for_selector("#deputies h2:has-text('Votre député')")
    assert "lat=48.859" in page.url and "lon=2.379" in page.url
    assert page.locator("#deputies article").count() == 1
    context.close()


def test_abroad_journey_without_javascript(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=site, locale="fr-FR", viewport=PHONE, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/trouver-mon-elu")
    page.click("#abroad summary")
    page.select_option("#pays", "Allemagne")
    page.click("#abroad button[type=submit]")
    page.wait_for_selector("text=7e circonscription des Français établis hors de France")
    assert page.locator("#deputies h2").inner_text() == "Votre député"
    assert page.locator("#deputies article").count() == 1
    context.close()
