"""The campaign form: a mistake comes back beside its field with everything typed (422), the
short address comes from the name, a lone template is preselected, and bodies can be targeted."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.campaigns.form import derive_slug
from app.campaigns.models import Campaign
from app.letters.models import Letter
from app.officials.models import Official
from app.templating.models import Template, TemplatePurpose
from app.users.models import Role
from tests.factories import add_campaign, add_template


def typed(token: str, **fields: object) -> dict[str, object]:
    form: dict[str, object] = {
        "csrf_token": token,
        "name": "Lecture au Sénat",
        "slug": "",
        "description": "Deuxième lecture, « urgence » déclarée.",
        "demands": ["2", "4"],
        "kind": "senator",
        "departement": "69",
        "starts_on": "2027-02-10",
    }
    return form | fields


def error_of(html: str, field: str) -> str:
    found = re.search(rf'<small id="{field}-error" class="error-text">([^<]*)</small>', html)
    assert found, f"no error beside {field}"
    return found.group(1)


def assert_kept(html: str) -> None:
    assert 'value="Lecture au Sénat"' in html
    assert "Deuxième lecture, « urgence » déclarée.</textarea>" in html
    assert re.search(r'value="2"\s+checked', html) and re.search(r'value="4"\s+checked', html)
    assert not re.search(r'value="1"\s+checked', html)
    assert 'value="senator" selected' in html
    assert 'name="departement" maxlength="3" value="69"' in html
    assert 'value="2027-02-10"' in html


def test_a_taken_short_address_is_said_beside_it_with_everything_kept(
    client: TestClient, session: Session, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    add_campaign(session, slug="lecture-au-senat")
    token = sign_in_as(Role.staff)
    response = client.post("/campagnes", data=typed(token, slug="lecture-au-senat"))
    assert response.status_code == 422
    assert "Erreur 409" not in response.text and 'id="campaign-form"' in response.text
    assert "déjà celle d&#39;une autre campagne" in error_of(response.text, "slug")
    assert 'aria-invalid="true" aria-describedby="slug-error"' in response.text
    assert_kept(response.text)
    assert session.scalar(select(func.count(Campaign.id))) == 1


def test_mistakes_in_several_fields_are_each_beside_theirs(
    client: TestClient, session: Session, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in_as(Role.staff)
    response = client.post(
        "/campagnes",
        data=typed(token, slug="Pas Bon", departement="999x", starts_on="10/02/2027"),
    )
    assert response.status_code == 422
    assert "minuscules" in error_of(response.text, "slug")
    assert "département" in error_of(response.text, "departement")
    assert "date invalide" in error_of(response.text, "starts_on")
    assert 'value="pas bon"' in response.text
    dates = client.post("/campagnes", data=typed(token, ends_on="2027-01-01"))
    assert dates.status_code == 422
    assert "fin précède" in error_of(dates.text, "ends_on")
    long_name = client.post("/campagnes", data=typed(token, name="x" * 201))
    assert long_name.status_code == 422
    assert "200 caractères au plus" in error_of(long_name.text, "name")
    assert session.scalar(select(func.count(Campaign.id))) == 0


def test_the_short_address_comes_from_the_name(
    client: TestClient, session: Session, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    assert derive_slug("Journée pour un Internet plus sûr — l'œuvre") == (
        "journee-pour-un-internet-plus-sur-l-oeuvre"
    )
    token = sign_in_as(Role.staff)
    named = typed(token, name="Journée : Internet plus sûr !")
    response = client.post("/campagnes", data=named, follow_redirects=False)
    assert response.status_code == 303, response.text
    created = session.scalars(select(Campaign)).one()
    assert created.slug == "journee-internet-plus-sur"
    form = client.get("/campagnes/nouvelle").text
    assert 'id="campaign-slug"' in form and "data-from-name" in form
    assert "campaign-form.js" in form


def test_a_template_alone_of_its_kind_is_preselected(
    client: TestClient, session: Session, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    first = add_template(session, purpose=TemplatePurpose.first_letter)
    add_template(session)
    add_template(session)
    sign_in_as(Role.staff)
    html = client.get("/campagnes/nouvelle").text
    assert f'<option value="{first.id}" selected>' in html
    follow_ups = re.search(r'name="follow_up_template_id".*?</select>', html, re.DOTALL)
    assert follow_ups and "selected" not in follow_ups.group()


def test_a_body_and_a_role_target_the_campaign(
    client: TestClient, session: Session, sign_in_as, make_official
) -> None:  # type: ignore[no-untyped-def]
    body = Body(
        source_id="PO804431",
        chamber="an",
        kind="DELEG",
        name="Délégation aux droits des enfants",
        short_name="Droits des enfants",
    )
    session.add(body)
    session.flush()
    members: list[Official] = [make_official() for _ in range(3)]
    for official, role in zip(members, ("president", "membre", "membre"), strict=True):
        session.add(Membership(body_id=body.id, official_id=official.id, role=role))
    session.flush()
    token = sign_in_as(Role.staff)
    form = client.get("/campagnes/nouvelle").text
    assert '<option value="PO804431">Droits des enfants</option>' in form
    assert '<option value="president" >Président</option>' in form

    unknown = client.post("/campagnes", data=typed(token, kind="", body="PO000000"))
    assert unknown.status_code == 422
    assert "Aucun organe « PO000000 »" in error_of(unknown.text, "body")
    assert 'value="PO000000"' in unknown.text

    done = client.post(
        "/campagnes",
        data=typed(token, kind="", departement="", body="PO804431", role="membre"),
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    campaign = session.scalars(select(Campaign)).one()
    assert campaign.target_filter["body"] == "PO804431"
    assert campaign.target_filter["role"] == "membre"
    edit = client.get(f"/campagnes/{campaign.id}/modifier").text
    assert 'value="PO804431"' in edit and '<option value="membre" selected>' in edit


def test_an_edit_with_a_mistake_keeps_what_was_typed(
    client: TestClient, session: Session, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    add_campaign(session, slug="prise")
    mine = add_campaign(session, name="La mienne", slug="la-mienne")
    token = sign_in_as(Role.staff)
    response = client.post(f"/campagnes/{mine.id}", data=typed(token, slug="prise"))
    assert response.status_code == 422
    assert error_of(response.text, "slug")
    assert_kept(response.text)
    session.refresh(mine)
    assert (mine.name, mine.slug) == ("La mienne", "la-mienne")


@pytest.mark.usefixtures("directory")
def test_generating_without_a_first_template_says_so_on_the_campaign(
    client: TestClient, session: Session, sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    bare = add_campaign(session, name="Sans modèle")
    token = sign_in_as(Role.staff)
    response = client.post(f"/campagnes/{bare.id}/generer", data={"csrf_token": token})
    assert response.status_code == 200
    assert "Erreur 422" not in response.text
    assert "Choisissez d&#39;abord le modèle de premier courrier" in response.text
    assert session.scalar(select(func.count(Letter.id))) == 0
    assert session.scalar(select(func.count(Template.id))) == 0
