"""`plaidoyer backup` and `restore`: SQLite's online backup API, or pg_dump's custom format."""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import make_url

from app.errors import Invalid

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def backup(*, database_url: str, path: Path) -> None:
    """Write a consistent copy of the live database to `path` (replaced only when complete)."""
    partial = path.with_name(path.name + ".partiel")
    try:
        if make_url(database_url).get_backend_name() == "sqlite":
            with closing(_sqlite(database_url)) as live, closing(sqlite3.connect(partial)) as copy:
                live.backup(copy)
        else:
            _run(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={partial}",
                f"--dbname={_libpq(database_url)}",
            )
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def restore(*, database_url: str, path: Path) -> None:
    """Replace the live database's content with the backup at `path`, all or nothing."""
    backend = make_url(database_url).get_backend_name()
    kind = _kind(path)
    if kind != backend:
        raise Invalid(
            f"{path} est une sauvegarde {kind} et la base actuelle est {backend} : "
            "restaurez dans une base du même type, puis utilisez « plaidoyer db copy »."
        )
    if backend == "sqlite":
        with closing(sqlite3.connect(path)) as saved, closing(_sqlite(database_url)) as live:
            saved.backup(live)
    else:
        _run(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_libpq(database_url)}",
            str(path),
        )


def _sqlite(database_url: str) -> sqlite3.Connection:
    return sqlite3.connect(make_url(database_url).database or "", timeout=15)


def _kind(path: Path) -> str:
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise Invalid(f"Sauvegarde illisible : {path} ({exc.strerror}).") from exc
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise Invalid(f"{path} n'est pas une sauvegarde Plaidoyer (ni SQLite, ni pg_dump).")


def _libpq(database_url: str) -> str:
    """The URL without SQLAlchemy's driver name, as pg_dump and pg_restore read it."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run(program: str, *args: str) -> None:
    if shutil.which(program) is None:
        raise Invalid(f"{program} est introuvable : installez le client PostgreSQL.")
    done = subprocess.run(  # noqa: S603 (fixed program, arguments as a list)
        [program, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    )
    if done.returncode != 0:
        raise Invalid(f"{program} a échoué : {done.stderr.strip()}")
