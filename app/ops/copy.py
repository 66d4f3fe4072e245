"""`plaidoyer db copy`: a whole database into an empty one, in one transaction on the target."""

from collections.abc import Callable

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, Table, delete, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from app.db import build_engine
from app.errors import Conflict, Invalid
from app.models import Base
from app.ops.checksum import TableSum, table_sum
from app.ops.ready import ALEMBIC_INI, expected_heads

BATCH = 1000

# Told each table's name and row count before it is copied, then how many rows went in.
Started = Callable[[str, int], None]
Advanced = Callable[[int], None]


def sqlalchemy_url(url: str) -> str:
    """`postgresql://…` means psycopg 3 here, the only PostgreSQL driver installed."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def copy_database(
    *,
    source: Engine,
    target_url: str,
    started: Started = lambda _name, _total: None,
    advanced: Advanced = lambda _count: None,
) -> list[TableSum]:
    """Copy every table of `source` into the empty database at `target_url`, verified.

    Schema, rows and sequences go in one transaction: on any failure the target stays empty.
    """
    target = build_engine(sqlalchemy_url(target_url))
    try:
        with source.connect() as reader:
            _check_source(reader)
            _check_empty(target)
            with target.begin() as writer:
                _create_schema(writer)
                for table in reversed(Base.metadata.sorted_tables):
                    writer.execute(delete(table))  # rows the migrations seed
                sums = []
                for table in Base.metadata.sorted_tables:
                    _copy_table(reader, writer, table, started=started, advanced=advanced)
                    sums.append(_verified(reader, writer, table))
                if writer.dialect.name == "postgresql":
                    _move_sequences(writer)
        return sums
    finally:
        target.dispose()


def _check_source(reader: Connection) -> None:
    heads = set(MigrationContext.configure(reader).get_current_heads())
    if heads != expected_heads():
        raise Invalid("La base source n'est pas à jour : lancez d'abord « plaidoyer db upgrade ».")
    reader.rollback()


def _check_empty(target: Engine) -> None:
    try:
        tables = inspect(target).get_table_names()
    except DBAPIError as exc:
        raise Invalid(f"Base cible injoignable : {exc.orig}") from exc
    if tables:
        raise Conflict(
            f"La base cible n'est pas vide ({len(tables)} tables, dont {sorted(tables)[0]}) : "
            "donnez une base neuve, créée par exemple avec « createdb »."
        )


def _create_schema(writer: Connection) -> None:
    config = Config(str(ALEMBIC_INI))
    config.attributes["connection"] = writer
    command.upgrade(config, "head")


def _copy_table(
    reader: Connection, writer: Connection, table: Table, *, started: Started, advanced: Advanced
) -> None:
    started(table.name, reader.scalar(select(func.count()).select_from(table)) or 0)
    keys = [column.key for column in table.columns]
    # In key order, so that a row referring to an earlier row of its own table comes after it.
    ordered = select(table).order_by(*table.primary_key.columns)
    rows = reader.execution_options(yield_per=BATCH).execute(ordered)
    for batch in rows.partitions(BATCH):
        try:
            writer.execute(table.insert(), [dict(zip(keys, row, strict=True)) for row in batch])
        except DBAPIError as exc:
            raise Invalid(
                f"Copie de la table {table.name} impossible : {exc.orig} "
                "Rien n'a été écrit dans la base cible."
            ) from exc
        advanced(len(batch))


def _verified(reader: Connection, writer: Connection, table: Table) -> TableSum:
    expected, copied = table_sum(reader, table), table_sum(writer, table)
    if copied != expected:
        raise Invalid(
            f"Table {table.name} : {copied.rows} lignes copiées sur {expected.rows}, "
            "ou contenu différent. Rien n'a été écrit dans la base cible."
        )
    return copied


def _move_sequences(writer: Connection) -> None:
    """Each serial id continues after the largest copied one."""
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = writer.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence is None:
                continue
            writer.execute(
                text(
                    f'SELECT setval(:sequence, coalesce(max("{column.name}"), 0) + 1, false) '  # noqa: S608
                    f'FROM "{table.name}"'
                ),
                {"sequence": sequence},
            )
