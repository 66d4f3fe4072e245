"""The backup drill: back up, wipe, restore — every row back, equal checksums, both backends."""

from pathlib import Path

from ops_support import plaidoyer, populate
from sqlalchemy import inspect, make_url, text

from app.db import build_engine
from app.ops.checksum import database_sums
from tests.factories import head_revision


def wipe(url: str) -> None:
    """Lose the database, as after a disk failure or a wrong command."""
    if make_url(url).get_backend_name() == "sqlite":
        database = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        return
    engine = build_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    assert inspect(engine).get_table_names() == []
    engine.dispose()


def test_backup_wipe_restore_drill(fresh_url: str, tmp_path: Path) -> None:
    engine = build_engine(fresh_url)
    populate(engine)
    with engine.connect() as conn:
        before = database_sums(conn)
    engine.dispose()
    saved = tmp_path / "plaidoyer.sauvegarde"

    done = plaidoyer("backup", str(saved), database_url=fresh_url, data_dir=tmp_path)
    assert "Base sauvegardée" in done.stdout
    assert not saved.with_name(saved.name + ".partiel").exists()
    wipe(fresh_url)
    done = plaidoyer("restore", str(saved), "--yes", database_url=fresh_url, data_dir=tmp_path)

    engine = build_engine(fresh_url)
    try:
        with engine.connect() as conn:
            after = database_sums(conn)
            version = conn.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        engine.dispose()
    assert after == before
    assert sum(table.rows for table in after) > 24 * 7
    assert version == head_revision()
    assert all(table.checksum[:16] in done.stdout for table in before)


def test_restore_refuses_a_backup_of_the_other_kind(fresh_url: str, tmp_path: Path) -> None:
    other = tmp_path / "autre.sauvegarde"
    other.write_bytes(
        b"PGDMP\x01\x0e" if fresh_url.startswith("sqlite") else b"SQLite format 3\x00" + b"\0" * 84
    )
    done = plaidoyer(
        "restore", str(other), "--yes", database_url=fresh_url, data_dir=tmp_path, ok=False
    )
    assert done.returncode == 1
    assert "la base actuelle est" in done.stderr
    assert "La base n'a pas été modifiée." in done.stderr


def test_restore_refuses_a_file_that_is_no_backup(fresh_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("pas une sauvegarde")
    done = plaidoyer(
        "restore", str(junk), "--yes", database_url=fresh_url, data_dir=tmp_path, ok=False
    )
    assert "n'est pas une sauvegarde Plaidoyer" in done.stderr
