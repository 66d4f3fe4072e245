"""/api/ready says 200 or 503 with the reason; /api/health stays a plain liveness probe."""

import asyncio
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.letters.sending import LetterOutcomes
from app.mailing.models import OutboxMessage, WorkerHeartbeat
from app.mailing.worker import run_worker
from app.main import create_app
from tests.factories import head_revision


def queue_message(session: Session, *, age: timedelta) -> None:
    created = utcnow() - age
    session.add(
        OutboxMessage(
            message_id=f"<{created.timestamp()}@asso.example>",
            from_address="contact@asso.example",
            to_address="depute@assemblee-nationale.fr",
            subject="Nos quatre demandes",
            body="Madame la Députée, …",
            created_at=created,
            next_attempt_at=created,
        )
    )
    session.flush()


def beat(session: Session, *, age: timedelta) -> None:
    at = utcnow() - age
    session.add(
        WorkerHeartbeat(worker_id="hote-1", hostname="hote", pid=1, started_at=at, beat_at=at)
    )
    session.flush()


def test_ready_on_a_migrated_database_with_an_idle_outbox(client: TestClient) -> None:
    response = client.get("/api/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert body["reasons"] == []
    assert body["migrations"] == [head_revision()]
    assert body["outbox_pending"] == 0


def test_a_waiting_message_needs_a_live_worker(client: TestClient, session: Session) -> None:
    queue_message(session, age=timedelta(seconds=5))
    response = client.get("/api/ready")
    assert response.status_code == 503
    assert "aucun processus d'envoi" in response.json()["reasons"][0]
    assert client.get("/api/health").status_code == 200

    beat(session, age=timedelta(seconds=10))
    response = client.get("/api/ready")
    assert response.status_code == 200, response.text
    assert response.json()["heartbeat_age_seconds"] >= 10

    found = session.scalar(select(WorkerHeartbeat))
    assert found is not None
    found.beat_at = utcnow() - timedelta(minutes=10)
    session.flush()
    response = client.get("/api/ready")
    assert response.status_code == 503
    assert "depuis 600 s" in response.json()["reasons"][0]


def test_an_old_message_means_a_stuck_outbox(client: TestClient, session: Session) -> None:
    beat(session, age=timedelta(seconds=1))
    queue_message(session, age=timedelta(hours=1))
    response = client.get("/api/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["reasons"] == [
        "File d'envoi bloquée : le plus ancien e-mail attend depuis 3600 s (seuil 900 s)."
    ]
    assert body["outbox_pending"] == 1


def test_migrations_behind_head(client: TestClient, session: Session) -> None:
    session.execute(text("UPDATE alembic_version SET version_num = '5b0d1e5c0a13'"))
    response = client.get("/api/ready")
    assert response.status_code == 503
    assert response.json()["reasons"][0].startswith("Migrations en retard")


def test_unreachable_database(tmp_path: Path) -> None:
    settings = Settings(
        database_url="postgresql+psycopg://postgres@127.0.0.1:9/absente", data_dir=tmp_path
    )
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        response = client.get("/api/ready")
    app.state.engine.dispose()
    assert response.status_code == 503
    assert response.json()["reasons"] == ["Base de données injoignable."]


def test_the_worker_records_its_heartbeat(fresh_engine: Engine, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, mail_backend="file")
    asyncio.run(
        run_worker(
            engine=fresh_engine,
            settings=settings,
            worker_id="poste-7",
            outcomes=LetterOutcomes(),
            once=True,
        )
    )
    with Session(fresh_engine) as session:
        row = session.scalar(select(WorkerHeartbeat))
    assert row is not None
    assert row.worker_id == "poste-7"
    assert utcnow() - row.beat_at < timedelta(seconds=30)
