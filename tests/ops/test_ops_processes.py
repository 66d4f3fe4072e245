"""Nothing one process keeps in memory is needed by another: sessions, CSRF, limits, templates."""

import re
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from ops_support import Server, migrate, plaidoyer
from sqlalchemy import Engine, text

from app.db import build_engine
from app.ops.ratelimit import DatabaseLimiter, Limiter, RedisLimiter
from tests.factories import head_revision

REDIS_URL = "redis://127.0.0.1:6379/15"
PASSWORD = "mot-de-passe-partage"


def hits_until_refused(limiters: list[Limiter], key: str) -> int:
    for count in range(1, 20):
        if not limiters[count % 2].hit(key=key, limit=5, seconds=60):
            return count
    return 0


def test_database_limiter_counts_across_engines(fresh_url: str, fresh_engine: Engine) -> None:
    other = build_engine(fresh_url)
    try:
        limiters: list[Limiter] = [DatabaseLimiter(fresh_engine), DatabaseLimiter(other)]
        assert hits_until_refused(limiters, "signature:203.0.113.7") == 6
        assert limiters[0].hit(key="signature:198.51.100.1", limit=5, seconds=60)
    finally:
        other.dispose()


def test_redis_limiter_counts_across_clients() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError as exc:
        pytest.skip(f"Redis ne répond pas sur {REDIS_URL} : {exc}")
    limiters: list[Limiter] = [RedisLimiter(REDIS_URL), RedisLimiter(REDIS_URL)]
    assert hits_until_refused(limiters, f"signature:{uuid.uuid4().hex}") == 6


def csrf_of(response: httpx.Response) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', response.text)
    assert found, response.text[:500]
    return found.group(1)


@pytest.mark.postgres
def test_two_app_processes_share_everything(make_database_url: Any, tmp_path: Path) -> None:
    url: str = make_database_url("postgresql")
    migrate(url)
    plaidoyer(
        "user", "create", "admin@asso.example", "--role", "admin",
        database_url=url, data_dir=tmp_path, stdin=PASSWORD + "\n",
    )  # fmt: skip
    token = (
        plaidoyer("token", "create", "admin@asso.example", database_url=url, data_dir=tmp_path)
        .stdout.strip()
        .splitlines()[-1]
    )
    one = Server(database_url=url, data_dir=tmp_path).start()
    two = Server(database_url=url, data_dir=tmp_path).start()
    try:
        # One browser: cookies do not depend on the port, so both processes see the same jar.
        with httpx.Client() as http:
            a, b = one.url, two.url
            # A session made on one process is valid on the other, CSRF token included.
            csrf = csrf_of(http.get(f"{a}/connexion"))
            login = {"email": "admin@asso.example", "password": PASSWORD, "csrf_token": csrf}
            assert http.post(f"{a}/connexion", data=login).status_code == 303
            assert http.get(f"{b}/admin/utilisateurs").status_code == 200
            csrf = csrf_of(http.get(f"{a}/"))
            assert http.post(f"{b}/deconnexion", data={"csrf_token": csrf}).status_code == 303
            assert http.get(f"{a}/admin/utilisateurs").headers["location"].startswith("/connexion")

            # The failed-login limit counts across both processes.
            statuses = []
            for attempt in range(11):
                server = (a, b)[attempt % 2]
                csrf = csrf_of(http.get(f"{server}/connexion"))
                wrong = {"email": "admin@asso.example", "password": "non", "csrf_token": csrf}
                statuses.append(http.post(f"{server}/connexion", data=wrong).status_code)
            assert 429 not in statuses[:10]
            assert statuses[10] == 429

            # A template written through one process is read through the other.
            bearer = {"Authorization": f"Bearer {token}"}
            created = http.post(
                f"{a}/api/templates",
                headers=bearer,
                json={"name": "Relance", "subject": "Nos demandes", "body": "Madame, Monsieur,"},
            )
            assert created.status_code == 201, created.text
            path = f"/api/templates/{created.json()['id']}"
            seen = http.get(f"{b}{path}", headers=bearer)
            assert seen.status_code == 200
            assert seen.json()["name"] == "Relance"
            update = {"name": "Relance d'automne", "subject": "Nos demandes", "body": "Madame,"}
            assert http.put(f"{b}{path}", headers=bearer, json=update).status_code == 200
            assert http.get(f"{a}{path}", headers=bearer).json()["name"] == "Relance d'automne"
    finally:
        one.stop()
        two.stop()


@pytest.mark.postgres
def test_db_upgrade_gives_up_on_a_held_lock(make_database_url: Any, tmp_path: Path) -> None:
    url: str = make_database_url("postgresql")
    migrate(url)
    engine = build_engine(url)
    try:
        with engine.connect() as busy:
            busy.execute(text("SELECT count(*) FROM worker_heartbeat"))  # holds ACCESS SHARE
            started = time.monotonic()
            done = plaidoyer(
                "db", "downgrade", "5b0d1e5c0a13",
                database_url=url, data_dir=tmp_path, ok=False,
                env={"PLAIDOYER_DB_LOCK_TIMEOUT_SECONDS": "1"},
            )  # fmt: skip
            assert time.monotonic() - started < 60
            busy.rollback()
        assert done.returncode == 1
        assert "attendait un verrou" in done.stderr
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
    finally:
        engine.dispose()
