"""Abuse protection: per e-mail and official, per address, bursts held for review, honeypot,
CSRF, header injection; every refusal in plain French and changing nothing."""

import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from supporters_support import (
    SLUG,
    confirm,
    last_mail_to,
    make_settings,
    submit,
    write_letter,
)

from app.db import unit_of_work, utcnow
from app.letters.models import Letter
from app.mailing.models import OutboxMessage
from app.main import create_app
from app.security import Actor
from app.supporters.models import ActionStatus, SupporterAction, SupporterLetter
from app.supporters.privacy import decide_held


def new_email() -> str:
    return f"sympathisant.{uuid.uuid4().hex[:10]}@exemple.fr"


def actions(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(SupporterAction)) or 0


def test_two_letters_a_day_to_one_official(sup_client: TestClient, sup_engine: Engine) -> None:
    email = new_email()
    for _ in range(2):
        data = write_letter(sup_client, SLUG, q="33000", email=email)
        assert submit(sup_client, SLUG, data).status_code == 303
    before = actions(sup_engine)
    third = submit(sup_client, SLUG, write_letter(sup_client, SLUG, q="33000", email=email))
    assert third.status_code == 409
    assert "ces dernières 24 heures" in third.text
    assert actions(sup_engine) == before


def test_per_address_limit(sup_url: str, tmp_path: Path, sup_engine: Engine) -> None:
    # Another secret: the address's counter starts from zero, whatever other tests did.
    settings = make_settings(
        sup_url, tmp_path, secret_key=uuid.uuid4().hex, supporter_requests_per_ip_per_hour=2
    )
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        codes = [
            submit(client, SLUG, write_letter(client, SLUG, q="67000", email=new_email()))
            for _ in range(3)
        ]
    app.state.engine.dispose()
    assert [c.status_code for c in codes] == [303, 303, 429]
    assert "depuis votre connexion" in codes[2].text


def test_burst_is_held_for_review(sup_url: str, tmp_path: Path, sup_engine: Engine) -> None:
    settings = make_settings(sup_url, tmp_path, supporter_burst_letters=1)
    app = create_app(settings)
    first, second = new_email(), new_email()
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for email in (first, second):
            assert (
                submit(client, SLUG, write_letter(client, SLUG, q="13001", email=email)).status_code
                == 303
            )
        sent = confirm(client, sup_engine, first)
        held = confirm(client, sup_engine, second)
    app.state.engine.dispose()
    assert "Merci ! Votre lettre part" in sent.text
    assert "notre équipe les vérifie" in held.text
    with unit_of_work(sup_engine) as session:
        action = session.scalars(
            select(SupporterAction).where(SupporterAction.status == ActionStatus.held)
        ).all()[-1]
        waiting = session.scalars(
            select(SupporterLetter).where(SupporterLetter.action_id == action.id)
        ).all()
        assert all(w.letter_id is None for w in waiting), "held: nothing queued"
        decide_held(
            session,
            action_id=action.id,
            release=True,
            actor=Actor.system("tests"),
            settings=settings,
            now=utcnow(),
        )
        session.flush()
        queued = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .join(SupporterLetter, SupporterLetter.letter_id == OutboxMessage.letter_id)
            .where(SupporterLetter.action_id == action.id)
        )
        assert queued == len(waiting)


def test_honeypot(sup_client: TestClient, sup_engine: Engine) -> None:
    before = actions(sup_engine)
    data = write_letter(sup_client, SLUG, q="29200", email=new_email()) | {"website": "x"}
    refused = submit(sup_client, SLUG, data)
    assert refused.status_code == 422 and "robots" in refused.text
    assert actions(sup_engine) == before


def test_csrf_is_required(sup_client: TestClient, sup_engine: Engine) -> None:
    data = write_letter(sup_client, SLUG, q="29200", email=new_email())
    data.pop("csrf_token")
    refused = sup_client.post(f"/agir/{SLUG}/envoyer", data=data, follow_redirects=False)
    assert refused.status_code == 403 and "CSRF" in refused.text


def test_no_header_injection(
    sup_client: TestClient, sup_engine: Engine, sup_settings: object
) -> None:
    email = new_email()
    data = write_letter(sup_client, SLUG, q="35000", email=email)
    data["name"] = "Ève Martin\r\nBcc: victime@exemple.fr"
    for field in [k for k in data if k.startswith("subject_")]:
        data[field] = "Objet\r\nBcc: victime@exemple.fr"
    assert submit(sup_client, SLUG, data).status_code == 303
    assert confirm(sup_client, sup_engine, email).status_code == 200
    bad = write_letter(sup_client, SLUG, q="35000", email=f"{new_email()}\r\nBcc: x@exemple.fr")
    assert submit(sup_client, SLUG, bad).status_code == 422
    with unit_of_work(sup_engine) as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.reply_to.contains(email)))
        for row in rows:
            for value in (row.from_address, row.subject, row.reply_to, row.to_address):
                assert "\n" not in value and "\r" not in value
            assert "Bcc" in row.subject  # kept as text on one line, never a header
        assert session.scalar(select(func.count()).select_from(Letter)) is not None
    assert last_mail_to(sup_engine, email) is not None
