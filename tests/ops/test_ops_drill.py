"""The scale-out drill: 1,000 letters sent through two app processes and two outbox workers;
one of each is killed (SIGKILL) during the send. Nothing is lost, nothing is sent twice."""

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from ops_support import PLAIDOYER, ROOT, Server, migrate, plaidoyer
from sqlalchemy import Engine, func, select

from app.campaigns.models import Campaign
from app.db import build_engine, unit_of_work
from app.letters.models import Channel, Letter, LetterStatus
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official

sys.path.insert(0, str(ROOT / "tests" / "mailing"))
from smtp_support import SinkHandler, SmtpServer

LETTERS = 1000


def draft_letters(engine: Engine) -> tuple[list[int], list[str]]:
    with unit_of_work(engine) as session:
        official = Official(
            kind="deputy",
            source_id="PA793218",
            civility="Mme",
            first_name="Éloïse",
            last_name="Dupré",
            search_name="eloise dupre",
        )
        campaign = Campaign(name="Journée pour un internet plus sûr", slug="sid-exercice")
        session.add_all([official, campaign])
        session.flush()
        letters = [
            Letter(
                campaign_id=campaign.id,
                official_id=official.id,
                channel=Channel.email,
                status=LetterStatus.draft,
                subject=f"Nos quatre demandes (n°{number})",
                body="Madame la Députée,\n\nNous sollicitons votre soutien.",
                recipient_email="eloise.dupre@assemblee-nationale.fr",
                message_id=new_message_id("asso.example"),
                reply_token=new_reply_token(),
            )
            for number in range(LETTERS)
        ]
        session.add_all(letters)
        session.flush()
        return [letter.id for letter in letters], [letter.message_id for letter in letters]


def start_worker(url: str, data_dir: Path, smtp_port: int, name: str) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PLAIDOYER_")}
    env |= {
        "DATABASE_URL": url,
        "PLAIDOYER_DATA_DIR": str(data_dir),
        "PLAIDOYER_MAIL_BACKEND": "smtp",
        "PLAIDOYER_MAIL_FROM": "Association <contact@asso.example>",
        "PLAIDOYER_SMTP_PORT": str(smtp_port),
        "PLAIDOYER_SMTP_TIMEOUT_SECONDS": "0.5",
        "PLAIDOYER_OUTBOX_LEASE_SECONDS": "6",
        "PLAIDOYER_OUTBOX_BATCH_SIZE": "20",
    }
    return subprocess.Popen(
        [str(PLAIDOYER), "outbox", "run", "--worker-id", name, "--idle", "0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.postgres
def test_kill_one_of_two_workers_and_app_processes_during_a_1000_letter_send(
    make_database_url: Any, tmp_path: Path
) -> None:
    url: str = make_database_url("postgresql")
    migrate(url)
    engine = build_engine(url)
    letter_ids, message_ids = draft_letters(engine)
    plaidoyer(
        "user", "create", "staff@asso.example", "--role", "staff",
        database_url=url, data_dir=tmp_path, stdin="mot-de-passe-exercice\n",
    )  # fmt: skip
    token = plaidoyer(
        "token", "create", "staff@asso.example", database_url=url, data_dir=tmp_path
    ).stdout.split()[-1]
    smtp = SmtpServer(SinkHandler(gate_after=400))
    smtp.start()
    servers = [Server(database_url=url, data_dir=tmp_path).start() for _ in range(2)]
    doomed_worker = start_worker(url, tmp_path, smtp.port, "condamne")
    survivor: subprocess.Popen[bytes] | None = None
    alive = list(servers)
    headers = {"Authorization": f"Bearer {token}"}
    done: list[int] = []
    lock = threading.Lock()
    queued_300 = threading.Event()
    try:

        def send(letter_id: int) -> int:
            # A load balancer's retry: an app process gone mid-request, try the next one.
            for attempt in range(10):
                server = alive[(letter_id + attempt) % len(alive)]
                try:
                    response = httpx.post(
                        f"{server.url}/api/letters/{letter_id}/send", headers=headers, timeout=30
                    )
                except httpx.TransportError:
                    continue
                if response.status_code in (200, 409):  # 409: queued before the crash
                    with lock:
                        done.append(letter_id)
                        if len(done) == 300:
                            queued_300.set()  # the kill lands while requests are in flight
                    return response.status_code
                raise AssertionError(response.text)
            raise AssertionError(f"letter {letter_id} never queued")

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = pool.map(send, letter_ids)
            assert queued_300.wait(240), "300 letters were never queued"
            os.killpg(servers[0].process.pid, signal.SIGKILL)  # type: ignore[union-attr]
            alive.remove(servers[0])
            assert set(answers) <= {200, 409}

        # The first worker is held inside an SMTP transaction, then killed; a second one takes over.
        assert smtp.handler.gate_reached.wait(120), "the worker never reached the gate"
        survivor = start_worker(url, tmp_path, smtp.port, "survivant")
        time.sleep(1.0)
        doomed_worker.send_signal(signal.SIGKILL)
        doomed_worker.wait(10)
        smtp.handler.gate_open.set()

        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                sent = conn.scalar(select(func.count()).where(Letter.status == LetterStatus.sent))
            if sent == LETTERS:
                break
            time.sleep(1)
        assert sent == LETTERS
        assert smtp.handler.count_by_message_id() == dict.fromkeys(message_ids, 1)
    finally:
        for process in (doomed_worker, survivor):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(30)
        for server in servers:
            server.stop()
        smtp.handler.gate_open.set()
        smtp.stop()
        engine.dispose()
