"""Nothing lost, nothing doubled: several workers, a killed worker, a stopped worker."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from smtp_support import SmtpServer, add_letters, letter_statuses, outbox_rows
from sqlalchemy import Engine, func, select

from app.config import Settings
from app.db import build_engine, unit_of_work
from app.letters.models import LetterEvent
from app.letters.sending import LetterOutcomes
from app.mailing.outbox import claim_batch
from app.mailing.worker import WorkerStats, run_worker

PLAIDOYER = Path(sys.executable).with_name("plaidoyer")


def drain(engine: Engine, settings: Settings, worker_id: str) -> WorkerStats:
    return asyncio.run(
        run_worker(
            engine=engine,
            settings=settings,
            worker_id=worker_id,
            outcomes=LetterOutcomes(),
            once=True,
        )
    )


def spawn_worker(
    url: str, settings: Settings, worker_id: str, *, lease: float
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PLAIDOYER_DATA_DIR": str(settings.data_dir),
        "PLAIDOYER_MAIL_BACKEND": "smtp",
        "PLAIDOYER_MAIL_FROM": settings.mail_from,
        "PLAIDOYER_SMTP_PORT": str(settings.smtp_port),
        "PLAIDOYER_SMTP_TIMEOUT_SECONDS": "0.5",
        "PLAIDOYER_OUTBOX_LEASE_SECONDS": str(lease),
        "PLAIDOYER_OUTBOX_BATCH_SIZE": "50",
    }
    return subprocess.Popen(
        [str(PLAIDOYER), "outbox", "run", "--worker-id", worker_id, "--idle", "0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_several_workers_at_once_send_each_message_once(
    fresh_url: str, fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    ids = add_letters(fresh_engine, mail_settings, 160)
    smtp.handler.delay = 0.001
    settings = mail_settings.model_copy(update={"outbox_batch_size": 7})
    results: dict[str, WorkerStats] = {}

    def work(name: str) -> None:
        engine = build_engine(fresh_url)
        try:
            results[name] = drain(engine, settings, name)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert smtp.handler.count_by_message_id() == dict.fromkeys(ids, 1)
    assert sum(stats.sent for stats in results.values()) == 160
    assert sum(1 for stats in results.values() if stats.sent) >= 2, "the work was shared"
    assert letter_statuses(fresh_engine) == {"sent": 160}
    with unit_of_work(fresh_engine) as session:
        sent_events = session.scalar(select(func.count()).where(LetterEvent.to_status == "sent"))
    assert sent_events == 160


def test_an_expired_lease_is_taken_over(
    fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    ids = add_letters(fresh_engine, mail_settings, 5)
    with fresh_engine.execution_options(sqlite_immediate=True).begin() as connection:
        ghost = claim_batch(connection, worker_id="ghost", limit=10, lease_seconds=0.4)
    assert len(ghost) == 5

    assert drain(fresh_engine, mail_settings, "w2").sent == 0, "the lease is still held"
    time.sleep(0.45)
    assert drain(fresh_engine, mail_settings, "w2").sent == 5

    assert smtp.handler.count_by_message_id() == dict.fromkeys(ids, 1)
    assert {row.locked_by for row in outbox_rows(fresh_engine)} == {"w2"}


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    fresh_url: str, fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    ids = add_letters(fresh_engine, mail_settings, 12)
    smtp.handler.gate_after = 5
    doomed = spawn_worker(fresh_url, mail_settings, "doomed", lease=2.0)
    try:
        assert smtp.handler.gate_reached.wait(30), "the worker never reached the sixth message"
    finally:
        doomed.send_signal(signal.SIGKILL)
        doomed.communicate(timeout=10)
        smtp.handler.gate_open.set()

    rows = outbox_rows(fresh_engine)
    assert sum(row.status == "sent" for row in rows) == 5
    stranded = [row for row in rows if row.status == "pending"]
    assert {row.locked_by for row in stranded} == {"doomed"}

    assert drain(fresh_engine, mail_settings, "rescuer").sent == 0, "lease not yet expired"
    time.sleep(max(0.0, max(row.locked_until for row in stranded).timestamp() - time.time()))
    assert drain(fresh_engine, mail_settings, "rescuer").sent == 7

    assert smtp.handler.count_by_message_id() == dict.fromkeys(ids, 1)
    assert letter_statuses(fresh_engine) == {"sent": 12}


def test_sigterm_stops_after_the_current_message_and_hands_the_rest_back(
    fresh_url: str, fresh_engine: Engine, mail_settings: Settings, smtp: SmtpServer
) -> None:
    ids = add_letters(fresh_engine, mail_settings, 40)
    smtp.handler.delay = 0.05
    worker = spawn_worker(fresh_url, mail_settings, "polite", lease=60.0)
    deadline = time.monotonic() + 30
    while len(smtp.handler.received) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=10)

    assert worker.returncode == 0, output
    assert "Envoyés :" in output.decode()
    rows = outbox_rows(fresh_engine)
    sent = sum(row.status == "sent" for row in rows)
    assert 3 <= sent < 40
    assert all(row.locked_until is None for row in rows), "nothing left leased"

    smtp.handler.delay = 0
    assert drain(fresh_engine, mail_settings, "next").sent == 40 - sent
    assert smtp.handler.count_by_message_id() == dict.fromkeys(ids, 1)
