"""CSRF: every state-changing page route refuses a missing or forged token and changes nothing."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.security import Actor
from app.users.models import LoginAttempt, Role, User
from app.users.service import create_user
from tests.routes import endpoints

FORGED = "jeton-forge-par-un-autre-site"
# RFC 8058 one-click unsubscribe: mail clients post with no session; the signed token in the
# URL is the proof (tested in tests/supporters).
TOKEN_IN_URL = {"unsubscribe"}


def counts(session: Session) -> tuple[int, ...]:
    models = (AuditEvent, User, LoginAttempt)
    return tuple(session.scalar(select(func.count()).select_from(m)) or 0 for m in models)


def is_csrf_refusal(response) -> bool:  # type: ignore[no-untyped-def]
    return (
        response.status_code == 403
        and 'lang="fr"' in response.text
        and "jeton CSRF" in response.text
        and "Traceback" not in response.text
    )


def form_routes(app: FastAPI) -> list:  # type: ignore[type-arg]
    return [
        e for e in endpoints(app) if e.changes_state and not e.is_api and e.name not in TOKEN_IN_URL
    ]


def test_there_are_form_routes_to_check(app: FastAPI) -> None:
    names = {e.name for e in form_routes(app)}
    assert {"login", "logout", "user_create", "user_update"} <= names


def test_missing_or_forged_token_is_refused_everywhere(
    app: FastAPI,
    probe: TestClient,
    visitors,  # type: ignore[no-untyped-def]
    session: Session,
) -> None:
    before = counts(session)
    failures = []
    for endpoint in form_routes(app):
        for role in (None, Role.admin):
            visitor = visitors[role]
            attempts = {
                "sans jeton": {"data": {}},
                "jeton forgé": {"data": {"csrf_token": FORGED}},
                "en-tête forgé": {"data": {}, "headers": {"X-CSRF-Token": FORGED}},
                "jeton d'une autre session": {"data": {"csrf_token": visitors[Role.viewer].csrf}},
            }
            for label, kwargs in attempts.items():
                probe.cookies = visitor.cookies
                response = probe.request(endpoint.method, endpoint.url, **kwargs)
                if not is_csrf_refusal(response):
                    failures.append(f"{endpoint} {label} : {response.status_code}")
    assert not failures, "\n".join(failures)
    assert counts(session) == before


def test_the_right_token_passes(app: FastAPI, probe: TestClient, visitors) -> None:  # type: ignore[no-untyped-def]
    admin = visitors[Role.admin]
    for endpoint in form_routes(app):
        probe.cookies = admin.cookies
        response = probe.request(endpoint.method, endpoint.url, data={"csrf_token": admin.csrf})
        assert not is_csrf_refusal(response), endpoint
        probe.cookies = admin.cookies
        response = probe.request(
            endpoint.method, endpoint.url, headers={"X-CSRF-Token": admin.csrf}
        )
        assert not is_csrf_refusal(response), f"{endpoint} (en-tête htmx)"


def test_forged_user_creation_creates_nothing(
    probe: TestClient,
    visitors,  # type: ignore[no-untyped-def]
    session: Session,
) -> None:
    form = {"email": "intrus@test.fr", "password": "un-mot-de-passe-long", "role": "admin"}
    probe.cookies = visitors[Role.admin].cookies
    response = probe.post("/admin/utilisateurs", data={**form, "csrf_token": FORGED})
    assert is_csrf_refusal(response)
    assert session.scalar(select(User).where(User.email == "intrus@test.fr")) is None


def test_forged_login_does_not_sign_in(probe: TestClient, session: Session) -> None:
    password = "le-bon-mot-de-passe"
    create_user(
        session,
        email="cible@test.fr",
        password=password,
        role=Role.admin,
        full_name="",
        actor=Actor.system("tests"),
    )
    probe.get("/connexion")
    form = {"email": "cible@test.fr", "password": password, "csrf_token": FORGED}
    assert is_csrf_refusal(probe.post("/connexion", data=form))
    assert probe.get("/admin/journal").status_code == 303
