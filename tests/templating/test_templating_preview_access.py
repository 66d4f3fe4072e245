"""Previewing an unsaved text runs new template code: staff only. Every signed-in role may still
preview the saved version, on the API and on the editor page."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.officials.models import Official
from app.templating.defaults import seed_default_templates
from app.templating.models import Template, TemplateVersion
from app.users.models import Role


@pytest.fixture
def saved(session: Session) -> tuple[TemplateVersion, Official]:
    seed_default_templates(session)
    template = session.scalars(select(Template).order_by(Template.id)).first()
    assert template is not None
    version = session.scalars(
        select(TemplateVersion).where(TemplateVersion.template_id == template.id)
    ).one()
    official = Official(
        kind="senator",
        source_id="S-APERCU",
        civility="M.",
        first_name="Jean",
        last_name="Apercu",
        search_name="jean apercu",
        department_code="01",
        department_name="Ain",
    )
    session.add(official)
    session.flush()
    return version, official


@pytest.mark.parametrize("role", [Role.viewer, Role.director])
def test_readers_preview_only_the_saved_text_on_the_api(
    client: TestClient, api_headers, saved: tuple[TemplateVersion, Official], role: Role
) -> None:  # type: ignore[no-untyped-def]
    version, official = saved
    url = f"/api/templates/{version.template_id}/preview"
    headers = api_headers(role)
    shown = client.post(url, json={"official_id": official.id}, headers=headers)
    assert shown.status_code == 200 and "Monsieur le Sénateur" in shown.json()["body"]
    same = {"official_id": official.id, "subject": version.subject, "body": version.body}
    assert client.post(url, json=same, headers=headers).status_code == 200
    changed = {**same, "body": "{{ official.last_name }}"}
    refused = client.post(url, json=changed, headers=headers)
    assert refused.status_code == 403
    assert "Seule l'équipe" in refused.json()["detail"]
    staff = client.post(url, json=changed, headers=api_headers(Role.staff))
    assert staff.status_code == 200 and staff.json()["body"] == "Apercu"


def test_a_viewer_previews_the_saved_text_on_the_page_but_not_an_edit(
    client: TestClient, sign_in_as, saved: tuple[TemplateVersion, Official]
) -> None:  # type: ignore[no-untyped-def]
    version, official = saved
    token = sign_in_as(Role.viewer)
    form = {
        "csrf_token": token,
        "subject": version.subject,
        "body": version.body.replace("\n", "\r\n"),  # as a browser sends a textarea
        "official_id": official.id,
    }
    url = f"/modeles/{version.template_id}/apercu"
    shown = client.post(url, data=form)
    assert shown.status_code == 200 and "Monsieur le Sénateur" in shown.text
    refused = client.post(url, data={**form, "body": "{{ official.last_name }}"})
    assert refused.status_code == 403 and "prévisualiser un texte modifié" in refused.text
