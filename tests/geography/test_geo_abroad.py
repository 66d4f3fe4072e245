"""Français établis hors de France: the country of residence gives the one circonscription, its
député and the sénateurs of the French abroad; on the API, on the page, from the search box."""

from collections import Counter

import pytest
from fastapi.testclient import TestClient

from app.geography.abroad import CIRCONSCRIPTIONS, country_table
from app.geography.codes import ABROAD_SEATS
from app.text import fold


def test_the_table_covers_eleven_circonscriptions_without_ambiguity() -> None:
    table = country_table()
    sizes = Counter(c.circonscription for c in table.countries)
    assert sorted(sizes) == list(CIRCONSCRIPTIONS)
    # Tableau n° 1 ter: 2 + 33 + 10 + 3 + 4 + 2 + 16 + 9 + 16 + 48 (+ Soudan du Sud) + 50.
    assert [sizes[n] for n in CIRCONSCRIPTIONS] == [2, 33, 10, 3, 4, 2, 16, 9, 16, 49, 50]
    names = [fold(n) for c in table.countries for n in (c.name, *c.also_known_as)]
    assert len(names) == len(set(names)), "un nom désigne deux pays"
    monaco = table.find("Monaco")
    assert monaco is not None and monaco.circonscription == ABROAD_SEATS["99138"]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("Allemagne", 7),
        ("allemagne", 7),
        ("USA", 1),
        ("Angleterre", 3),
        ("Côte d’Ivoire", 9),
        ("cote d'ivoire", 9),
        ("Libye", 9),
        ("Bénin", 10),
        ("Émirats arabes unis", 10),
        ("Saint-Siège", 8),
        ("Vatican", 8),
        ("Moldavie", 11),
        ("Myanmar", 11),
        ("Suisse", 6),
    ],
)
def test_a_country_gives_its_one_deputy_and_the_senators_abroad(
    geo_client: TestClient, typed: str, number: int
) -> None:
    response = geo_client.get("/api/lookup", params={"country": typed})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(d["department_code"], d["circonscription"]) for d in body["deputies"]] == [
        ("099", number)
    ]
    assert body["deputies"][0]["source_id"].startswith("PA")
    assert len(body["senators"]) == 12
    assert {s["department_code"] for s in body["senators"]} == {"099"}
    ordinal = "1re" if number == 1 else f"{number}e"
    assert f"{ordinal} circonscription des Français établis hors de France" in body["notice"]


def test_an_unknown_country_is_a_404_with_suggestions(geo_client: TestClient) -> None:
    response = geo_client.get("/api/lookup", params={"country": "Alemagne"})
    assert response.status_code == 404
    assert "« Allemagne »" in response.json()["detail"]
    nothing = geo_client.get("/api/lookup", params={"country": "Zzzzzz"})
    assert nothing.status_code == 404 and "Choisissez-le dans la liste" in nothing.text
    short = geo_client.get("/api/lookup", params={"country": "x"})
    assert short.status_code == 422 and "pays" in short.text


def test_a_country_typed_in_the_search_box_is_found(geo_client: TestClient) -> None:
    abroad = geo_client.get("/api/lookup", params={"commune": "Allemagne"}).json()
    assert [d["circonscription"] for d in abroad["deputies"]] == [7]
    # A commune bearing the very name still wins: Grenade is in Haute-Garonne.
    grenade = geo_client.get("/api/lookup", params={"commune": "Grenade"}).json()
    assert [c["department_code"] for c in grenade["communes"]] == ["31"]


def test_the_page_lets_a_person_abroad_choose_the_country(geo_client: TestClient) -> None:
    start = geo_client.get("/trouver-mon-elu", params={"q": "je vis à l'étranger"})
    assert start.status_code == 200
    assert '<details id="abroad" open>' in start.text
    assert '<option value="Japon">Japon</option>' in start.text
    chosen = geo_client.get("/trouver-mon-elu", params={"pays": "Japon"})
    assert chosen.status_code == 200
    assert "Votre député" in chosen.text and "11e circonscription" in chosen.text
    assert '<option value="Japon" selected>' in chosen.text
    wrong = geo_client.get("/trouver-mon-elu", params={"pays": "Japn"})
    assert wrong.status_code == 404 and "« Japon »" in wrong.text
