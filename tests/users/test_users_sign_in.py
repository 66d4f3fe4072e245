"""Sign-in: same answers, disabled accounts, cookie flags, secret key, tokens, last admin."""

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.main import create_app
from app.security import Actor
from app.users.models import ApiToken, LoginAttempt, Role, User
from app.users.service import create_token, create_user, update_user
from tests.routes import csrf_of

PASSWORD = "un-mot-de-passe-assez-long"
WRONG = "pas-le-bon-mot-de-passe"
WRONG_CREDENTIALS = "Identifiants incorrects."


def new_user(session: Session, email: str, role: Role = Role.staff) -> User:
    return create_user(
        session, email=email, password=PASSWORD, role=role, full_name="", actor=Actor.system()
    )


def attempt(app: FastAPI, email: str, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    """One sign-in through the form, from a browser at this address."""
    with TestClient(app, base_url="http://127.0.0.1", client=(ip, 50000)) as browser:
        token = csrf_of(browser.get("/connexion").text)
        form = {"email": email, "password": password, "csrf_token": token}
        return browser.post("/connexion", data=form, follow_redirects=False)


def test_same_answer_for_unknown_account_and_wrong_password(app: FastAPI, session: Session) -> None:
    new_user(session, "connu@test.fr")
    known = attempt(app, "connu@test.fr", WRONG)
    unknown = attempt(app, "absent@test.fr", WRONG)
    assert known.status_code == unknown.status_code == 400
    assert WRONG_CREDENTIALS in known.text
    # The form echoes the e-mail typed; apart from it, the two pages are the same.
    assert csrf_of(known.text) != csrf_of(unknown.text)
    strip = [(csrf_of(known.text), ""), (csrf_of(unknown.text), ""), ("absent@", "connu@")]
    bodies = [known.text, unknown.text]
    for old, new in strip:
        bodies = [body.replace(old, new) for body in bodies]
    assert bodies[0] == bodies[1]


def test_failures_older_than_the_window_do_not_count(app: FastAPI, session: Session) -> None:
    new_user(session, "ancien@test.fr")
    long_ago = utcnow() - timedelta(minutes=16)
    session.add_all(
        LoginAttempt(email="ancien@test.fr", ip="10.3.0.1", created_at=long_ago) for _ in range(12)
    )
    session.flush()
    assert attempt(app, "ancien@test.fr", PASSWORD, ip="10.3.0.1").status_code == 303


def test_disabled_account_cannot_sign_in(app: FastAPI, session: Session) -> None:
    user = new_user(session, "parti@test.fr")
    update_user(session, user_id=user.id, role=Role.staff, is_active=False, actor=Actor.system())
    response = attempt(app, "parti@test.fr", PASSWORD)
    assert response.status_code == 400
    assert WRONG_CREDENTIALS in response.text


def test_session_of_a_disabled_account_stops_working(
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
    users: dict[Role, User],
    session: Session,
) -> None:
    sign_in_as(Role.staff)
    assert client.get("/", follow_redirects=False).status_code == 200
    staff = users[Role.staff]
    update_user(session, user_id=staff.id, role=Role.staff, is_active=False, actor=Actor.system())
    assert client.get("/admin/journal", follow_redirects=False).status_code == 303


def session_cookie(response) -> str:  # type: ignore[no-untyped-def]
    cookies = [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie"]
    [cookie] = [c for c in cookies if c.startswith("plaidoyer_session=")]
    return cookie.lower()


def test_session_cookie_flags_on_localhost(
    app: FastAPI, session: Session, settings: Settings
) -> None:
    new_user(session, "cookie@test.fr")
    cookie = session_cookie(attempt(app, "cookie@test.fr", PASSWORD))
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert f"max-age={settings.session_idle_minutes * 60}" in cookie
    assert "secure" not in cookie


def test_cookies_are_secure_off_localhost(database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        host="0.0.0.0",
        secret_key="une-clé-secrète-de-production-assez-longue",
        database_url=database_url,
        data_dir=tmp_path,
    )
    assert settings.secure_cookies
    app = create_app(settings)
    try:
        with TestClient(app, base_url="https://plaidoyer.example.org") as browser:
            cookie = session_cookie(browser.get("/connexion"))
    finally:
        app.state.engine.dispose()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_settings_refuse_a_public_host_without_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="PLAIDOYER_SECRET_KEY"):
        Settings(host="0.0.0.0", secret_key=None, data_dir=tmp_path)


def test_secret_key_is_generated_once_beside_the_database(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "donnees")
    key = settings.session_secret()
    key_file = tmp_path / "donnees" / "secret_key"
    assert len(key) >= 32
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert Settings(data_dir=tmp_path / "donnees").session_secret() == key
    assert Settings(data_dir=tmp_path / "ailleurs").session_secret() != key


def test_the_last_admin_cannot_be_demoted_or_disabled(
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
    users: dict[Role, User],
) -> None:
    csrf = sign_in_as(Role.admin)
    admin = users[Role.admin]
    for form in ({"role": "staff", "is_active": "true"}, {"role": "admin"}):
        response = client.post(f"/admin/utilisateurs/{admin.id}", data={**form, "csrf_token": csrf})
        assert response.status_code == 409
        assert "dernier compte administrateur" in response.text
    assert admin.role == Role.admin and admin.is_active


def test_an_admin_may_be_demoted_when_another_remains(
    users: dict[Role, User], session: Session
) -> None:
    second = new_user(session, "second-admin@test.fr", role=Role.admin)
    update_user(session, user_id=second.id, role=Role.viewer, is_active=True, actor=Actor.system())
    assert second.role == Role.viewer


def test_api_tokens_are_stored_hashed(session: Session, users: dict[Role, User]) -> None:
    token = create_token(session, user=users[Role.staff], name="t", actor=Actor.system())
    rows = session.execute(text("SELECT * FROM api_token")).all()
    assert rows
    assert all(token not in str(value) for row in rows for value in row)
    assert all(token[4:] not in str(value) for row in rows for value in row)


def test_unknown_revoked_and_malformed_tokens_are_refused(
    client: TestClient,
    api_headers,  # type: ignore[no-untyped-def]
    session: Session,
    users: dict[Role, User],
) -> None:
    headers = api_headers(Role.staff)
    assert client.get("/api/me", headers=headers).status_code == 200
    for token_row in session.scalars(select(ApiToken)):
        token_row.revoked_at = utcnow()
    session.flush()
    refused = [
        headers,
        {"Authorization": "Bearer plt_inconnu"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {},
    ]
    for sent in refused:
        response = client.get("/api/me", headers=sent)
        assert response.status_code == 401, sent
        assert "Jeton" in response.json()["detail"]
    # The token of a disabled account stops working too.
    viewer_headers = api_headers(Role.viewer)
    viewer = users[Role.viewer]
    update_user(session, user_id=viewer.id, role=Role.viewer, is_active=False, actor=Actor.system())
    assert client.get("/api/me", headers=viewer_headers).status_code == 401
