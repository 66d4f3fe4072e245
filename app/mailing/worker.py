"""The outbox worker: claim a batch under a lease, send each message, mark it at once.

Delivery is at-least-once with one narrow window: a message the SMTP server accepted but that
the worker could not mark as sent (crash, kill, database gone in between) is sent again once its
lease expires. Each message is marked in its own short transaction right after the server's 250,
so the window is that one message; its Message-ID never changes, so the receiving side can drop
the copy. A reply that times out after the data was sent falls in the same window.
"""

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy import Connection, Engine

from app.config import Settings
from app.db import utcnow
from app.errors import Invalid
from app.mailing import outbox
from app.mailing.backends import Backend, SendError, backend_for
from app.mailing.heartbeat import Heartbeat
from app.mailing.message import render
from app.mailing.models import OutboxStatus
from app.mailing.outbox import Claimed, Outcomes

log = structlog.get_logger(__name__)


@dataclass
class WorkerStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    batches: int = 0


class RateLimiter:
    """Spaces sends evenly so that no more than `per_minute` leave in any minute (0: no limit)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.clock = clock
        self.next_at = 0.0

    async def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next_at > now:
            await asyncio.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


class Worker:
    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings,
        worker_id: str,
        backend: Backend,
        outcomes: Outcomes,
        stop: threading.Event,
    ) -> None:
        if settings.outbox_lease_seconds <= 2 * settings.smtp_timeout_seconds:
            raise Invalid(
                "La durée de réservation (PLAIDOYER_OUTBOX_LEASE_SECONDS) doit dépasser le double "
                "du délai SMTP (PLAIDOYER_SMTP_TIMEOUT_SECONDS)."
            )
        self.settings = settings
        self.worker_id = worker_id
        self.backend = backend
        self.outcomes = outcomes
        self.stop = stop
        # Core on a plain connection: no Session or ORM identity map to set up per message.
        self.engine = engine.execution_options(sqlite_immediate=True)
        self.limiter = RateLimiter(settings.smtp_rate_per_minute)
        self.stats = WorkerStats()
        self.heartbeat = Heartbeat(worker_id=worker_id)

    def claim(self, connection: Connection) -> list[Claimed]:
        with connection.begin():
            return outbox.claim_batch(
                connection,
                worker_id=self.worker_id,
                limit=self.settings.outbox_batch_size,
                lease_seconds=self.settings.outbox_lease_seconds,
            )

    async def run(self, *, once: bool, idle_seconds: float) -> WorkerStats:
        try:
            while not self.stop.is_set():
                # One connection per batch; each claim and mark is still its own transaction.
                with self.engine.connect() as connection:
                    self.heartbeat.beat(connection)
                    batch = self.claim(connection)
                    if batch:
                        self.stats.batches += 1
                        lease_end = time.monotonic() + self.lease_margin()
                        await self.send_batch(connection, batch, lease_end=lease_end)
                        continue
                await self.backend.close()
                if once:
                    break
                await self.pause(idle_seconds)
        finally:
            await self.backend.close()
        return self.stats

    def lease_margin(self) -> float:
        # Stop starting sends while a slow one could still be running when the lease ends.
        return self.settings.outbox_lease_seconds - 2 * self.settings.smtp_timeout_seconds

    async def pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stop.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    async def send_batch(
        self, connection: Connection, batch: list[Claimed], *, lease_end: float
    ) -> None:
        for index, row in enumerate(batch):
            self.heartbeat.beat(connection)
            await self.limiter.wait()
            if self.stop.is_set() or time.monotonic() > lease_end:
                self.release(connection, batch[index:])
                return
            if not await self.send_one(connection, row):
                retry_at = utcnow() + timedelta(seconds=outbox.backoff_delay(1, self.settings))
                self.release(connection, batch[index + 1 :], retry_at=retry_at)
                return

    async def send_one(self, connection: Connection, row: Claimed) -> bool:
        """Send one message and mark it before the next; False when the server is unreachable."""
        try:
            await self.backend.send(render(row))
        except (SendError, Invalid) as exc:
            self.record_failure(connection, row, exc)
            return not (isinstance(exc, SendError) and exc.connection_lost)
        # Marked before anything else happens: this commit is the whole duplicate window.
        with connection.begin():
            marked = outbox.mark_sent(
                connection, rows=[row], worker_id=self.worker_id, outcomes=self.outcomes
            )
        self.stats.sent += marked
        if not marked:
            log.warning("outbox.sent_after_lease_lost", outbox_id=row.id, letter_id=row.letter_id)
        return True

    def record_failure(
        self, connection: Connection, row: Claimed, exc: SendError | Invalid
    ) -> None:
        permanent = isinstance(exc, Invalid) or exc.permanent
        detail = exc.message if isinstance(exc, Invalid) else exc.detail
        with connection.begin():
            status = outbox.mark_failure(
                connection,
                row=row,
                worker_id=self.worker_id,
                error=detail,
                permanent=permanent,
                settings=self.settings,
                outcomes=self.outcomes,
            )
        final = status == OutboxStatus.failed
        if final:
            self.stats.failed += 1
        else:
            self.stats.retried += 1
        # Said as it happens, with the server's code: the operator sees a refusal at once.
        log.warning(
            "outbox.send_failed",
            outbox_id=row.id,
            letter_id=row.letter_id,
            smtp_code=None if isinstance(exc, Invalid) else exc.code,
            error=detail,
            attempt=row.attempts + 1,
            outcome="failed" if final else "retry",
        )

    def release(
        self, connection: Connection, rows: list[Claimed], *, retry_at: datetime | None = None
    ) -> None:
        with connection.begin():
            outbox.release(
                connection,
                ids=[row.id for row in rows],
                worker_id=self.worker_id,
                retry_at=retry_at,
            )


async def run_worker(
    *,
    engine: Engine,
    settings: Settings,
    worker_id: str,
    outcomes: Outcomes,
    once: bool = False,
    stop: threading.Event | None = None,
    idle_seconds: float = 2.0,
    backend: Backend | None = None,
) -> WorkerStats:
    """Send due outbox messages until stopped (or, with `once`, until none is due).

    `outcomes` hears which letters' e-mails left or failed, in the transaction that marks them.
    """
    worker = Worker(
        engine=engine,
        settings=settings,
        worker_id=worker_id,
        backend=backend or backend_for(settings),
        outcomes=outcomes,
        stop=stop or threading.Event(),
    )
    return await worker.run(once=once, idle_seconds=idle_seconds)
