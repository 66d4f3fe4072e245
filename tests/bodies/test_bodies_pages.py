"""The body's page, the official's bodies, the API and the directory's CSV filtered by body."""

import csv
import io
import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.officials.models import Official
from app.users.models import Role

DELEGATION = "PO804431"


def test_body_page_lists_members_with_role_group_and_stances(
    shipped: Session,
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
) -> None:
    sign_in_as(Role.viewer)
    page = client.get(f"/organes/{DELEGATION}")
    assert page.status_code == 200
    html = page.text
    assert "Délégation aux droits des enfants" in html
    assert html.count("<tr>") == 1 + 35
    assert "Président" in html and "Vice-président" in html and "Secrétaire" in html
    assert "1. Sensibilisation" in html and "Inconnue" in html
    listing = client.get("/organes", params={"chamber": "senat"})
    assert listing.status_code == 200 and "Commission des affaires sociales" in listing.text
    assert client.get("/organes/NOPE").status_code == 404


def test_official_page_lists_their_bodies(
    shipped: Session,
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
) -> None:
    sign_in_as(Role.viewer)
    api = client.get(f"/api/bodies/{DELEGATION}").json()
    assert api["members"] == 35 and api["kind_label"] == "Délégation"
    president = next(m for m in api["current_members"] if m["roles"][0] == "president")
    html = client.get(f"/annuaire/{president['official_id']}").text
    assert 'id="official-bodies"' in html
    assert f"/organes/{DELEGATION}" in html
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Délégation aux droits des enfants — Président" in text


def test_directory_csv_filters_by_body_and_role(
    shipped: Session,
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
) -> None:
    sign_in_as(Role.viewer)
    response = client.get("/annuaire/export.csv", params={"body": DELEGATION, "role": "membre"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 35
    ids = {row[-2] for row in rows[1:]}
    kinds = set(shipped.scalars(select(Official.kind).where(Official.source_id.in_(ids))))
    assert kinds == {"deputy"}
    page = client.get("/annuaire", params={"body": DELEGATION})
    assert page.status_code == 200 and f'value="{DELEGATION}"' in page.text
