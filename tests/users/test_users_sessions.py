"""Server-side sessions: the cookie holds a random id; logout, deactivation, a new password and
« se déconnecter partout » end sessions at once; idle and absolute timeouts; new ids at sign-in
and on a role change; `last_seen_at` written at most once a minute."""

import base64
import json
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.security import Actor, hash_session_token
from app.users.models import Role, User, UserSession
from app.users.service import update_user
from tests.conftest import page_csrf, sign_in
from tests.factories import PASSWORD

PROTECTED = "/admin/journal"


def cookie_data(client: TestClient) -> dict[str, object]:
    """What the signed session cookie carries (its payload is readable, only signed)."""
    payload = client.cookies["plaidoyer_session"].split(".")[0]
    decoded: dict[str, object] = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


def signed_in(client: TestClient) -> bool:
    response = client.get(PROTECTED, follow_redirects=False)
    if response.status_code == 303:
        assert response.headers["location"].startswith("/connexion")
        return False
    assert response.status_code == 200, response.text
    return True


def browser(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1")


def live_row(session: Session, client: TestClient) -> UserSession | None:
    sid = str(cookie_data(client)["sid"])
    query = select(UserSession).where(UserSession.token_hash == hash_session_token(sid))
    return session.scalar(query)


def test_the_cookie_holds_a_random_id_and_the_table_only_its_hash(
    client: TestClient, users: dict[Role, User], session: Session
) -> None:
    sign_in(client, users[Role.admin])
    data = cookie_data(client)
    assert set(data) <= {"sid", "csrf", "flash"}
    sid = str(data["sid"])
    assert len(sid) >= 40
    rows = session.execute(text("SELECT * FROM user_session")).all()
    assert rows and all(sid not in str(value) for row in rows for value in row)
    assert live_row(session, client) is not None


def test_a_cookie_saved_before_logout_is_refused_after_it(
    app: FastAPI, client: TestClient, users: dict[Role, User]
) -> None:
    csrf = sign_in(client, users[Role.admin])
    saved = dict(client.cookies)
    assert signed_in(client)
    client.post("/deconnexion", data={"csrf_token": csrf}, follow_redirects=False)
    with browser(app) as replay:
        replay.cookies.update(saved)
        assert not signed_in(replay)


def test_deactivation_ends_sessions_at_once(
    client: TestClient, users: dict[Role, User], session: Session
) -> None:
    admin = users[Role.admin]
    sign_in(client, admin)
    second = User(email="autre-admin@test.fr", role=Role.admin, password_hash="x")
    session.add(second)
    session.flush()
    update_user(session, user_id=admin.id, role=Role.admin, is_active=False, actor=Actor.system())
    assert session.scalars(select(UserSession).where(UserSession.user_id == admin.id)).all() == []
    assert not signed_in(client)


def test_a_new_password_ends_the_other_sessions_and_renews_this_one(
    app: FastAPI, client: TestClient, users: dict[Role, User]
) -> None:
    admin = users[Role.admin]
    csrf = sign_in(client, admin)
    before = cookie_data(client)["sid"]
    with browser(app) as other:
        sign_in(other, admin)
        response = client.post(
            "/compte/mot-de-passe",
            data={
                "current_password": PASSWORD,
                "new_password": "un-tout-nouveau-mot-de-passe",
                "csrf_token": csrf,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        assert not signed_in(other)
    assert cookie_data(client)["sid"] != before
    assert signed_in(client)


def test_a_wrong_current_password_changes_nothing(
    client: TestClient, users: dict[Role, User]
) -> None:
    csrf = sign_in(client, users[Role.staff])
    response = client.post(
        "/compte/mot-de-passe",
        data={"current_password": "faux", "new_password": "x" * 20, "csrf_token": csrf},
    )
    assert response.status_code == 422
    assert "Le mot de passe actuel est incorrect." in response.text
    assert 'aria-invalid="true"' in response.text


def test_sign_out_everywhere(app: FastAPI, client: TestClient, users: dict[Role, User]) -> None:
    admin = users[Role.admin]
    csrf = sign_in(client, admin)
    with browser(app) as other:
        sign_in(other, admin)
        assert signed_in(other)
        response = client.post(
            "/compte/deconnexion-partout", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert response.status_code == 303
        assert not signed_in(other)
    assert not signed_in(client)


def test_idle_and_absolute_timeouts(
    client: TestClient, users: dict[Role, User], session: Session, settings: Settings
) -> None:
    sign_in(client, users[Role.admin])
    row = live_row(session, client)
    assert row is not None
    idle = timedelta(minutes=settings.session_idle_minutes)
    row.last_seen_at = utcnow() - idle + timedelta(minutes=1)
    session.flush()
    assert signed_in(client)  # active a minute ago: still on, and seen now
    assert row.last_seen_at > utcnow() - timedelta(seconds=5)
    row.last_seen_at = utcnow() - idle - timedelta(minutes=1)
    session.flush()
    assert not signed_in(client)

    sign_in(client, users[Role.admin])
    row = live_row(session, client)
    assert row is not None
    row.created_at = utcnow() - timedelta(hours=settings.session_absolute_hours, minutes=1)
    session.flush()
    assert not signed_in(client)  # used a moment ago, but opened too long ago


def test_last_seen_is_written_at_most_once_a_minute(
    client: TestClient, users: dict[Role, User], session: Session
) -> None:
    sign_in(client, users[Role.admin])
    row = live_row(session, client)
    assert row is not None
    half_a_minute_ago = utcnow() - timedelta(seconds=30)
    row.last_seen_at = half_a_minute_ago
    session.flush()
    assert signed_in(client)
    session.refresh(row)
    assert row.last_seen_at == half_a_minute_ago
    row.last_seen_at = utcnow() - timedelta(seconds=90)
    session.flush()
    assert signed_in(client)
    session.refresh(row)
    assert row.last_seen_at > half_a_minute_ago


def test_the_id_changes_at_sign_in(
    app: FastAPI, client: TestClient, users: dict[Role, User]
) -> None:
    sign_in(client, users[Role.admin])
    first = dict(client.cookies)
    first_sid = cookie_data(client)["sid"]
    token = page_csrf(client, "/")
    response = client.post(
        "/connexion",
        data={"email": users[Role.admin].email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert cookie_data(client)["sid"] != first_sid
    with browser(app) as replay:
        replay.cookies.update(first)
        assert not signed_in(replay)


def test_the_id_changes_on_a_role_change(
    app: FastAPI, client: TestClient, users: dict[Role, User], session: Session
) -> None:
    staff = users[Role.staff]
    sign_in(client, staff)
    old = dict(client.cookies)
    old_sid = cookie_data(client)["sid"]
    update_user(session, user_id=staff.id, role=Role.admin, is_active=True, actor=Actor.system())
    assert signed_in(client)  # now an admin, on a new id
    assert cookie_data(client)["sid"] != old_sid
    with browser(app) as replay:
        replay.cookies.update(old)
        assert not signed_in(replay)
