"""Counters kept in the database, so a limit holds across every app process."""

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.supporters.models import SupporterRateCounter


def window_start(now: datetime, window: timedelta) -> datetime:
    """The start of the fixed window `now` falls in."""
    seconds = int(window.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=now.tzinfo)


def hit(session: Session, *, key: str, window: timedelta, now: datetime) -> int:
    """Count one request for `key` in the current window; the window's count so far."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    counter = SupporterRateCounter.__table__.c
    upsert = (
        insert(SupporterRateCounter)
        .values(key=key, window_start=window_start(now, window), count=1)
        .on_conflict_do_update(
            index_elements=["key", "window_start"], set_={"count": counter.count + 1}
        )
    )
    return int(session.execute(upsert.returning(counter.count)).scalar_one())


def purge(session: Session, *, before: datetime) -> int:
    """Drop counters of windows that started before `before`."""
    done = session.execute(
        delete(SupporterRateCounter).where(SupporterRateCounter.window_start < before)
    )
    return cast(CursorResult[Any], done).rowcount
