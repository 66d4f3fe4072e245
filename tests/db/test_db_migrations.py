"""Every migration runs up and down on both backends, and the models match what they build."""

import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from app.db import build_engine
from app.models import Base
from tests.factories import alembic_config

# Alembic's own bookkeeping table is the only one the models do not declare.
NOT_MODELLED = {"alembic_version"}


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - NOT_MODELLED


@pytest.fixture
def fresh_url(backend: str, make_database_url) -> str:  # type: ignore[no-untyped-def]
    url: str = make_database_url(backend)
    return url


def test_upgrade_downgrade_upgrade_round_trip(fresh_url: str) -> None:
    config = alembic_config(fresh_url)
    engine = build_engine(fresh_url)
    try:
        command.upgrade(config, "head")
        assert table_names(engine) == set(Base.metadata.tables)
        command.downgrade(config, "base")
        assert table_names(engine) == set()
        command.upgrade(config, "head")
        assert table_names(engine) == set(Base.metadata.tables)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM demand")) == 4
    finally:
        engine.dispose()


def test_each_revision_steps_down_and_up_again(fresh_url: str) -> None:
    config = alembic_config(fresh_url)
    revisions = list(ScriptDirectory.from_config(config).walk_revisions("base", "heads"))
    command.upgrade(config, "head")
    for _ in revisions:
        command.downgrade(config, "-1")
    command.upgrade(config, "head")


def test_models_match_the_migrations(fresh_url: str) -> None:
    command.upgrade(alembic_config(fresh_url), "head")
    engine = build_engine(fresh_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], "les modèles et les migrations divergent :\n" + "\n".join(map(str, diff))


def test_sqlite_pragmas_at_runtime(make_database_url) -> None:  # type: ignore[no-untyped-def]
    engine = build_engine(make_database_url("sqlite"))
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0
        # Every pooled connection gets them, not only the first one.
        seen: list[object] = []

        def probe() -> None:
            with engine.connect() as conn:
                seen.append(conn.exec_driver_sql("PRAGMA foreign_keys").scalar())

        threads = [threading.Thread(target=probe) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen == [1, 1, 1]
    finally:
        engine.dispose()
