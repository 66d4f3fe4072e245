"""Shared fixtures: every database test runs on SQLite and on PostgreSQL, on migrated tables.

Each test run gets its own PostgreSQL database (created on 127.0.0.1:5432, dropped at the end).
Without a server, PostgreSQL tests skip with the reason, except under CI=true where they fail.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.config import Settings
from app.db import build_engine
from app.main import create_app
from app.officials.models import Official
from app.security import Actor
from app.templating.models import Template
from app.users.models import Role, User
from app.users.service import create_token
from app.web.deps import get_session
from tests.browser import launched_chromium
from tests.factories import (
    PASSWORD,
    add_campaign,
    add_official,
    add_user,
    migrate,
    reply_email,
    seed_templates,
)
from tests.routes import csrf_of

PG_ADMIN_DSN = os.environ.get("PLAIDOYER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


class PostgresDatabases:
    """Creates throw-away databases on the local server and drops them at the end of the run."""

    def __init__(self) -> None:
        self.created: list[str] = []

    def create(self) -> str:
        name = f"plaidoyer_test_{uuid.uuid4().hex[:12]}"
        try:
            with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as exc:
            reason = f"PostgreSQL ne répond pas sur {PG_ADMIN_DSN} : {exc}"
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI exige PostgreSQL. {reason}")
            pytest.skip(reason)
        self.created.append(name)
        base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        return f"{base}/{name}"

    def drop_all(self) -> None:
        if not self.created:
            return
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            for name in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def make_database_url(tmp_path_factory: pytest.TempPathFactory, pg_databases: PostgresDatabases):
    """Returns a function giving the URL of a new, empty database of the asked backend."""

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return pg_databases.create()

    return make


@pytest.fixture(scope="session")
def make_migrated_url(make_database_url):  # type: ignore[no-untyped-def]
    """The one way tests get a schema: make_migrated_url(backend) → the URL of a new database
    of that backend, migrated to head by alembic (tests.factories.migrate)."""

    def make(backend: str) -> str:
        return migrate(make_database_url(backend))

    return make


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, make_migrated_url) -> str:  # type: ignore[no-untyped-def]
    """A database of the current backend, migrated to head once for the whole run."""
    url: str = make_migrated_url(backend)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = build_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test: nothing persists."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


# --- HTTP: the app on the test session, users of every role, signed-in clients -------------


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path, mail_backend="file")


@pytest.fixture
def app(settings: Settings, session: Session) -> Iterator[FastAPI]:
    """The real app whose requests run in savepoints of the test's rolled-back session."""
    application = create_app(settings)

    def test_session() -> Iterator[Session]:
        savepoint = session.begin_nested()
        try:
            yield session
            savepoint.commit()
        except BaseException:
            savepoint.rollback()
            raise

    application.dependency_overrides[get_session] = test_session
    # Pages that open their own read (the cached public campaign page) read the test's rows too.
    application.state.read_sessions = contextmanager(test_session)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture
def users(session: Session) -> dict[Role, User]:
    """One active account per role, all with the password PASSWORD."""
    return {role: add_user(session, role=role) for role in Role}


def page_csrf(client: TestClient, path: str = "/connexion") -> str:
    """The CSRF token the session got when a page was shown."""
    html = client.get(path).text
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def sign_in(client: TestClient, user: User, password: str = PASSWORD) -> str:
    """Signs the client in through the login form; returns the session's CSRF token."""
    token = page_csrf(client)
    response = client.post(
        "/connexion",
        data={"email": user.email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return page_csrf(client, "/")


@pytest.fixture
def sign_in_as(client: TestClient, users: dict[Role, User]):  # type: ignore[no-untyped-def]
    """sign_in_as(Role.staff) → the CSRF token; the client is then signed in with that role."""

    def do(role: Role) -> str:
        return sign_in(client, users[role])

    return do


@pytest.fixture
def api_headers(session: Session, users: dict[Role, User]):  # type: ignore[no-untyped-def]
    """api_headers(Role.staff) → Authorization headers with a fresh token of that role."""

    def make(role: Role) -> dict[str, str]:
        token = create_token(session, user=users[role], name="tests", actor=Actor.system())
        return {"Authorization": f"Bearer {token}"}

    return make


# --- Probing every route: a client that reports crashes, the cookies of every role --------


@dataclass(frozen=True)
class Visitor:
    """A signed-in (or anonymous) browser state: its session cookies and CSRF token."""

    role: Role | None
    cookies: dict[str, str]
    csrf: str
    api_headers: dict[str, str]


@pytest.fixture
def probe(app: FastAPI) -> Iterator[TestClient]:
    """A client that gets 500 answers instead of exceptions, so a test can name the route."""
    with TestClient(
        app, base_url="http://127.0.0.1", raise_server_exceptions=False, follow_redirects=False
    ) as test_client:
        yield test_client


@pytest.fixture
def visitors(client: TestClient, sign_in_as, api_headers) -> dict[Role | None, Visitor]:  # type: ignore[no-untyped-def]
    """Anonymous and each role: session cookies for pages (replay them with
    `probe.cookies = v.cookies`), a Bearer token for the API."""
    client.cookies.clear()
    token = csrf_of(client.get("/connexion").text)
    found: dict[Role | None, Visitor] = {None: Visitor(None, dict(client.cookies), token, {})}
    for role in Role:
        client.cookies.clear()
        token = sign_in_as(role)
        found[role] = Visitor(role, dict(client.cookies), token, api_headers(role))
    client.cookies.clear()
    return found


# --- A directory, the shipped templates and a campaign, in the rolled-back session ---------

MakeOfficial = Callable[..., Official]


@pytest.fixture
def make_official(session: Session) -> MakeOfficial:
    """make_official(**fields) → a new sitting official, numbered, with e-mail and address."""
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Official:
        n = next(counter)
        values: dict[str, Any] = {
            "kind": "deputy",
            "source_id": f"T{n}",
            "civility": "Mme" if n % 2 else "M.",
            "first_name": f"Prénom{n}",
            "last_name": f"Nom{n:04d}",
            "search_name": f"prenom{n} nom{n}",
            "department_code": "69",
            "department_name": "Rhône",
            "circonscription": n % 14 + 1,
            "email": f"elu{n}@assemblee-nationale.fr",
            "postal_address": "126 rue de l'Université\n75355 Paris 07 SP",
        }
        values.update(fields)
        if values["kind"] != "deputy":
            values.setdefault("circonscription", None)
        return add_official(session, **values)

    return make


@pytest.fixture
def directory(make_official: MakeOfficial) -> list[Official]:
    """Five deputies, three senators (two without e-mail) and a minister."""
    deputies = [make_official(group_code="SOC") for _ in range(5)]
    senators = [
        make_official(kind="senator", circonscription=None, email="s@senat.fr"),
        make_official(kind="senator", circonscription=None, email=""),
        make_official(kind="senator", circonscription=None, email=""),
    ]
    minister = make_official(
        kind="minister",
        circonscription=None,
        department_code="",
        department_name="",
        portfolio="Ministre du Numérique",
        email="",
    )
    return [*deputies, *senators, minister]


@pytest.fixture
def templates(session: Session) -> dict[str, Template]:
    return seed_templates(session)


@pytest.fixture
def campaign(session: Session, templates: dict[str, Template]) -> Campaign:
    return add_campaign(
        session,
        name="Safer Internet Day",
        slug="safer-internet-day",
        first_template_id=templates["first_letter"].id,
        follow_up_template_id=templates["follow_up"].id,
    )


# --- Reply e-mails ---------------------------------------------------------------------


@pytest.fixture
def eml() -> Callable[..., bytes]:
    """eml(sender=…, in_reply_to=…, …) → the raw bytes of a reply e-mail."""
    return reply_email


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium under Playwright, for the browser tests of one module."""
    yield from launched_chromium()
