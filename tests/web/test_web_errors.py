"""Bad input gets a readable 4xx (JSON on /api, a French page elsewhere), never a 500 or a trace."""

from collections.abc import Iterator
from html import unescape
from urllib.parse import quote

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.users.deps import StaffUser
from app.users.models import Role
from tests.routes import PLACEHOLDER_ID, endpoints

ODD_VALUES = [
    "",
    "abc",
    "-1",
    "0",
    "9" * 25,
    "x" * 3000,
    "é'\"<script>alert(1)</script>",
    "a\x00b",
    "../../etc/passwd",
    "%",
]


def is_french_page(response, status: int) -> bool:  # type: ignore[no-untyped-def]
    return (
        response.status_code == status
        and response.headers["content-type"].startswith("text/html")
        and 'lang="fr"' in response.text
        and f"Erreur {status}" in response.text
    )


def assert_clean(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, response.text[:500]
    assert "Traceback" not in response.text


def test_unknown_routes(probe: TestClient) -> None:
    api = probe.get("/api/nexiste-pas")
    assert api.status_code == 404
    assert api.json() == {"detail": "Cette page n'existe pas."}
    page = probe.get("/nexiste/pas")
    assert is_french_page(page, 404)
    assert "Cette page n'existe pas." in unescape(page.text)


def test_wrong_method(probe: TestClient) -> None:
    assert probe.delete("/api/health").status_code == 405
    assert "detail" in probe.delete("/api/health").json()
    page = probe.get("/deconnexion")
    assert is_french_page(page, 405)
    assert "Méthode non autorisée" in page.text


def test_missing_token_and_forbidden_role_on_the_api(
    app_with_probes: FastAPI,
    api_headers,  # type: ignore[no-untyped-def]
) -> None:
    with TestClient(app_with_probes) as browser:
        missing = browser.get("/api/_tests/staff")
        forbidden = browser.get("/api/_tests/staff", headers=api_headers(Role.viewer))
        allowed = browser.get("/api/_tests/staff", headers=api_headers(Role.staff))
    assert missing.status_code == 401
    assert "Jeton d'API manquant" in missing.json()["detail"]
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "Votre rôle ne permet pas cette action."}
    assert allowed.json() == "staff@test.fr"


def test_forbidden_role_on_a_page(
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
) -> None:
    sign_in_as(Role.staff)
    response = client.get("/admin/journal")
    assert is_french_page(response, 403)
    assert "Votre rôle ne permet pas cette action." in response.text


def test_invalid_form_fields_are_explained_in_french(
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
) -> None:
    csrf = sign_in_as(Role.admin)
    missing = client.post("/admin/utilisateurs", data={"csrf_token": csrf})
    assert is_french_page(missing, 422)
    assert "champ obligatoire manquant" in missing.text
    form = {"email": "a@b.fr", "password": "x" * 20, "role": "superuser", "csrf_token": csrf}
    bad_role = client.post("/admin/utilisateurs", data=form)
    assert is_french_page(bad_role, 422)
    assert "valeur non autorisée" in bad_role.text
    short = client.post("/admin/utilisateurs", data={**form, "role": "staff", "password": "court"})
    assert is_french_page(short, 422)
    assert "au moins 12 caractères" in short.text
    bad_id = client.post("/admin/utilisateurs/abc", data={"role": "staff", "csrf_token": csrf})
    assert is_french_page(bad_id, 422)
    assert "nombre entier attendu" in bad_id.text
    assert is_french_page(client.get("/admin/journal", params={"page": "deux"}), 422)
    huge = client.get("/admin/journal", params={"page": "9" * 25})
    assert is_french_page(huge, 422)
    assert "hors des limites" in huge.text


@pytest.fixture
def app_with_probes(app: FastAPI) -> Iterator[FastAPI]:
    """The app plus routes of its own: a JSON body to malform, a staff-only API, a crash."""

    class Sample(BaseModel):
        name: str
        count: int

    router = APIRouter()

    @router.post("/api/_tests/echo")
    def echo(sample: Sample) -> Sample:
        return sample

    @router.get("/api/_tests/staff")
    def staff_only(user: StaffUser) -> str:
        return user.email

    @router.get("/api/_tests/crash")
    @router.get("/_tests/crash")
    def crash() -> None:
        raise RuntimeError("secret interne : mot de passe de la base")

    app.include_router(router)
    yield app


def test_malformed_json_gets_a_french_422(app_with_probes: FastAPI) -> None:
    with TestClient(app_with_probes, raise_server_exceptions=False) as browser:
        broken = browser.post(
            "/api/_tests/echo", content=b'{"name": ', headers={"content-type": "application/json"}
        )
        assert broken.status_code == 422
        assert broken.json()["detail"].startswith("Données invalides")
        assert "JSON mal formé" in broken.json()["detail"]
        wrong = browser.post("/api/_tests/echo", json={"name": "x", "count": "beaucoup"})
        assert wrong.status_code == 422
        assert wrong.json()["errors"] == [{"field": "count", "message": "nombre entier attendu"}]


def test_malformed_json_on_every_json_route(
    probe: TestClient,
    api_headers,  # type: ignore[no-untyped-def]
) -> None:
    headers = {**api_headers(Role.admin), "content-type": "application/json"}
    for endpoint in [e for e in endpoints(probe.app) if e.takes_json]:  # type: ignore[arg-type]
        response = probe.request(endpoint.method, endpoint.url, content=b"{", headers=headers)
        assert response.status_code in (404, 422), endpoint
        assert "detail" in response.json()


def test_a_crash_shows_no_trace(app_with_probes: FastAPI) -> None:
    with TestClient(app_with_probes, raise_server_exceptions=False) as browser:
        page = browser.get("/_tests/crash")
        api = browser.get("/api/_tests/crash")
    assert is_french_page(page, 500)
    assert api.status_code == 500
    assert api.json()["detail"].startswith("Une erreur interne est survenue.")
    for body in (page.text, api.text):
        assert "Traceback" not in body and "secret interne" not in body
    for crash in (page, api):  # built outside every middleware, yet as guarded as any page
        assert "frame-ancestors 'none'" in crash.headers["Content-Security-Policy"]
        assert crash.headers["X-Content-Type-Options"] == "nosniff"
        assert crash.headers["Cache-Control"] == "no-store"


def test_odd_values_in_every_parameter_never_crash(
    probe: TestClient,
    visitors,  # type: ignore[no-untyped-def]
) -> None:
    admin = visitors[Role.admin]
    failures = []
    for endpoint in endpoints(probe.app):  # type: ignore[arg-type]
        if endpoint.name == "logout":
            continue
        for value in ODD_VALUES:
            url = endpoint.path
            for name in endpoint.fields("path"):
                url = url.replace("{" + name + "}", quote(value, safe="") or PLACEHOLDER_ID)
            params = dict.fromkeys(endpoint.fields("query"), value)
            probe.cookies = admin.cookies
            if endpoint.is_api:
                response = probe.request(
                    endpoint.method, url, params=params, headers=admin.api_headers
                )
            elif endpoint.changes_state:
                data = {**dict.fromkeys(endpoint.fields("body"), value), "csrf_token": admin.csrf}
                response = probe.request(endpoint.method, url, params=params, data=data)
            else:
                response = probe.request(endpoint.method, url, params=params)
            if response.status_code >= 500 or "Traceback" in response.text:
                failures.append(f"{endpoint} avec {value[:30]!r} : {response.status_code}")
    assert not failures, "\n".join(failures)
