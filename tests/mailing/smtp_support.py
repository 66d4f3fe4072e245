"""The SMTP sink and outbox helpers shared by the mailing tests and their fixtures."""

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import Engine, func, select

from app.config import Settings
from app.db import unit_of_work
from app.letters.models import Letter
from app.mailing.models import OutboxMessage
from tests.factories import queue_email_letters
from tests.live import free_port


@dataclass
class SinkHandler:
    """Accepts, slows down or refuses messages; keeps what it accepted."""

    mode: str = "accept"
    delay: float = 0.0
    scripted: list[str] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)
    refused: int = 0
    gate_after: int | None = None
    gate_reached: threading.Event = field(default_factory=threading.Event)
    gate_open: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            answer = self.scripted.pop(0) if self.scripted else None
        if answer is None and self.mode == "temporary":
            answer = "451 4.3.0 Service momentanément indisponible"
        if answer is None and self.mode == "permanent":
            answer = "550 5.1.1 <depute@example.fr>: Recipient address rejected"
        if answer is not None:
            self.refused += 1
            return answer
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.gate_after is not None and len(self.received) >= self.gate_after:
            # Hold this message until the test has killed the client, then refuse it: a server
            # only takes responsibility for a message once it has answered 250.
            self.gate_after = None
            self.gate_reached.set()
            await asyncio.get_running_loop().run_in_executor(None, self.gate_open.wait, 10)
            return "451 4.4.2 Client parti"
        with self.lock:
            self.received.append(envelope.content)
        return "250 2.0.0 OK"

    def messages(self) -> list[EmailMessage]:
        return [BytesParser(policy=default).parsebytes(raw) for raw in self.received]  # type: ignore[misc]

    def count_by_message_id(self) -> Counter[str]:
        return Counter(str(message["Message-ID"]) for message in self.messages())


class SmtpServer:
    def __init__(self, handler: SinkHandler) -> None:
        self.handler = handler
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def add_letters(engine: Engine, settings: Settings, count: int) -> list[str]:
    """Commit `count` e-mail letters queued in the outbox (tests.factories); their Message-IDs."""
    with unit_of_work(engine) as session:
        return queue_email_letters(session, settings=settings, count=count)


def outbox_rows(engine: Engine) -> list[OutboxMessage]:
    with unit_of_work(engine) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def letter_statuses(engine: Engine) -> Counter[str]:
    with unit_of_work(engine) as session:
        rows = session.execute(select(Letter.status, func.count()).group_by(Letter.status))
        return Counter({status: count for status, count in rows})
