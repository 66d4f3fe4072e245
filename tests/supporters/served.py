"""The real app served by `plaidoyer serve` on loopback, an aiosmtpd sink, and the real worker."""

import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from supporters_support import MAIL_FROM, SECRET

from tests.live import PLAIDOYER, free_port


@dataclass
class Mailbox:
    """An SMTP server on loopback keeping every message it accepts."""

    received: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append(envelope.content)
        return "250 2.0.0 OK"

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            raw = list(self.received)
        return [BytesParser(policy=default).parsebytes(r) for r in raw]  # type: ignore[misc]


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def environment(data_dir: Path, database_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PLAIDOYER_") and key not in {"DATABASE_URL", "PORT"}
    }
    return (
        env
        | {
            "PLAIDOYER_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "PLAIDOYER_SECRET_KEY": SECRET,
            "PLAIDOYER_MAIL_BACKEND": "smtp",
            "PLAIDOYER_SMTP_PORT": str(smtp_port),
            "PLAIDOYER_MAIL_FROM": MAIL_FROM,
            "PLAIDOYER_SMTP_TIMEOUT_SECONDS": "5",
            "PLAIDOYER_OUTBOX_LEASE_SECONDS": "60",
            "PLAIDOYER_OUTBOX_BATCH_SIZE": "200",
            "PLAIDOYER_WORKER": "off",  # the test runs the worker itself
        }
        | extra
    )


def run_worker(env: dict[str, str]) -> str:
    """`plaidoyer outbox run --once`: the real worker drains the outbox; its output."""
    done = subprocess.run(
        [str(PLAIDOYER), "outbox", "run", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout
