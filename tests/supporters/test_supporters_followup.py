"""Reminders after 2 days, expiry after 7, the 14-day survey: `plaidoyer supporters reminders`'
service on a moved clock, idempotent, the mails received by a real SMTP server (aiosmtpd)."""

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from served import Mailbox, smtp_server
from sqlalchemy import Engine, select
from supporters_support import (
    SLUG,
    confirm,
    csrf,
    make_settings,
    run_outbox,
    sign_in,
    submit,
    write_letter,
)

from app.config import Settings
from app.db import build_engine, unit_of_work, utcnow
from app.main import create_app
from app.organisation.service import update_identity
from app.security import Actor
from app.supporters.cli import email_links
from app.supporters.followup import run_follow_ups
from app.supporters.models import ActionStatus, Supporter, SupporterAction
from app.users.models import Role
from app.users.service import create_user

PASSWORD = "mot-de-passe-des-relances"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def engine(own_url: str) -> Iterator[Engine]:
    engine = build_engine(own_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(own_url: str, tmp_path: Path, mailbox: tuple[Mailbox, int]) -> Settings:
    return make_settings(
        own_url,
        tmp_path,
        mail_backend="smtp",
        smtp_port=mailbox[1],
        public_url="http://127.0.0.1",
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    app.state.engine.dispose()


def received_by(mailbox: Mailbox, email: str) -> list[EmailMessage]:
    return [m for m in mailbox.messages() if email in str(m["To"])]


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    text: str = part.get_content()
    return text


def follow_ups(engine: Engine, settings: Settings, days: float) -> tuple[int, int, int]:
    with unit_of_work(engine) as session:
        report = run_follow_ups(
            session,
            settings=settings,
            links=email_links(settings),
            now=utcnow() + timedelta(days=days),
        )
    return report.reminded, report.expired, report.surveyed


def request_letters(client: TestClient) -> str:
    email = f"relance.{uuid.uuid4().hex[:10]}@exemple.fr"
    response = submit(client, SLUG, write_letter(client, SLUG, email=email))
    assert response.status_code == 303, response.text
    return email


def action_of(engine: Engine, email: str) -> SupporterAction:
    with unit_of_work(engine) as session:
        supporter = session.scalars(select(Supporter).where(Supporter.email == email)).one()
        return session.scalars(
            select(SupporterAction).where(SupporterAction.supporter_id == supporter.id)
        ).one()


def test_one_reminder_after_two_days_then_expiry(
    client: TestClient, engine: Engine, settings: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    email = request_letters(client)
    run_outbox(engine, settings)
    assert len(received_by(mailbox[0], email)) == 1
    assert follow_ups(engine, settings, days=1)[0] == 0  # too early
    reminded, expired, _ = follow_ups(engine, settings, days=2.1)
    assert reminded >= 1 and expired == 0
    assert follow_ups(engine, settings, days=2.2)[0] == 0  # one reminder, never two
    run_outbox(engine, settings)
    _, reminder = received_by(mailbox[0], email)
    assert reminder["Subject"].startswith("Rappel : confirmez")
    assert "Petit rappel" in body_of(reminder) and "/agir/confirmer/" in body_of(reminder)
    assert action_of(engine, email).reminded_at is not None

    _, expired, _ = follow_ups(engine, settings, days=7.1)
    assert expired >= 1
    assert action_of(engine, email).status == ActionStatus.expired
    assert follow_ups(engine, settings, days=7.2) == (0, 0, 0)
    refused = confirm(client, engine, email)
    assert refused.status_code == 422 and "expiré" in refused.text
    assert len(received_by(mailbox[0], email)) == 2


def test_survey_after_fourteen_days_and_the_answer_is_kept(
    client: TestClient, engine: Engine, settings: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    email = request_letters(client)
    assert confirm(client, engine, email).status_code == 200
    assert follow_ups(engine, settings, days=13)[2] == 0
    surveyed = follow_ups(engine, settings, days=14.1)[2]
    assert surveyed >= 1
    assert follow_ups(engine, settings, days=15)[2] == 0  # asked once
    run_outbox(engine, settings)
    [survey] = [m for m in received_by(mailbox[0], email) if "réponse" in str(m["Subject"])]
    assert survey["Subject"] == "Avez-vous eu une réponse de vos élus ?"
    link = next(w for w in body_of(survey).split() if "/agir/reponse/" in w)
    path = "/" + link.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200 and "Avez-vous eu une réponse" in page.text
    bad = client.post(path, data={"csrf_token": csrf(page.text), "answer": "peut-être"})
    assert bad.status_code == 422
    done = client.post(
        path,
        data={"csrf_token": csrf(page.text), "answer": "oui", "text": "Merci de votre lettre."},
    )
    assert done.status_code == 200 and "Merci" in done.text
    action = action_of(engine, email)
    assert (action.survey_answer, action.survey_text) == ("oui", "Merci de votre lettre.")


def test_staff_see_reported_answers_and_invite_from_the_page(
    client: TestClient, engine: Engine
) -> None:
    email = f"staff.{uuid.uuid4().hex[:6]}@asso.example"
    with unit_of_work(engine) as session:
        create_user(
            session,
            email=email,
            password=PASSWORD,
            role=Role.staff,
            full_name="Équipe",
            actor=Actor.system("tests"),
        )
    sign_in(client, email, PASSWORD)
    page = client.get("/sympathisants")
    assert page.status_code == 200
    assert "Merci de votre lettre." in page.text  # the survey answer of the test above
    assert "Réponses signalées" in page.text and "Inviter les signataires" in page.text
    token = csrf(page.text)
    campaign = re.search(r'<option value="(\d+)">', page.text)
    assert campaign is not None
    data = {"csrf_token": token, "campaign_id": campaign.group(1)}
    refused = client.post("/sympathisants/inviter", data=data | {"department": "XYZ"})
    assert refused.status_code == 422 and "pas un numéro de département" in refused.text
    sent = client.post("/sympathisants/inviter", data=data | {"department": "75"})
    assert sent.status_code == 200 and "Invitations mises en file" in sent.text


def test_supporter_mails_carry_the_association_domain(
    client: TestClient, engine: Engine, settings: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    association = {
        "name": "CAMELEON",
        "postal_address": "12 rue des Lilas\n69003 Lyon",
        "signatory_name": "Marie Dupont",
        "signatory_title": "Présidente",
        "sender_name": "CAMELEON",
        "sender_email": "plaidoyer@cameleon.example",
        "reply_domain": "reponses.cameleon.example",
        "footer": "",
    }
    admin = Actor(user_id=None, label="admin@asso.fr", ip="127.0.0.1")
    with unit_of_work(engine) as session:
        update_identity(session, values=association, actor=admin, settings=settings)
    email = request_letters(client)
    run_outbox(engine, settings)
    follow_ups(engine, settings, days=2.1)
    run_outbox(engine, settings)
    confirmation, reminder = received_by(mailbox[0], email)
    for message in (confirmation, reminder):
        assert "plaidoyer@cameleon.example" in message["From"]
        assert message["Message-ID"].endswith("@cameleon.example>"), message["Message-ID"]
