"""Forgiving names, French people abroad, overseas territories by name, the split-commune page."""

import re

import pytest
from fastapi.testclient import TestClient


def lookup(client: TestClient, **params: str) -> dict:  # type: ignore[type-arg]
    response = client.get("/api/lookup", params=params)
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


@pytest.mark.parametrize(
    ("typed", "insee"), [("Marseile", "13055"), ("Toulouze", "31555"), ("Montpelier", "34172")]
)
def test_a_misspelt_name_suggests_the_commune(
    geo_client: TestClient, typed: str, insee: str
) -> None:
    body = lookup(geo_client, commune=typed)
    assert body["suggestions"][0]["insee"] == insee
    assert body["suggestions"][0]["department_name"]


@pytest.mark.parametrize("typed", ["st etienne", "St-Étienne", "ST ETIENNE", "saint etienne"])
def test_abbreviations_find_the_commune(geo_client: TestClient, typed: str) -> None:
    body = lookup(geo_client, commune=typed)
    assert [c["insee"] for c in body["communes"]] == ["42218"]


def test_ste_foy_lists_the_sainte_foy_communes(geo_client: TestClient) -> None:
    body = lookup(geo_client, commune="ste foy")
    names = {c["name"] for c in body["communes"]}
    assert len(names) >= 1 and all(n.startswith("Sainte-Foy") for n in names)
    assert body["deputies"] == []  # several communes: the person chooses


def test_nothing_close_is_still_a_404(geo_client: TestClient) -> None:
    response = geo_client.get("/api/lookup", params={"commune": "xyzzy-sur-rien"})
    assert response.status_code == 404


def test_the_page_offers_did_you_mean_links(geo_client: TestClient) -> None:
    page = geo_client.get("/trouver-mon-elu", params={"q": "Marseile"})
    assert page.status_code == 200 and "Vouliez-vous dire" in page.text
    assert "/trouver-mon-elu?insee=13055" in page.text
    chosen = geo_client.get("/trouver-mon-elu", params={"insee": "13055"})
    assert "Marseille" in chosen.text and "Vos sénateurs" in chosen.text


@pytest.mark.parametrize("typed", ["étranger", "Français de l'étranger", "hors de France"])
def test_french_people_abroad(geo_client: TestClient, typed: str) -> None:
    body = lookup(geo_client, commune=typed)
    seats = [(d["department_code"], d["circonscription"]) for d in body["deputies"]]
    assert seats == [("099", n) for n in range(1, 12)]
    assert len(body["senators"]) == 12
    assert {s["department_code"] for s in body["senators"]} == {"099"}
    assert "États-Unis" in body["notice"] and "1re" in body["notice"]
    assert all(d["source_id"].startswith("PA") for d in body["deputies"])


def test_monaco_votes_in_the_fifth_circonscription_abroad(geo_client: TestClient) -> None:
    body = lookup(geo_client, postcode="98000")
    assert [(d["department_code"], d["circonscription"]) for d in body["deputies"]] == [("099", 5)]
    assert len(body["senators"]) == 12


@pytest.mark.parametrize(
    ("typed", "department", "deputies"),
    [
        ("Polynésie française", "987", 3),
        ("Nouvelle-Calédonie", "988", 2),
        ("Wallis-et-Futuna", "986", 1),
        ("Saint-Pierre-et-Miquelon", "975", 1),
        ("Mayotte", "976", 2),
    ],
)
def test_overseas_territories_by_name(
    geo_client: TestClient, typed: str, department: str, deputies: int
) -> None:
    body = lookup(geo_client, commune=typed)
    assert {d["department_code"] for d in body["deputies"]} == {department}
    assert len(body["deputies"]) == deputies
    assert body["senators"] and {s["department_code"] for s in body["senators"]} == {department}


@pytest.mark.parametrize(
    ("postcode", "senators", "deputies"),
    [
        ("97133", "977", "977"),
        ("97150", "978", "977"),
        ("98714", "987", "987"),
        ("98800", "988", "988"),
    ],
)
def test_overseas_territories_by_postcode(
    geo_client: TestClient, postcode: str, senators: str, deputies: str
) -> None:
    body = lookup(geo_client, postcode=postcode)
    assert {d["department_code"] for d in body["deputies"]} == {deputies}
    assert {s["department_code"] for s in body["senators"]} == {senators}


def test_st_barthelemy_is_among_the_saint_barthelemy_communes(geo_client: TestClient) -> None:
    body = lookup(geo_client, commune="Saint-Barthélemy")
    assert "97701" in {c["insee"] for c in body["communes"]}


def test_a_paris_postcode_asks_for_the_address_first(geo_client: TestClient) -> None:
    page = geo_client.get("/trouver-mon-elu", params={"q": "75011"}).text
    assert "ne suffit pas" in page and "Paris 11e Arrondissement" in page
    assert page.index('id="address-form"') < page.index("Voir les 18 députés possibles")
    assert re.search(r"<details>\s*<summary>Voir les 18 députés", page)


def test_a_postcode_of_several_communes_groups_their_deputies(geo_client: TestClient) -> None:
    page = geo_client.get("/trouver-mon-elu", params={"q": "01000"}).text
    assert "commune par commune" in page
    assert page.index("<h3>Bourg-en-Bresse") < page.index("<h3>Saint-Denis-lès-Bourg")


def test_the_position_button_is_a_static_script_hidden_without_javascript(
    geo_client: TestClient,
) -> None:
    page = geo_client.get("/trouver-mon-elu").text
    assert re.search(
        r'<form method="get" action="/trouver-mon-elu" class="geolocate" hidden>', page
    )
    assert "/static/geolocate.js" in page and "<script>" not in page
    script = geo_client.get("/static/geolocate.js")
    assert script.status_code == 200 and "navigator.geolocation" in script.text
    answer = geo_client.get("/trouver-mon-elu", params={"lat": "48.8590", "lon": "2.3790"}).text
    assert "Votre député" in answer and "Dorine Bregman" in answer


@pytest.mark.parametrize("typed", ["Ardèche", "ardeche", "07"])
def test_a_department_gives_its_senators_and_a_search_of_its_communes(
    geo_client: TestClient, typed: str
) -> None:
    body = lookup(geo_client, commune=typed)
    assert body["department"] == {"code": "07", "name": "Ardèche"}
    assert body["deputies"] == []  # never every député of the département as « yours »
    assert len(body["senators"]) == 2
    assert {s["department_code"] for s in body["senators"]} == {"07"}
    page = geo_client.get("/trouver-mon-elu", params={"q": typed})
    assert page.status_code == 200
    assert 'name="departement" value="07"' in page.text


def test_a_commune_is_searched_within_the_department(geo_client: TestClient) -> None:
    # Saint-Denis is in the Aude, the Gard, Seine-Saint-Denis, La Réunion…: « 93 » settles it.
    body = lookup(geo_client, commune="Saint-Denis", department="93")
    assert [c["insee"] for c in body["communes"]] == ["93066"]
    page = geo_client.get("/trouver-mon-elu", params={"q": "Privas", "departement": "07"})
    assert page.status_code == 200 and "Votre député" in page.text
    elsewhere = geo_client.get("/api/lookup", params={"commune": "Privas", "department": "93"})
    assert elsewhere.status_code == 404 and "dans ce département" in elsewhere.text
    unknown = geo_client.get("/api/lookup", params={"commune": "Privas", "department": "96"})
    assert unknown.status_code == 422 and "96" in unknown.text


@pytest.mark.parametrize("typed", ["93", "974", "2A"])
def test_a_department_number_on_the_page_is_not_an_error(
    geo_client: TestClient, typed: str
) -> None:
    page = geo_client.get("/trouver-mon-elu", params={"q": typed})
    assert page.status_code == 200, page.text
    assert 'id="department-search"' in page.text  # its communes' search, not a postcode error
