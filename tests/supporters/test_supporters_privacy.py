"""Personal data: retention on a frozen clock, export and erasure by link, identities for admins
only, and no supporter's name or e-mail in any log line."""

import json
import logging
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from supporters_support import (
    SLUG,
    SUPPORTER,
    confirm,
    csrf,
    last_mail_to,
    link_from,
    make_settings,
    run_outbox,
    sign_in,
    submit,
    write_letter,
)

from app.config import Settings
from app.db import build_engine, unit_of_work, utcnow
from app.letters.models import Letter
from app.main import create_app
from app.security import Actor
from app.supporters.models import ActionStatus, Supporter, SupporterAction, SupporterLetter
from app.supporters.privacy import ERASED, run_retention
from app.users.models import Role
from app.users.service import create_user

PASSWORD = "mot-de-passe-sympathisants"


@pytest.fixture(scope="module")
def own_engine(own_url: str) -> Iterator[Engine]:
    engine = build_engine(own_url)
    yield engine
    engine.dispose()


@pytest.fixture
def own_settings(own_url: str, tmp_path: Path) -> Settings:
    return make_settings(own_url, tmp_path)


@pytest.fixture
def own_client(own_settings: Settings) -> Iterator[TestClient]:
    app = create_app(own_settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    app.state.engine.dispose()


def new_email() -> str:
    return f"donnees.{uuid.uuid4().hex[:10]}@exemple.fr"


def supporter(engine: Engine, email: str) -> Supporter:
    with unit_of_work(engine) as session:
        return session.scalars(select(Supporter).where(Supporter.email == email)).one()


def letters_of(engine: Engine, supporter_id: int) -> list[tuple[SupporterLetter, Letter | None]]:
    with unit_of_work(engine) as session:
        rows = session.execute(
            select(SupporterLetter, Letter)
            .join(SupporterAction, SupporterAction.id == SupporterLetter.action_id)
            .outerjoin(Letter, Letter.id == SupporterLetter.letter_id)
            .where(SupporterAction.supporter_id == supporter_id)
        ).all()
        return [(s, letter) for s, letter in rows]


def test_retention_on_a_frozen_clock(
    own_client: TestClient, own_engine: Engine, own_settings: Settings
) -> None:
    email, idle = new_email(), new_email()
    assert submit(own_client, SLUG, write_letter(own_client, SLUG, email=email)).status_code == 303
    assert confirm(own_client, own_engine, email).status_code == 200
    run_outbox(own_engine, own_settings)
    assert submit(own_client, SLUG, write_letter(own_client, SLUG, email=idle)).status_code == 303
    person = supporter(own_engine, email)
    now = utcnow()

    def retention(days: int) -> object:
        with unit_of_work(own_engine) as session:
            return run_retention(session, settings=own_settings, now=now + timedelta(days=days))

    assert retention(29).expired >= 1  # type: ignore[attr-defined]
    kept = letters_of(own_engine, person.id)
    assert kept and all(s.body and letter and letter.body != ERASED for s, letter in kept)
    first = retention(31)
    assert first.bodies_deleted >= len(kept)  # type: ignore[attr-defined]
    erased = letters_of(own_engine, person.id)
    assert len(erased) == len(kept), "counts and officials are kept"
    assert all(s.body == "" and letter and letter.body == ERASED for s, letter in erased)
    again = retention(31)
    assert (again.bodies_deleted, again.expired) == (0, 0)  # type: ignore[attr-defined]
    with unit_of_work(own_engine) as session:
        waiting = session.scalars(
            select(SupporterAction).join(Supporter).where(Supporter.email == idle)
        ).one()
        assert waiting.status == ActionStatus.expired
    later = retention(3 * 365 + 1)
    assert later.anonymised >= 2  # type: ignore[attr-defined]
    with unit_of_work(own_engine) as session:
        gone = session.get(Supporter, person.id)
        assert gone is not None and gone.email is None and gone.name == ""
        assert gone.anonymised_at is not None
    assert retention(3 * 365 + 1).anonymised == 0  # type: ignore[attr-defined]


def test_export_and_erasure_from_the_link(own_client: TestClient, own_engine: Engine) -> None:
    email = new_email()
    assert submit(own_client, SLUG, write_letter(own_client, SLUG, email=email)).status_code == 303
    path = link_from(last_mail_to(own_engine, email).body, "/agir/mes-donnees/")
    page = own_client.get(path)
    assert page.status_code == 200 and email in page.text
    exported = own_client.get(path + "/donnees.json")
    data = json.loads(exported.text)
    assert data["sympathisant"]["email"] == email and data["lettres"]
    assert "Je suis mère" in data["lettres"][0]["texte"]
    table = own_client.get(path + "/donnees.csv")
    assert table.headers["content-type"].startswith("text/csv")
    assert email in table.text and table.text.lstrip("\ufeff").startswith("nom;email")
    erased = own_client.post(path + "/effacer", data={"csrf_token": csrf(page.text)})
    assert erased.status_code == 200 and "effacées" in erased.text
    assert own_client.get(path).status_code == 404
    with unit_of_work(own_engine) as session:
        assert session.scalars(select(Supporter).where(Supporter.email == email)).first() is None
        assert not session.scalars(
            select(SupporterAction)
            .where(SupporterAction.name == SUPPORTER["name"])
            .join(Supporter)
            .where(Supporter.anonymised_at.is_not(None))
        ).first()


def test_identities_for_admins_only(own_settings: Settings, own_engine: Engine) -> None:
    email = new_email()
    suffix = uuid.uuid4().hex[:6]
    with unit_of_work(own_engine) as session:
        for role in (Role.admin, Role.staff, Role.director):
            create_user(
                session,
                email=f"{role.value}.{suffix}@asso.example",
                password=PASSWORD,
                role=role,
                full_name=role.value,
                actor=Actor.system("tests"),
            )
    app = create_app(own_settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert submit(client, SLUG, write_letter(client, SLUG, email=email)).status_code == 303
        for role in (Role.staff, Role.director):
            client.cookies.clear()
            sign_in(client, f"{role.value}.{suffix}@asso.example", PASSWORD)
            assert client.get("/admin/sympathisants").status_code == 403
            counts = client.get("/sympathisants")
            assert counts.status_code == 200 and email not in counts.text
            assert SUPPORTER["name"] not in counts.text
        client.cookies.clear()
        sign_in(client, f"admin.{suffix}@asso.example", PASSWORD)
        assert email in client.get("/admin/sympathisants", params={"q": email}).text
    app.state.engine.dispose()


def test_no_name_or_email_in_logs(
    own_client: TestClient,
    own_engine: Engine,
    own_settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    email = new_email()
    caplog.set_level(logging.DEBUG)
    data = write_letter(own_client, SLUG, email=email)
    assert submit(own_client, SLUG, data).status_code == 303
    assert confirm(own_client, own_engine, email).status_code == 200
    run_outbox(own_engine, own_settings)
    assert caplog.records, "the journey logs something (HTTP requests at least)"
    for record in caplog.records:
        line = record.getMessage()
        assert email not in line and SUPPORTER["name"] not in line, line
