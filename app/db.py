"""Engine, sessions and the declarative base shared by every table."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from app.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Sync routes and dependencies run on anyio's thread limiter (40 tokens by default). A request
# reads or writes only while it holds a turn (app/web/deps.py); turns are waited for on the event
# loop, and the pool has a connection for every turn plus the `async def` reads: no thread ever
# waits for a connection that a request holds while it waits for a thread.
THREAD_TOKENS = 40
SPARE_CONNECTIONS = 8
# Longest wait for a connection or for the SQLite write lock, then for a turn in the queue of a
# burst, before a request is refused with a 503.
WAIT_SECONDS = 10.0
TURN_WAIT_SECONDS = 45.0


@dataclass(frozen=True)
class DatabaseLimits:
    """How many requests of one process may read, and write, at once; the pool that fits them."""

    readers: int
    writers: int
    pool_size: int
    max_overflow: int

    @classmethod
    def for_backend(cls, name: str) -> "DatabaseLimits":
        readers = THREAD_TOKENS
        # SQLite has one writer at a time in any case; PostgreSQL writes rows side by side.
        writers = 1 if name == "sqlite" else 8
        capacity = readers + writers + SPARE_CONNECTIONS
        if name == "sqlite":  # cheap connections, kept rather than reopened
            return cls(readers, writers, pool_size=capacity, max_overflow=0)
        # PostgreSQL: a few idle connections kept, the rest opened for a burst and closed after.
        return cls(readers, writers, pool_size=10, max_overflow=capacity - 10)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself, so writers can ask for BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(WAIT_SECONDS * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer that reads first must hold the write lock from the start, or two of them
        # deadlock on the upgrade and one fails with "database is locked".
        options = connection.get_execution_options()
        if options.get("sqlite_autocommit"):
            return  # a lone read: each statement is its own transaction, no BEGIN/ROLLBACK
        immediate = options.get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def build_engine(url: str) -> Engine:
    limits = DatabaseLimits.for_backend(make_url(url).get_backend_name())
    pool = {
        "pool_size": limits.pool_size,
        "max_overflow": limits.max_overflow,
        "pool_timeout": WAIT_SECONDS,
    }
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False, "timeout": WAIT_SECONDS}
        engine = create_engine(url, connect_args=connect_args, **pool)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return build_engine(settings.database_url)


def session_factory(engine: Engine, *, write: bool) -> sessionmaker[Session]:
    bind = engine.execution_options(sqlite_immediate=True) if write else engine
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=False)


@contextmanager
def separate_reads(session: Session) -> Iterator[None]:
    """Reads that precede a request's work (who is signed in) in a transaction of their own,
    ended at once: the write lock (BEGIN IMMEDIATE on SQLite) waits for the write itself, and
    the connection goes back to the pool in the meantime. Inside an open transaction (a test's,
    or work already begun) the reads simply join it."""
    if session.in_transaction():
        yield
        return
    session.connection(execution_options={"sqlite_immediate": False})
    yield
    session.commit()


@contextmanager
def separate_write(session: Session) -> Iterator[None]:
    """A small write ahead of a request's work (a session seen again), committed at once by a
    caller holding the write turn; inside an open transaction it simply joins it."""
    if session.in_transaction():
        yield
        return
    session.connection(execution_options={"sqlite_immediate": True})
    yield
    session.commit()


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """One write transaction: commits at the end, rolls everything back on any error."""
    with session_factory(engine or get_engine(), write=True)() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
