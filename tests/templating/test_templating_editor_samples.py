"""The editor for non-developers: buttons that insert each placeholder, and the text previewed
side by side for a députée, a sénateur and a minister."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.officials.models import Official
from app.templating.models import Template
from app.templating.placeholders import PLACEHOLDERS
from app.users.models import Role

pytestmark = pytest.mark.usefixtures("directory")


def test_the_editor_offers_placeholders_and_three_previews(
    client: TestClient, sign_in_as, templates: dict[str, Template]
) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.staff)
    page = client.get(f"/modeles/{templates['first_letter'].id}").text
    assert 'data-placeholders-for="template-body" hidden' in page
    assert page.count("data-insert=") == len(PLACEHOLDERS)
    assert 'data-insert="{{ official.salutation }}"' in page
    assert "/static/template-editor.js" in page and "<script>" not in page
    previews = re.findall(r"<header><strong>([^<]+)</strong><br>Objet", page)
    assert previews == ["Une députée", "Un sénateur", "Une ministre"]
    assert "Madame la Députée," in page and "Monsieur le Sénateur," in page
    assert "En tant que députée de la 2e circonscription du Rhône" in page
    assert "En tant que ministre déléguée chargée du numérique" in page
    assert "Nous vous prions d&#39;agréer, Madame la Ministre" in page
    assert '<textarea id="template-body" name="body"' in page  # the raw Jinja stays editable


def test_the_live_preview_renders_the_edited_text_for_the_three_samples(
    client: TestClient, sign_in_as, templates: dict[str, Template], session: Session
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.staff)
    deputy = session.scalar(select(Official).where(Official.kind == "deputy"))
    assert deputy is not None
    url = f"/modeles/{templates['follow_up'].id}/apercu"
    form = {"csrf_token": token, "subject": "S", "official_id": deputy.id}
    live = client.post(
        url,
        data={**form, "body": "{{ official.salutation }} / {{ official.function }}"},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in live.text
    assert "Madame la Députée / députée de la 2e circonscription du Rhône" in live.text
    assert "Monsieur le Sénateur / sénateur de l&#39;Ain" in live.text
    assert "Madame la Ministre / ministre déléguée chargée du numérique" in live.text
    broken = client.post(
        url, data={**form, "body": "{{ official.age }}"}, headers={"HX-Request": "true"}
    )
    assert "Ligne 1 du corps" in broken.text and "Une députée" not in broken.text


def test_readers_see_no_insert_buttons(
    client: TestClient, sign_in_as, templates: dict[str, Template]
) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.viewer)
    page = client.get(f"/modeles/{templates['first_letter'].id}").text
    assert "data-insert=" not in page and "Une députée" in page
