"""`plaidoyer db copy --to`: a populated SQLite database into a fresh PostgreSQL one."""

from pathlib import Path
from typing import Any

import pytest
from ops_support import migrate, plaidoyer, populate
from sqlalchemy import inspect, text

from app.db import build_engine
from app.models import Base
from app.ops.checksum import database_sums
from tests.factories import head_revision


@pytest.fixture
def populated_sqlite(make_database_url: Any) -> str:
    url: str = make_database_url("sqlite")
    migrate(url)
    engine = build_engine(url)
    populate(engine)
    engine.dispose()
    return url


@pytest.mark.postgres
def test_copy_sqlite_into_an_empty_postgresql(
    populated_sqlite: str, make_database_url: Any, tmp_path: Path
) -> None:
    target: str = make_database_url("postgresql")
    result = plaidoyer(
        "db", "copy", "--to", target, database_url=populated_sqlite, data_dir=tmp_path
    )

    source_engine, target_engine = build_engine(populated_sqlite), build_engine(target)
    try:
        with source_engine.connect() as source, target_engine.connect() as copied:
            expected, found = database_sums(source), database_sums(copied)
            version = copied.scalar(text("SELECT version_num FROM alembic_version"))
        assert found == expected
        assert all(table.rows >= 7 for table in found)
        assert version == head_revision()
        for table in expected:
            assert f"{table.table} " in result.stdout
            assert table.checksum[:16] in result.stdout
        total = sum(table.rows for table in expected)
        assert f"{total} lignes copiées dans {len(expected)} tables." in result.stdout

        # Sequences continue after the copied ids: a new row gets the next id.
        with target_engine.begin() as conn:
            before = conn.scalar(text("SELECT max(id) FROM demand"))
            new_id = conn.scalar(
                text(
                    "INSERT INTO demand (number, title, text_fr)"
                    " VALUES (99, 'Cinquième', 'Texte') RETURNING id"
                )
            )
        assert new_id == before + 1
    finally:
        source_engine.dispose()
        target_engine.dispose()


@pytest.mark.postgres
def test_copy_refuses_a_target_that_is_not_empty(
    populated_sqlite: str, make_database_url: Any, tmp_path: Path
) -> None:
    target: str = make_database_url("postgresql")
    migrate(target)
    result = plaidoyer(
        "db", "copy", "--to", target, database_url=populated_sqlite, data_dir=tmp_path, ok=False
    )
    assert result.returncode == 1
    assert "La base cible n'est pas vide" in result.stderr


@pytest.mark.postgres
def test_a_failed_copy_leaves_the_target_empty(
    populated_sqlite: str, make_database_url: Any, tmp_path: Path
) -> None:
    # SQLite does not enforce VARCHAR lengths; PostgreSQL refuses the row halfway through.
    engine = build_engine(populated_sqlite)
    with engine.begin() as conn:
        conn.execute(text("UPDATE outbox_message SET to_address = :long"), {"long": "x" * 400})
    engine.dispose()
    target: str = make_database_url("postgresql")
    result = plaidoyer(
        "db", "copy", "--to", target, database_url=populated_sqlite, data_dir=tmp_path, ok=False
    )
    assert result.returncode == 1
    assert "Copie de la table outbox_message impossible" in result.stderr
    assert "Rien n'a été écrit dans la base cible." in result.stderr
    target_engine = build_engine(target)
    try:
        assert inspect(target_engine).get_table_names() == []
    finally:
        target_engine.dispose()
    assert len(Base.metadata.sorted_tables) > 20
