from alembic import context
from sqlalchemy import Connection, text

from app.config import get_settings
from app.db import build_engine, get_engine
from app.models import Base

target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Never queue behind live traffic for long: give up, the deploy can try again.
            milliseconds = int(get_settings().db_lock_timeout_seconds * 1000)
            connection.execute(text(f"SET LOCAL lock_timeout = {milliseconds}"))
        context.run_migrations()


def run_online() -> None:
    # Callers (tests, the CLI) may hand over a connection or a URL; else the app's settings decide.
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = context.config.attributes.get("url")
    engine = build_engine(url) if url else get_engine()
    try:
        with engine.connect() as conn:
            run_with(conn)
            conn.commit()
    finally:
        if url:
            engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Les migrations hors ligne ne sont pas prises en charge.")
run_online()
