"""`/api/letters/to-chase` cannot be taken for a letter id, whatever order the routers come in."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.letters import api as letters_api
from app.replies import api as replies_api
from app.users.models import Role
from app.web.errors import install_error_handlers


def test_to_chase_answers_even_behind_the_letter_routes(app: FastAPI, api_headers) -> None:  # type: ignore[no-untyped-def]
    reordered = FastAPI()
    reordered.state = app.state
    reordered.dependency_overrides = app.dependency_overrides
    install_error_handlers(reordered)
    reordered.include_router(letters_api.router)  # `/api/letters/{letter_id…}` first
    reordered.include_router(replies_api.router)
    headers = api_headers(Role.viewer)
    with TestClient(reordered, base_url="http://127.0.0.1") as client:
        response = client.get("/api/letters/to-chase", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["total"] == 0
        assert client.get("/api/letters/999999", headers=headers).status_code == 404
