"""The templates' JSON API: a broken body is refused naming its line, edits make versions,
readers preview against an official."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.officials.models import Official
from app.templating.models import Template
from app.users.models import Role

pytestmark = pytest.mark.usefixtures("directory")


def test_template_api_validates_and_versions(
    client: TestClient, api_headers, templates: dict[str, Template], session: Session
) -> None:  # type: ignore[no-untyped-def]
    staff = api_headers(Role.staff)
    bad = client.post(
        "/api/templates",
        json={"name": "Mauvais", "subject": "S", "body": "ok\n{% if %}"},
        headers=staff,
    )
    assert bad.status_code == 422
    assert "Ligne 2 du corps" in bad.json()["detail"]
    template_id = templates["follow_up"].id
    updated = client.put(
        f"/api/templates/{template_id}",
        json={"subject": "Relance", "body": "{{ official.closing }}"},
        headers=staff,
    ).json()
    assert updated["latest"]["number"] == 2
    minister = session.scalar(select(Official).where(Official.kind == "minister"))
    assert minister is not None
    shown = client.post(
        f"/api/templates/{template_id}/preview",
        json={"official_id": minister.id},
        headers=api_headers(Role.viewer),
    ).json()
    assert shown["body"].endswith("l'expression de ma très haute considération.")
    assert "la Ministre" in shown["body"] or "le Ministre" in shown["body"]
    versions = client.get(f"/api/templates/{template_id}/versions", headers=staff).json()
    assert [v["number"] for v in versions] == [2, 1]
