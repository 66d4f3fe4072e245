"""What the fuzzing relies on, stated by hand: error body, bearer scheme, bounds, strictness."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.users.models import Role

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

CAMPAIGN = {"name": "Safer Internet Day", "slug": "sid"}


def test_schema_documents_error_body_statuses_and_bearer(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Jeton d'API (plt_…)",
    }
    send = schema["paths"]["/api/campaigns/{campaign_id}/send"]["post"]
    assert send["security"] == [{"bearerAuth": ["admin", "staff"]}]
    assert {"400", "401", "403", "404", "409", "422"} <= set(send["responses"])
    error = send["responses"]["422"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorBody"}
    lookup = schema["paths"]["/api/lookup"]["get"]
    assert "security" not in lookup and "503" in lookup["responses"]
    params = {p["name"]: p["schema"] for p in send["parameters"]}
    assert params["campaign_id"]["minimum"] == 1
    chase = schema["paths"]["/api/letters/to-chase"]["get"]["parameters"]
    bounds = {p["name"]: p["schema"] for p in chase}
    assert bounds["page"]["minimum"] == 1 and bounds["page"]["maximum"] == 100_000
    assert bounds["jours"]["anyOf"][0]["maximum"] == 3650


def test_validation_errors_answer_the_documented_body(
    client: TestClient, api_headers: Callable[[Role], dict[str, str]]
) -> None:
    answer = client.get("/api/officials?page=0")
    assert answer.status_code == 422
    body = answer.json()
    assert isinstance(body["detail"], str) and body["errors"][0]["field"] == "query.page"


def test_booleans_and_integers_are_strict(
    client: TestClient, api_headers: Callable[[Role], dict[str, str]]
) -> None:
    headers = api_headers(Role.staff)
    created = client.post("/api/campaigns", json=CAMPAIGN, headers=headers)
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    for body in ({"expected": False}, {"expected": "0"}, {"expected": 1.5}):
        answer = client.post(f"/api/campaigns/{campaign_id}/send", json=body, headers=headers)
        assert answer.status_code == 422, (body, answer.text)
    for flag in (1, "true", "yes"):
        answer = client.post(
            "/api/campaigns", json={**CAMPAIGN, "slug": "x", "is_paused": flag}, headers=headers
        )
        assert answer.status_code == 422, (flag, answer.text)


def test_a_huge_description_is_refused_by_api_and_form(
    client: TestClient, api_headers: Callable[[Role], dict[str, str]], sign_in_as
) -> None:  # type: ignore[no-untyped-def]
    huge = "x" * 10_000_000
    answer = client.post(
        "/api/campaigns", json={**CAMPAIGN, "description": huge}, headers=api_headers(Role.staff)
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "description"
    csrf = sign_in_as(Role.staff)
    form = {**CAMPAIGN, "description": huge, "csrf_token": csrf}
    page = client.post("/campagnes", data=form, follow_redirects=False)
    assert page.status_code == 422


def test_trace_gets_405_with_allow(client: TestClient) -> None:
    answer = client.request("TRACE", "/api/demands")
    assert answer.status_code == 405
    assert "GET" in answer.headers["allow"]
    assert answer.json() == {"detail": "Méthode non autorisée pour cette adresse."}
