"""A real SMTP server on loopback (aiosmtpd) and freshly migrated databases for the outbox."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from smtp_support import SinkHandler, SmtpServer
from sqlalchemy import Engine

from app.config import Settings
from app.db import build_engine


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(SinkHandler())
    server.start()
    yield server
    server.handler.gate_open.set()
    server.stop()


@pytest.fixture
def mail_settings(smtp: SmtpServer, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        mail_backend="smtp",
        mail_from="Association Protégeons l'Enfance <contact@asso.example>",
        mail_reply_domain="reponses.asso.example",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_timeout_seconds=2.0,
        outbox_lease_seconds=10.0,
        outbox_backoff_seconds=0.05,
        outbox_backoff_max_seconds=0.2,
        outbox_max_attempts=5,
        outbox_batch_size=20,
    )


@pytest.fixture
def fresh_url(backend: str, make_migrated_url: Any) -> str:
    """A new migrated database, so workers can commit and see each other's commits."""
    url: str = make_migrated_url(backend)
    return url


@pytest.fixture
def fresh_engine(fresh_url: str) -> Iterator[Engine]:
    engine = build_engine(fresh_url)
    yield engine
    engine.dispose()
