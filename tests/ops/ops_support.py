"""Helpers for the ops tests: migrating, filling every table, running the CLI."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Engine,
    Integer,
    LargeBinary,
    String,
    Text,
    select,
    update,
)

from app.db import UTCDateTime
from app.models import Base
from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent.parent


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["url"] = url
    return config


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


PLAIDOYER = Path(sys.executable).with_name("plaidoyer")


def plaidoyer(
    *args: str,
    database_url: str,
    data_dir: Path,
    ok: bool = True,
    stdin: str = "",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Runs `plaidoyer …` as a subprocess against one database, as an operator would."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PLAIDOYER_") and key not in {"DATABASE_URL", "PORT", "REDIS_URL"}
    }
    clean |= {"DATABASE_URL": database_url, "PLAIDOYER_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    result = subprocess.run(
        [str(PLAIDOYER), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean | (env or {}),
        cwd=data_dir,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    if ok:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _value(column: Column[Any], index: int, parents: dict[str, list[Any]]) -> Any:
    """A plausible value for one column of the `index`-th generated row."""
    for key in column.foreign_keys:
        ids = parents.get(key.column.table.name)
        return ids[index % len(ids)] if ids else None  # a self-reference: linked afterwards
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return datetime(2026, 2, 10, 8, 30, 15, 123456, tzinfo=UTC) + timedelta(hours=index)
    if isinstance(kind, Boolean):
        return index % 2 == 0
    if isinstance(kind, Date):
        return date(2026, 1, 1) + timedelta(days=index)
    if isinstance(kind, JSON):
        return {"rang": index, "texte": "« Protégeons l'enfance »", "liste": [1, 2.5, None]}
    if isinstance(kind, Integer):
        return 10_000 + index
    if isinstance(kind, LargeBinary):
        return bytes([index % 256, 0, 255]) * 100
    if isinstance(kind, String | Text):
        text = f"{index}·{column.table.name}.{column.name} — Éloïse Dupré « ça »\nligne 2"
        length = getattr(kind, "length", None)
        return text[:length] if length else text
    raise TypeError(f"no generator for {column.table.name}.{column.name}: {kind!r}")


def populate(engine: Engine, rows_per_table: int = 7) -> None:
    """Adds rows to every table the models declare, foreign keys pointing at real parents."""
    with engine.begin() as conn:
        parents: dict[str, list[Any]] = {}
        for table in Base.metadata.sorted_tables:
            generated = [
                {
                    column.key: None
                    if column.nullable and index % 3 == 2 and not column.foreign_keys
                    else _value(column, index, parents)
                    for column in table.columns
                    if column is not table.autoincrement_column
                }
                for index in range(rows_per_table)
            ]
            conn.execute(table.insert(), generated)
            key = next(iter(table.primary_key.columns))
            parents[table.name] = list(conn.scalars(select(key).order_by(key)))
            for column in table.columns:
                if any(fk.column.table is table for fk in column.foreign_keys):
                    ids = parents[table.name]
                    for earlier, later in zip(ids[::2], ids[1::2], strict=False):
                        conn.execute(
                            update(table).where(key == later).values({column.key: earlier})
                        )


class Server:
    """`plaidoyer serve` in a subprocess on a free loopback port; its log lines in a file."""

    def __init__(
        self,
        *,
        database_url: str,
        data_dir: Path,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / f"serveur-{self.port}.log"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PLAIDOYER_", "PROMETHEUS_"))
            and key not in {"DATABASE_URL", "PORT", "REDIS_URL"}
        }
        self.env |= {"DATABASE_URL": database_url, "PLAIDOYER_DATA_DIR": str(data_dir)}
        self.env["PLAIDOYER_WORKER"] = "off"  # the tests start the workers they need
        self.env |= env or {}
        self.args = ["serve", "--port", str(self.port), "--workers", str(workers)]
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Server":
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(PLAIDOYER), *self.args],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.data_dir,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"server did not start:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_lines(self) -> list[str]:
        return self.log_path.read_text().splitlines()
