"""The template editor's pages: versions, live preview, payloads refused."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.officials.models import Official
from app.templating.models import Template, TemplateVersion
from app.users.models import Role

pytestmark = pytest.mark.usefixtures("directory")


def test_template_editor_versions_and_previews(
    client: TestClient, sign_in_as, templates: dict[str, Template], session: Session
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.staff)
    template = templates["first_letter"]
    senator = session.scalar(select(Official).where(Official.kind == "senator"))
    assert senator is not None
    page = client.get(f"/modeles/{template.id}/apercu", params={"official_id": senator.id})
    assert "Sénat" in page.text and (
        "Madame la Sénatrice" in page.text or "Monsieur le Sénateur" in page.text
    )
    broken = client.post(
        f"/modeles/{template.id}",
        data={"csrf_token": token, "subject": "Objet", "body": "a\nb\n{{ official.age }}"},
    )
    assert broken.status_code == 422
    assert "Ligne 3 du corps" in broken.text
    client.post(
        f"/modeles/{template.id}",
        data={"csrf_token": token, "subject": "Objet 2", "body": "{{ official.salutation }},"},
    )
    numbers = session.scalars(
        select(TemplateVersion.number).where(TemplateVersion.template_id == template.id)
    ).all()
    assert sorted(numbers) == [1, 2]
    live = client.post(
        f"/modeles/{template.id}/apercu",
        data={
            "csrf_token": token,
            "subject": "S",
            "body": "{{ official.title }}",
            "official_id": senator.id,
        },
        headers={"HX-Request": "true"},
    )
    assert live.status_code == 200 and 'id="preview"' in live.text and "<html" not in live.text


def test_new_template_with_an_escape_payload_is_refused(
    client: TestClient, sign_in_as, session: Session
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.staff)
    response = client.post(
        "/modeles",
        data={
            "csrf_token": token,
            "name": "Pirate",
            "purpose": "first_letter",
            "subject": "x",
            "body": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        },
    )
    assert response.status_code == 422
    assert "accès interdit" in response.text
    assert session.scalar(select(Template.id).where(Template.name == "Pirate")) is None
