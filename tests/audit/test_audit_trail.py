"""Audit trail: each change to accounts leaves an event; admins filter and page through them."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.audit.service import record
from app.security import Actor
from app.users.models import Role, User
from app.users.service import create_token, create_user

PASSWORD = "un-mot-de-passe-assez-long"


def events(session: Session, **where: object) -> list[AuditEvent]:
    query = select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
    return list(session.scalars(query))


def new_user(session: Session, email: str, role: Role = Role.staff) -> User:
    return create_user(
        session,
        email=email,
        password=PASSWORD,
        role=role,
        full_name="",
        actor=Actor.system("tests"),
    )


def test_creating_and_updating_an_account_through_the_pages(
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
    users: dict[Role, User],
    session: Session,
) -> None:
    admin = users[Role.admin]
    csrf = sign_in_as(Role.admin)
    form = {"email": "Nouvelle@Test.fr", "password": PASSWORD, "role": "staff", "csrf_token": csrf}
    assert client.post("/admin/utilisateurs", data=form, follow_redirects=False).status_code == 303
    created = session.scalars(select(User).where(User.email == "nouvelle@test.fr")).one()

    [event] = events(session, action="create", object_type="user", object_id=str(created.id))
    assert (event.actor_id, event.actor_label) == (admin.id, admin.email)
    assert event.ip
    assert event.before is None
    assert event.after == {"email": "nouvelle@test.fr", "role": "staff", "is_active": True}
    assert "password" not in str(event.after)

    form = {"role": "director", "is_active": "true", "csrf_token": csrf}
    response = client.post(f"/admin/utilisateurs/{created.id}", data=form, follow_redirects=False)
    assert response.status_code == 303
    [event] = events(session, action="update", object_type="user", object_id=str(created.id))
    assert event.actor_id == admin.id
    assert event.before == {"email": "nouvelle@test.fr", "role": "staff", "is_active": True}
    assert event.after == {"email": "nouvelle@test.fr", "role": "director", "is_active": True}


def test_login_and_failed_logins_are_recorded(client: TestClient, session: Session) -> None:
    user = new_user(session, "agent@test.fr")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/connexion").text)
    assert csrf
    attempts = [
        ("agent@test.fr", "mauvais-mot-de-passe"),
        ("inconnu@test.fr", "mauvais-mot-de-passe"),
        ("agent@test.fr", PASSWORD),
    ]
    for email, password in attempts:
        form = {"email": email, "password": password, "csrf_token": csrf.group(1)}
        client.post("/connexion", data=form, follow_redirects=False)

    failed = events(session, action="login_failed")
    assert [(e.actor_label, e.object_id, e.actor_id) for e in failed] == [
        ("agent@test.fr", str(user.id), None),
        ("inconnu@test.fr", "", None),
    ]
    [login] = events(session, action="login", object_id=str(user.id))
    assert (login.actor_id, login.actor_label, login.object_type) == (user.id, user.email, "user")
    assert login.ip


def test_token_creation_is_recorded_without_the_token(session: Session) -> None:
    user = new_user(session, "robot@test.fr")
    token = create_token(session, user=user, name="intégration", actor=Actor.system("cli"))
    [event] = events(session, action="create", object_type="api_token")
    assert event.actor_label == "cli"
    assert event.after == {"user": "robot@test.fr", "name": "intégration"}
    assert token not in str(event.after)


def rows(html: str) -> int:
    return len(re.findall(r"<tr>\s*<td>\d\d/\d\d/\d{4}", html))


def test_journal_filters_and_pages(
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
    session: Session,
) -> None:
    alice = Actor(user_id=None, label="alice@asso.fr")
    bob = Actor(user_id=None, label="bob@asso.fr")
    for number in range(60):
        record(session, actor=alice, action="create", object_type="letter", object_id=number)
    for number in range(3):
        record(session, actor=bob, action="archive", object_type="official", object_id=number)
    sign_in_as(Role.admin)

    def journal(**params: object) -> str:
        response = client.get("/admin/journal", params=params)
        assert response.status_code == 200
        return response.text

    assert rows(journal(action="archive")) == 3
    assert rows(journal(objet="official")) == 3
    assert rows(journal(auteur="bob@")) == 3
    assert rows(journal(action="archive", auteur="alice")) == 0
    assert "Aucun événement." in journal(action="archive", auteur="alice")

    first = journal(objet="letter", auteur="alice")
    assert rows(first) == 50
    assert "Page 1 sur 2 (60 résultats)" in first
    assert "page=2" in first and "objet=letter" in first
    second = journal(objet="letter", auteur="alice", page=2)
    assert rows(second) == 10
    assert "Page 2 sur 2" in second
    # Newest first: the last letter recorded opens page 1, the first one closes page 2.
    assert "courrier 59" in first.split("</tr>")[1]
    assert "courrier 0" in second.split("</tbody>")[0].split("</tr>")[-2]
