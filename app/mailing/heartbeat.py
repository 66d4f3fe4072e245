"""Outbox workers say they are alive, at most every few seconds, in their own row."""

import os
import socket
import time
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.mailing.models import WorkerHeartbeat

FORGET_AFTER = timedelta(days=7)


class Heartbeat:
    """One worker's heartbeat; `beat` writes only when `interval` seconds have passed."""

    def __init__(self, *, worker_id: str, interval: float = 10.0) -> None:
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = utcnow()
        self.last = float("-inf")

    def beat(self, connection: Connection) -> None:
        if time.monotonic() - self.last < self.interval:
            return
        table = WorkerHeartbeat
        now = utcnow()
        with connection.begin():
            found = connection.execute(
                update(table).where(table.worker_id == self.worker_id).values(beat_at=now)
            ).rowcount
            if not found:
                # A new process: forget the rows of workers long gone, then add its own.
                connection.execute(delete(table).where(table.beat_at < now - FORGET_AFTER))
                connection.execute(
                    insert(table).values(
                        worker_id=self.worker_id,
                        hostname=socket.gethostname()[:255],
                        pid=os.getpid(),
                        started_at=self.started_at,
                        beat_at=now,
                    )
                )
        self.last = time.monotonic()


def last_beat(session: Session) -> datetime | None:
    """When any worker last said it was alive."""
    return session.scalar(select(func.max(WorkerHeartbeat.beat_at)))
