"""The contacts-and-robots revision up and down on both backends, with rows already there."""

from alembic import command
from sqlalchemy import inspect, text

from app.db import build_engine
from tests.factories import alembic_config

BEFORE, REVISION = "7c4e2a9d5f31", "8b2e1d3c4f56"


def _columns(engine, table: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_up_keeps_existing_replies_as_replies_and_down_removes_it_all(
    backend: str, make_database_url
) -> None:  # type: ignore[no-untyped-def]
    url: str = make_database_url(backend)
    config = alembic_config(url)
    engine = build_engine(url)
    try:
        command.upgrade(config, BEFORE)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO reply (channel, received_at, sender, subject, body, created_at)"
                    " VALUES ('email', :at, 'x@y.fr', 'Re: nos demandes', 'Oui.', :at)"
                ),
                {"at": "2026-11-24 08:00:00+00:00"},
            )
        command.upgrade(config, REVISION)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT kind, delivery_status, diagnostic FROM reply")).one()
        assert tuple(row) == ("reply", "", "")
        assert {"bounce_address", "bounced_at", "bounce_diagnostic"} <= _columns(engine, "official")
        assert "contact_override" in inspect(engine).get_table_names()

        command.downgrade(config, BEFORE)
        assert "contact_override" not in inspect(engine).get_table_names()
        assert "kind" not in _columns(engine, "reply")
        assert "bounce_address" not in _columns(engine, "official")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT subject FROM reply")).scalar() == "Re: nos demandes"
        command.upgrade(config, REVISION)
    finally:
        engine.dispose()
