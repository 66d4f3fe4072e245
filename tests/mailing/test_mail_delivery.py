"""One worker against a real SMTP server that accepts, refuses, or goes away for a while."""

import asyncio
import threading
import time

from smtp_support import SmtpServer, add_letters, letter_statuses, outbox_rows
from sqlalchemy import Engine, select, update

from app.config import Settings
from app.db import unit_of_work, utcnow
from app.letters.models import LetterEvent
from app.letters.sending import LetterOutcomes
from app.mailing.models import OutboxMessage
from app.mailing.worker import RateLimiter, WorkerStats, run_worker


def drain(engine: Engine, settings: Settings, worker_id: str = "w1") -> WorkerStats:
    return asyncio.run(
        run_worker(
            engine=engine,
            settings=settings,
            worker_id=worker_id,
            outcomes=LetterOutcomes(),
            once=True,
        )
    )


def test_the_message_as_a_mail_client_reads_it(
    fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    [message_id] = add_letters(fresh_engine, mail_settings, 1)

    stats = drain(fresh_engine, mail_settings)

    assert stats.sent == 1
    [received] = smtp.handler.messages()
    raw = smtp.handler.received[0]
    assert b"\xc3" not in raw.split(b"\r\n\r\n", 1)[0], "headers must be ASCII (RFC 2047)"
    assert received["Message-ID"] == message_id
    assert received["Subject"] == "Protection de l'enfance en ligne : nos quatre demandes n°0"
    sender = received["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (
        "Association Protégeons l'Enfance",
        "contact@asso.example",
    )
    to = received["To"].addresses[0]
    assert (to.display_name, to.addr_spec) == (
        "Éloïse Dupré-Lefèvre",
        "eloise.dupre@assemblee-nationale.fr",
    )
    reply_to = received["Reply-To"].addresses[0].addr_spec
    assert reply_to.startswith("contact+") and reply_to.endswith("@reponses.asso.example")
    assert received.get_content_charset() == "utf-8"
    body = received.get_content().replace("\r\n", "\n")
    assert body.startswith("Madame la Députée,\n\nNous sollicitons")
    assert "« Ça compte », déjà." in body
    assert "l'expression de notre haute considération." in body

    [row] = outbox_rows(fresh_engine)
    assert (row.status, row.attempts, row.locked_until) == ("sent", 1, None)
    assert row.sent_at is not None
    assert letter_statuses(fresh_engine) == {"sent": 1}
    with unit_of_work(fresh_engine) as session:
        events = session.scalars(select(LetterEvent.to_status).order_by(LetterEvent.id)).all()
    assert events == ["queued", "sent"]


def test_temporary_refusals_are_retried_until_accepted(
    fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    ids = add_letters(fresh_engine, mail_settings, 3)
    smtp.handler.scripted = ["451 4.7.1 Greylisted, come back later"] * 2

    # Both bounds: the fixture caps the back-off at 0.2 s, shorter than a loaded machine's pause.
    backoff = {"outbox_backoff_seconds": 10.0, "outbox_backoff_max_seconds": 10.0}
    settings = mail_settings.model_copy(update=backoff)
    first = drain(fresh_engine, settings)
    assert (first.sent, first.retried) == (1, 2)
    retried = [row for row in outbox_rows(fresh_engine) if row.status == "pending"]
    assert {row.last_error for row in retried} == {"451 4.7.1 Greylisted, come back later"}
    assert {row.attempts for row in retried} == {1}

    assert drain(fresh_engine, settings).sent == 0, "not before the back-off"
    with unit_of_work(fresh_engine) as session:
        session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    assert drain(fresh_engine, mail_settings).sent == 2

    assert smtp.handler.count_by_message_id() == dict.fromkeys(ids, 1)
    assert {row.status for row in outbox_rows(fresh_engine)} == {"sent"}


def test_permanent_refusal_fails_with_the_servers_answer(
    fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    add_letters(fresh_engine, mail_settings, 2)
    smtp.handler.mode = "permanent"

    stats = drain(fresh_engine, mail_settings)

    assert (stats.sent, stats.failed) == (0, 2)
    for row in outbox_rows(fresh_engine):
        assert (row.status, row.attempts) == ("failed", 1)
        assert row.last_error == "550 5.1.1 <depute@example.fr>: Recipient address rejected"
    assert letter_statuses(fresh_engine) == {"failed": 2}
    with unit_of_work(fresh_engine) as session:
        detail = session.scalars(
            select(LetterEvent.detail).where(LetterEvent.to_status == "failed")
        ).first()
    assert detail is not None and "Recipient address rejected" in detail


def test_gives_up_after_the_maximum_attempts(
    fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    add_letters(fresh_engine, mail_settings, 1)
    smtp.handler.mode = "temporary"
    settings = mail_settings.model_copy(update={"outbox_max_attempts": 3})

    deadline = time.monotonic() + 10
    while outbox_rows(fresh_engine)[0].status == "pending" and time.monotonic() < deadline:
        drain(fresh_engine, settings)
        time.sleep(0.05)

    [row] = outbox_rows(fresh_engine)
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error.startswith("Abandonné après 3 tentatives")
    assert smtp.handler.refused == 3
    assert letter_statuses(fresh_engine) == {"failed": 1}


def test_server_down_for_a_while_then_back(
    fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    ids = add_letters(fresh_engine, mail_settings, 30)
    smtp.stop()
    settings = mail_settings.model_copy(update={"outbox_max_attempts": 100})
    stop = threading.Event()
    worker = threading.Thread(
        target=lambda: asyncio.run(
            run_worker(
                engine=fresh_engine,
                settings=settings,
                worker_id="patient",
                outcomes=LetterOutcomes(),
                stop=stop,
                idle_seconds=0.05,
            )
        )
    )
    worker.start()
    try:
        time.sleep(0.6)
        rows = outbox_rows(fresh_engine)
        assert {row.status for row in rows} == {"pending"}
        assert max(row.attempts for row in rows) >= 2
        assert "injoignable" in rows[0].last_error

        smtp.start()
        deadline = time.monotonic() + 15
        while len(smtp.handler.received) < len(ids) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join(10)

    assert smtp.handler.count_by_message_id() == dict.fromkeys(ids, 1)
    assert {row.status for row in outbox_rows(fresh_engine)} == {"sent"}
    assert letter_statuses(fresh_engine) == {"sent": 30}


def test_rate_limit_spaces_the_sends(
    fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    ids = add_letters(fresh_engine, mail_settings, 4)
    settings = mail_settings.model_copy(update={"smtp_rate_per_minute": 600})

    started = time.monotonic()
    drain(fresh_engine, settings)

    assert time.monotonic() - started >= 0.3
    assert smtp.handler.count_by_message_id() == dict.fromkeys(ids, 1)


def test_rate_limiter_allows_no_burst() -> None:
    now = [100.0]
    limiter = RateLimiter(120, clock=lambda: now[0])
    asyncio.run(limiter.wait())
    assert limiter.next_at == 100.5
    now[0] = 101.0
    asyncio.run(limiter.wait())
    assert limiter.next_at == 101.5
    assert RateLimiter(0).interval == 0
