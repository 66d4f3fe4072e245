"""A request that cannot get the database in time: a French 503 with Retry-After, no change."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, func, select

from app.campaigns.models import Campaign
from app.config import Settings
from app.db import build_engine, session_factory, unit_of_work
from app.main import create_app
from app.security import Actor
from app.users.models import Role
from app.users.service import create_token, create_user

NEW_CAMPAIGN = {"name": "Rentrée", "slug": "rentree"}


@pytest.fixture
def sqlite_app(make_migrated_url, tmp_path: Path) -> Iterator[tuple[FastAPI, str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    url = make_migrated_url("sqlite")
    engine = build_engine(url)
    with unit_of_work(engine) as session:
        staff = create_user(
            session,
            email="staff@occupe.fr",
            password="un-mot-de-passe-assez-long",
            role=Role.staff,
            full_name="",
            actor=Actor.system(),
        )
        token = create_token(session, user=staff, name="tests", actor=Actor.system())
    engine.dispose()
    app = create_app(Settings(database_url=url, data_dir=tmp_path))
    yield app, url, {"Authorization": f"Bearer {token}"}
    app.state.engine.dispose()


def _campaigns(app: FastAPI) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count(Campaign.id))) or 0)


def _refused(response: Any) -> bool:
    return (
        response.status_code == 503
        and response.headers["retry-after"].isdigit()
        and "réessayez dans quelques secondes" in response.json()["detail"]
    )


def test_a_write_lock_held_elsewhere_gives_a_503_then_the_write_passes(sqlite_app) -> None:  # type: ignore[no-untyped-def]
    app, url, headers = sqlite_app

    @event.listens_for(app.state.engine, "connect")
    def _short_busy_timeout(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=200")

    locker = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:
            client.get("/api/health")  # the pool's first connection opened before the lock
            locker.execute("BEGIN IMMEDIATE")
            assert _refused(client.post("/api/campaigns", json=NEW_CAMPAIGN, headers=headers))
            locker.execute("ROLLBACK")
            assert _campaigns(app) == 0
            created = client.post("/api/campaigns", json=NEW_CAMPAIGN, headers=headers)
            assert created.status_code == 201, created.text
    finally:
        locker.close()
    assert _campaigns(app) == 1


def test_no_connection_in_time_gives_a_503(sqlite_app) -> None:  # type: ignore[no-untyped-def]
    app, url, headers = sqlite_app
    tiny = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    app.state.write_sessions = session_factory(tiny, write=True)
    try:
        with tiny.connect(), TestClient(app, base_url="http://127.0.0.1") as client:
            assert _refused(client.post("/api/campaigns", json=NEW_CAMPAIGN, headers=headers))
    finally:
        tiny.dispose()
    assert _campaigns(app) == 0
