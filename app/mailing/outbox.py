"""The outbox: e-mails written with their letter, claimed by workers under a lease, then marked."""

import random
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, Connection, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.mailing.message import address, check_header, sender
from app.mailing.models import OutboxMessage, OutboxStatus


class Outcomes(Protocol):
    """Told, inside the transaction that marks them, which letters' e-mails left or failed."""

    def sent(self, connection: Connection, *, letter_ids: list[int]) -> None: ...

    def failed(self, connection: Connection, *, letter_ids: list[int], error: str) -> None: ...


def enqueue_email(
    session: Session,
    *,
    settings: Settings,
    to_name: str,
    to_email: str,
    subject: str,
    body: str,
    message_id: str,
    reply_to: str = "",
    letter_id: int | None = None,
    from_name: str = "",
    list_unsubscribe: str = "",
) -> OutboxMessage:
    """Write one e-mail to the outbox in the caller's transaction; refuses injectable headers.

    `from_name` replaces the display name of the configured sender (the address stays ours);
    `list_unsubscribe` is the one-click unsubscribe URL of a bulk e-mail (RFC 8058).
    """
    from_address = sender(settings)
    if from_name:
        from_address = address(from_name, from_address.addr_spec, label="Nom de l'expéditeur")
    row = OutboxMessage(
        letter_id=letter_id,
        message_id=check_header(message_id, label="Message-ID"),
        from_address=str(from_address),
        to_address=str(address(to_name, to_email, label="Destinataire")),
        reply_to=str(address("", reply_to, label="Adresse de réponse")) if reply_to else "",
        subject=check_header(subject, label="Objet"),
        body=body,
        list_unsubscribe=check_header(list_unsubscribe, label="Désabonnement"),
        status=OutboxStatus.pending,
        attempts=0,
        next_attempt_at=utcnow(),
        locked_by="",
        last_error="",
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class Claimed:
    """An outbox row leased to this worker, loaded as plain values (no ORM identity map)."""

    id: int
    letter_id: int | None
    message_id: str
    from_address: str
    to_address: str
    reply_to: str
    subject: str
    body: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    list_unsubscribe: str = ""


_CLAIMED = [OutboxMessage.__table__.c[field.name] for field in fields(Claimed)]


def claim_batch(
    connection: Connection, *, worker_id: str, limit: int, lease_seconds: float
) -> list[Claimed]:
    """Lease up to `limit` due messages to this worker; the caller commits at once.

    PostgreSQL skips rows other workers are claiming; SQLite serialises claims with
    BEGIN IMMEDIATE (the write connection). The UPDATE re-checks the lease either way.
    """
    now = utcnow()
    free = or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now)
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.pending, OutboxMessage.next_attempt_at <= now)
        .where(free)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if connection.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(connection.scalars(due))
    if not ids:
        return []
    claimed = connection.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), free)
        .values(locked_by=worker_id, locked_until=now + timedelta(seconds=lease_seconds))
        .returning(*_CLAIMED)
    )
    rows = [Claimed(*row) for row in claimed]
    return sorted(rows, key=lambda row: (row.next_attempt_at, row.id))


def _mine(ids: list[int], worker_id: str) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.id.in_(ids),
        OutboxMessage.locked_by == worker_id,
        OutboxMessage.status == OutboxStatus.pending,
    )


# Built once with bound parameters: marking runs once per message sent, the hot path.
_MARK_SENT = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id.in_(bindparam("ids", expanding=True)),
        OutboxMessage.locked_by == bindparam("worker_id"),
        OutboxMessage.status == OutboxStatus.pending,
    )
    .values(
        status=OutboxStatus.sent,
        sent_at=bindparam("now"),
        attempts=OutboxMessage.attempts + 1,
        locked_until=None,
        last_error="",
    )
)


def mark_sent(
    connection: Connection, *, rows: list[Claimed], worker_id: str, outcomes: Outcomes
) -> int:
    """Record messages the SMTP server accepted; returns how many were still leased to us."""
    done = connection.execute(
        _MARK_SENT, {"ids": [row.id for row in rows], "worker_id": worker_id, "now": utcnow()}
    )
    letter_ids = [row.letter_id for row in rows if row.letter_id is not None]
    if letter_ids:
        outcomes.sent(connection, letter_ids=letter_ids)
    return done.rowcount


def backoff_delay(attempts: int, settings: Settings) -> float:
    """Exponential back-off with jitter: half fixed, half random, capped."""
    ceiling = min(
        settings.outbox_backoff_max_seconds,
        settings.outbox_backoff_seconds * 2.0 ** (attempts - 1),
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not a secret


def mark_failure(
    connection: Connection,
    *,
    row: Claimed,
    worker_id: str,
    error: str,
    permanent: bool,
    settings: Settings,
    outcomes: Outcomes,
) -> str:
    """Record a failed attempt: retried later, or failed for good; returns the new status."""
    attempts = row.attempts + 1
    if not permanent and attempts < settings.outbox_max_attempts:
        retry_at = utcnow() + timedelta(seconds=backoff_delay(attempts, settings))
        connection.execute(
            update(OutboxMessage)
            .where(_mine([row.id], worker_id))
            .values(
                attempts=attempts, next_attempt_at=retry_at, locked_until=None, last_error=error
            )
        )
        return OutboxStatus.pending
    if not permanent:
        error = f"Abandonné après {attempts} tentatives. Dernière erreur : {error}"
    done = connection.execute(
        update(OutboxMessage)
        .where(_mine([row.id], worker_id))
        .values(attempts=attempts, status=OutboxStatus.failed, locked_until=None, last_error=error)
    )
    if done.rowcount == 1 and row.letter_id is not None:
        outcomes.failed(connection, letter_ids=[row.letter_id], error=error)
    return OutboxStatus.failed


def release(
    connection: Connection, *, ids: list[int], worker_id: str, retry_at: datetime | None = None
) -> None:
    """Hand unsent messages back to the queue (on shutdown, or when the server went away)."""
    if not ids:
        return
    values: dict[str, object] = {"locked_until": None, "locked_by": ""}
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    connection.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.locked_by == worker_id)
        .where(OutboxMessage.status == OutboxStatus.pending)
        .values(**values)
    )


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    sent: int
    failed: int
    leased: int
    oldest_pending_at: datetime | None


def counts(session: Session) -> OutboxCounts:
    """How many messages wait, went out or failed, and how old the oldest waiting one is."""
    by_status: dict[str, int] = {
        status: count
        for status, count in session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
    }
    now = utcnow()
    leased = session.scalar(
        select(func.count()).where(
            OutboxMessage.status == OutboxStatus.pending, OutboxMessage.locked_until >= now
        )
    )
    oldest = session.scalar(
        select(func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status == OutboxStatus.pending
        )
    )
    return OutboxCounts(
        pending=by_status.get(OutboxStatus.pending, 0),
        sent=by_status.get(OutboxStatus.sent, 0),
        failed=by_status.get(OutboxStatus.failed, 0),
        leased=leased or 0,
        oldest_pending_at=oldest,
    )


@dataclass(frozen=True)
class Problem:
    """A message that failed for good, or waits for another try after an error."""

    id: int
    letter_id: int | None
    status: str
    attempts: int
    last_error: str
    next_attempt_at: datetime
    created_at: datetime


def problems(session: Session, *, limit: int = 20) -> list[Problem]:
    """The latest failed messages and those retrying after an error, newest first."""
    rows = session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.letter_id,
            OutboxMessage.status,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
            OutboxMessage.next_attempt_at,
            OutboxMessage.created_at,
        )
        .where(
            or_(
                OutboxMessage.status == OutboxStatus.failed,
                and_(OutboxMessage.status == OutboxStatus.pending, OutboxMessage.last_error != ""),
            )
        )
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [Problem(*row) for row in rows]
