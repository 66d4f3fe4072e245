"""GET /api/lookup?address=…: geocoded by a real local geocoder answering recorded GeoCodeJSON."""

import asyncio
import time

from fastapi.testclient import TestClient
from geocoder_server import GeocoderServer

from app.geography.geocoder import Geocoder


def test_an_address_in_a_split_commune_gives_one_depute(
    address_client: TestClient, geocoder: GeocoderServer
) -> None:
    params = {"address": "12 rue Oberkampf", "postcode": "75011"}
    body = address_client.get("/api/lookup", params=params).json()
    [deputy] = body["deputies"]
    assert deputy["department_code"] == "75"
    [commune] = body["communes"]
    assert commune["insee"] == "75111"
    candidates = {c["number"] for c in commune["circonscriptions"]}
    assert deputy["circonscription"] in candidates
    assert body["position"]["label"] == "12 Rue Oberkampf 75011 Paris"
    assert body["position"]["score"] > 0.9
    assert body["notice"] is None
    sent = geocoder.requests[-1]
    assert sent["q"] == ["12 rue Oberkampf"] and sent["postcode"] == ["75011"]
    calls = len(geocoder.requests)
    assert address_client.get("/api/lookup", params=params).json() == body
    assert len(geocoder.requests) == calls  # answered from the cache


def test_lyon_address(address_client: TestClient) -> None:
    params = {"address": "20 rue de la republique lyon"}
    body = address_client.get("/api/lookup", params=params).json()
    [deputy] = body["deputies"]
    assert deputy["department_code"] == "69"
    assert body["communes"][0]["insee"] == "69382"


def test_a_low_score_asks_to_check(address_client: TestClient) -> None:
    body = address_client.get("/api/lookup", params={"address": "rue de la pax"}).json()
    assert len(body["deputies"]) == 1
    assert "Vérifiez l'adresse" in body["notice"] and "Rue de la Paix" in body["notice"]
    assert body["position"]["score"] < 0.5


def test_a_commune_alone_is_not_enough_in_a_split_commune(address_client: TestClient) -> None:
    body = address_client.get("/api/lookup", params={"address": "Toulouse"}).json()
    assert len(body["deputies"]) > 1
    assert "précisez le numéro et la rue" in body["notice"]


def test_an_unknown_address(address_client: TestClient) -> None:
    response = address_client.get("/api/lookup", params={"address": "1 allée inconnue"})
    assert response.status_code == 404 and "Adresse introuvable" in response.json()["detail"]
    hinted = address_client.get(
        "/api/lookup", params={"address": "1 allée inconnue", "postcode": "69001"}
    )
    assert hinted.status_code == 200
    assert "Adresse introuvable" in hinted.json()["notice"]
    assert len(hinted.json()["deputies"]) >= 1


def test_a_failing_or_slow_geocoder_falls_back_to_the_candidates(
    address_client: TestClient,
) -> None:
    for address in ("3 rue en panne", "4 rue lente"):
        started = time.perf_counter()
        response = address_client.get(
            "/api/lookup", params={"address": address, "postcode": "75011"}
        )
        assert time.perf_counter() - started < 2.8
        assert response.status_code == 200
        body = response.json()
        assert "ne répond pas" in body["notice"]
        assert len(body["deputies"]) == 18
    alone = address_client.get("/api/lookup", params={"address": "5 rue en panne"})
    assert alone.status_code == 503 and "code postal" in alone.json()["detail"]


def test_bad_hints_are_refused(address_client: TestClient) -> None:
    response = address_client.get("/api/lookup", params={"address": "1 rue", "postcode": "7501"})
    assert response.status_code == 422


def test_calls_stay_under_fifty_per_second(geocoder: GeocoderServer) -> None:
    client = Geocoder(geocoder.url)

    async def burst() -> None:
        await asyncio.gather(*(client.geocode(f"{n} rue de nulle part") for n in range(26)))

    started = time.perf_counter()
    asyncio.run(burst())
    assert time.perf_counter() - started >= 25 / 50
    assert client.calls == 26


def test_the_page_finds_the_one_depute_from_an_address(address_client: TestClient) -> None:
    page = address_client.get("/trouver-mon-elu", params={"q": "75011"})
    assert 'name="address"' in page.text and "Voir les 18 députés possibles" in page.text
    assert "ne suffit pas" in page.text
    answer = address_client.get(
        "/trouver-mon-elu", params={"q": "75011", "insee": "75111", "address": "12 rue Oberkampf"}
    )
    assert answer.status_code == 200
    assert "12 Rue Oberkampf 75011 Paris" in answer.text
    assert "Votre député" in answer.text and "députés possibles" not in answer.text
