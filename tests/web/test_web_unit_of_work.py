"""The app on its own request unit of work (no test override): commits, rollbacks, error pages."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from app.audit.models import AuditEvent
from app.config import Settings
from app.db import build_engine, unit_of_work
from app.main import create_app
from app.security import Actor
from app.users.models import Role, User
from app.users.service import create_user
from tests.routes import csrf_of

PASSWORD = "un-mot-de-passe-assez-long"


@dataclass
class RealApp:
    client: TestClient
    engine: Engine
    ids: dict[Role, int]

    def sign_in(self, role: Role) -> str:
        self.client.cookies.clear()
        token = csrf_of(self.client.get("/connexion").text)
        form = {"email": f"{role.value}@reel.fr", "password": PASSWORD, "csrf_token": token}
        assert self.client.post("/connexion", data=form).status_code == 303
        return csrf_of(self.client.get("/").text)


@pytest.fixture
def real(backend: str, make_migrated_url, tmp_path: Path) -> Iterator[RealApp]:  # type: ignore[no-untyped-def]
    url = make_migrated_url(backend)
    engine = build_engine(url)
    ids = {}
    with unit_of_work(engine) as session:
        for role in (Role.admin, Role.staff):
            user = create_user(
                session,
                email=f"{role.value}@reel.fr",
                password=PASSWORD,
                role=role,
                full_name="",
                actor=Actor.system(),
            )
            ids[role] = user.id
    app = create_app(Settings(database_url=url, data_dir=tmp_path))
    try:
        with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
            yield RealApp(client, engine, ids)
    finally:
        app.state.engine.dispose()
        engine.dispose()


def shows_error(response, status: int, email: str) -> bool:  # type: ignore[no-untyped-def]
    """A French error page that still knows who is signed in."""
    return (
        response.status_code == status
        and f"Erreur {status}" in response.text
        and f"{email} (" in response.text
    )


def test_error_pages_for_a_signed_in_user(real: RealApp) -> None:
    real.sign_in(Role.staff)
    assert shows_error(real.client.get("/admin/utilisateurs"), 403, "staff@reel.fr")
    real.sign_in(Role.admin)
    assert shows_error(real.client.get("/admin/journal?page=x"), 422, "admin@reel.fr")


def test_a_refused_change_is_rolled_back_and_explained(real: RealApp) -> None:
    csrf = real.sign_in(Role.admin)
    admin_id = real.ids[Role.admin]
    form = {"role": "staff", "is_active": "true", "csrf_token": csrf}
    response = real.client.post(f"/admin/utilisateurs/{admin_id}", data=form)
    assert shows_error(response, 409, "admin@reel.fr")
    form = {"email": "staff@reel.fr", "password": PASSWORD, "role": "viewer", "csrf_token": csrf}
    assert shows_error(real.client.post("/admin/utilisateurs", data=form), 409, "admin@reel.fr")
    with unit_of_work(real.engine) as session:
        assert session.get(User, admin_id).role == Role.admin  # type: ignore[union-attr]
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).all() == []


def test_a_change_is_committed_once_the_request_succeeds(real: RealApp) -> None:
    csrf = real.sign_in(Role.admin)
    form = {"email": "nouveau@reel.fr", "password": PASSWORD, "role": "viewer", "csrf_token": csrf}
    assert real.client.post("/admin/utilisateurs", data=form).status_code == 303
    with unit_of_work(real.engine) as session:
        created = session.scalars(select(User).where(User.email == "nouveau@reel.fr")).one()
        assert created.role == Role.viewer
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.object_id == str(created.id))
        ).one()
        assert event.actor_id == real.ids[Role.admin]
