"""A real uvicorn server in a subprocess, on a migrated database with a staff token, officials."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import Engine

from app.db import build_engine, unit_of_work
from app.security import Actor
from app.users.models import Role
from app.users.service import create_token
from tests.factories import add_campaign, add_official, add_user
from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]
ACTOR = Actor.system("tests de charge")


@dataclass
class Seeded:
    token: str
    campaign_id: int
    official_ids: list[int]


@dataclass
class LiveServer:
    base_url: str
    engine: Engine
    seeded: Seeded
    log: Path

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.seeded.token}"}


def seed(url: str, *, officials: int = 20) -> Seeded:
    """Adds a staff user with a token, a campaign and officials to the migrated database."""
    engine = build_engine(url)
    try:
        with unit_of_work(engine) as session:
            staff = add_user(
                session,
                role=Role.staff,
                email="charge@test.fr",
                password="mot-de-passe-de-charge",
                full_name="Charge",
                actor=ACTOR,
            )
            token = create_token(session, user=staff, name="charge", actor=ACTOR)
            campaign = add_campaign(session, name="Charge", slug="charge", actor=ACTOR)
            rows = [
                add_official(
                    session,
                    source_id=f"PA{n}",
                    first_name=f"Prénom{n}",
                    last_name=f"Nom{n}",
                    search_name=f"prenom{n} nom{n}",
                    circonscription=n % 10 + 1,
                    department_code="69",
                )
                for n in range(officials)
            ]
            return Seeded(token, campaign.id, [row.id for row in rows])
    finally:
        engine.dispose()


@contextmanager
def live_server(url: str, data_dir: Path, **env: str) -> Iterator[LiveServer]:
    """Seeds the migrated database at `url`, starts `uvicorn app.asgi:app` on a free loopback
    port; stops it at the end."""
    seeded = seed(url)
    port = free_port()
    log = data_dir / "uvicorn.log"
    environment = {**os.environ, "DATABASE_URL": url, "PLAIDOYER_DATA_DIR": str(data_dir), **env}
    command_line = [sys.executable, "-m", "uvicorn", "app.asgi:app", "--host", "127.0.0.1"]
    command_line += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command_line, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    engine = build_engine(url)
    try:
        _wait_until_up(base_url, process, log)
        yield LiveServer(base_url, engine, seeded, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        engine.dispose()


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"uvicorn s'est arrêté :\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"uvicorn ne répond pas :\n{log.read_text()}")
