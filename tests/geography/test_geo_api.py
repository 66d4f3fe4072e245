"""GET /api/lookup and the public page /trouver-mon-elu, through the real app."""

import time
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select

from app.db import unit_of_work
from app.geography.cache import RECHECK_AFTER_SECONDS
from app.officials.models import Official


def test_lookup_by_postcode(geo_client: TestClient) -> None:
    response = geo_client.get("/api/lookup", params={"postcode": "75011"})
    assert response.status_code == 200
    body = response.json()
    assert body["postcode"] == "75011"
    [commune] = body["communes"]
    assert commune["insee"] == "75111"
    assert commune["department_code"] == "75"
    assert len(commune["circonscriptions"]) == 18
    assert commune["circonscriptions"][0] == {"department_code": "75", "number": 1, "partial": True}
    assert len(body["deputies"]) == 18
    deputy = body["deputies"][0]
    assert set(deputy) == {
        "id",
        "source_id",
        "kind",
        "civility",
        "first_name",
        "last_name",
        "group_code",
        "group_name",
        "department_code",
        "circonscription",
        "email",
    }
    assert deputy["kind"] == "deputy"
    assert all(s["kind"] == "senator" for s in body["senators"])
    assert body["notice"] is None


def test_lookup_by_insee_and_by_name(geo_client: TestClient) -> None:
    by_insee = geo_client.get("/api/lookup", params={"insee": "2a004"}).json()
    assert by_insee["communes"][0]["name"] == "Ajaccio"
    by_name = geo_client.get("/api/lookup", params={"commune": "saint-etienne"}).json()
    assert [c["insee"] for c in by_name["communes"]] == ["42218"]


def test_errors_are_french_json(geo_client: TestClient) -> None:
    malformed = geo_client.get("/api/lookup", params={"postcode": "750"})
    assert malformed.status_code == 422
    assert "5 chiffres" in malformed.json()["detail"]
    unknown = geo_client.get("/api/lookup", params={"postcode": "00000"})
    assert unknown.status_code == 404
    assert "La Poste" in unknown.json()["detail"]
    nothing = geo_client.get("/api/lookup")
    assert nothing.status_code == 422
    assert "code postal" in nothing.json()["detail"]
    too_long = geo_client.get("/api/lookup", params={"commune": "a" * 121})
    assert too_long.status_code == 422
    assert "120 caractères au plus" in too_long.json()["detail"]


def test_overseas_not_covered_is_a_200_with_a_notice(geo_client: TestClient) -> None:
    body = geo_client.get("/api/lookup", params={"postcode": "97600"}).json()
    assert "Mayotte" in body["notice"]
    assert {d["department_code"] for d in body["deputies"]} == {"976"}
    abroad = geo_client.get("/api/lookup", params={"postcode": "98000"}).json()
    assert "hors de France" in abroad["notice"]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value or "" for name, value in attrs if name == "href")


def links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def test_page_lets_the_person_choose_their_commune(geo_client: TestClient) -> None:
    page = geo_client.get("/trouver-mon-elu", params={"q": "51300"})
    assert page.status_code == 200
    assert "Plusieurs communes correspondent" in page.text
    choices = [href for href in links(page.text) if "/trouver-mon-elu?insee=" in href]
    assert len(choices) == 46
    chosen = geo_client.get(choices[0])
    assert "Votre commune" in chosen.text
    assert any(href.startswith("mailto:") for href in links(chosen.text))


def test_page_shows_officials_and_errors_in_french(geo_client: TestClient) -> None:
    page = geo_client.get("/trouver-mon-elu", params={"q": "Saint-Étienne"})
    assert "Vos sénateurs" in page.text and "Saint-Étienne" in page.text
    assert '<meta name="viewport"' in page.text
    bad = geo_client.get("/trouver-mon-elu", params={"q": "0000"})
    assert bad.status_code == 422 and "5 chiffres" in bad.text
    empty = geo_client.get("/trouver-mon-elu")
    assert empty.status_code == 200 and 'name="q"' in empty.text


def test_cached_answers_follow_a_change_made_elsewhere(
    geo_client: TestClient, geo_engine: Engine
) -> None:
    def deputies() -> list[str]:
        body = geo_client.get("/api/lookup", params={"postcode": "01000"}).json()
        return [d["last_name"] for d in body["deputies"]]

    before = deputies()
    assert before == deputies()  # answered from the cache
    ended = select(Official.id).where(
        Official.kind == "deputy", Official.department_code == "01", Official.circonscription == 1
    )
    with unit_of_work(geo_engine) as session:
        official = session.get_one(Official, session.scalar(ended))
        official.mandate_end = date(2026, 1, 1)
    try:
        assert seen_within_a_second(deputies, [n for n in before if n != official.last_name])
    finally:
        with unit_of_work(geo_engine) as session:
            session.get_one(Official, official.id).mandate_end = None
    assert seen_within_a_second(deputies, before)


def seen_within_a_second(answer: Callable[[], list[str]], expected: list[str]) -> bool:
    """The cache rereads the data's version once a second: a change shows by then, not later."""
    deadline = time.monotonic() + RECHECK_AFTER_SECONDS + 0.5
    while answer() != expected:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_communes_of_the_same_name_are_listed_never_merged(geo_client: TestClient) -> None:
    body = geo_client.get("/api/lookup", params={"commune": "Saint-Denis"}).json()
    departments = {c["department_code"] for c in body["communes"]}
    assert {"11", "30", "93", "974"} <= departments
    assert body["deputies"] == [] and body["senators"] == []
    assert "choisissez la vôtre" in body["notice"]
    page = geo_client.get("/trouver-mon-elu", params={"q": "Saint-Denis"})
    assert "Plusieurs communes correspondent" in page.text
    assert "Vos députés possibles" not in page.text
    assert sum("/trouver-mon-elu?insee=" in href for href in links(page.text)) == len(departments)


def test_answers_within_the_second_cost_no_database_round_trip(geo_client: TestClient) -> None:
    statements: list[str] = []
    engine: Engine = geo_client.app.state.engine  # type: ignore[attr-defined]

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    geo_client.get("/api/lookup", params={"postcode": "01000"}).raise_for_status()
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(5):
            assert geo_client.get("/api/lookup", params={"postcode": "01000"}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 1  # at most the version check, once the second has passed
