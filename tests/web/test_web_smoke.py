from fastapi.testclient import TestClient

from app.users.models import Role


def test_health_names_the_database(client: TestClient, backend: str) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["database"] == backend


def test_demands_are_public_and_in_manifesto_order(client: TestClient) -> None:
    numbers = [d["number"] for d in client.get("/api/demands").json()]
    assert numbers == [1, 2, 3, 4]


def test_staff_signs_in_and_reaches_a_page(client: TestClient, sign_in_as) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.admin)
    response = client.get("/admin/journal")
    assert response.status_code == 200
    assert "login" in response.text


def test_api_token_identifies_the_user(client: TestClient, api_headers) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/me", headers=api_headers(Role.viewer)).json()["role"] == "viewer"
