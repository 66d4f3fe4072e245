"""A staff member's day: what to code, to chase, to fix, and whether e-mails actually leave."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.letters.models import Letter, LetterStatus
from app.mailing import outbox
from app.mailing.heartbeat import last_beat
from app.mailing.models import OutboxMessage, OutboxStatus
from app.officials.models import Official
from app.replies.chase import count_to_chase
from app.replies.models import Reply
from app.stances.models import Stance

# Queued mail older than this, with no worker alive, means nothing is leaving.
STALLED_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class FailedSend:
    letter: Letter
    official: Official
    error: str


@dataclass(frozen=True)
class Day:
    replies_to_code: int
    replies_to_attach: int
    letters_to_chase: int
    chase_after_days: int
    waiting: int
    oldest_waiting_at: datetime | None
    last_beat_at: datetime | None
    failed: int
    failures: list[FailedSend]
    stalled: bool


def replies_to_code(session: Session) -> int:
    """Replies from a known official that no stance was coded from yet."""
    coded = exists().where(Stance.reply_id == Reply.id)
    query = select(func.count(Reply.id)).where(Reply.official_id.is_not(None), ~coded)
    return session.scalar(query) or 0


def replies_to_attach(session: Session) -> int:
    """Replies waiting in the tray for someone to say who sent them."""
    return session.scalar(select(func.count(Reply.id)).where(Reply.official_id.is_(None))) or 0


def failed_sends(session: Session, *, limit: int) -> tuple[list[FailedSend], int]:
    """Letters whose e-mail failed for good, newest first, with the server's reason; the total."""
    where = (OutboxMessage.status == OutboxStatus.failed, Letter.status == LetterStatus.failed)
    total = session.scalar(
        select(func.count(OutboxMessage.id))
        .join(Letter, Letter.id == OutboxMessage.letter_id)
        .where(*where)
    )
    rows = session.execute(
        select(Letter, Official, OutboxMessage.last_error)
        .join(OutboxMessage, OutboxMessage.letter_id == Letter.id)
        .join(Official, Official.id == Letter.official_id)
        .where(*where)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [FailedSend(letter, official, error) for letter, official, error in rows], total or 0


def my_day(session: Session, *, settings: Settings, now: datetime | None = None) -> Day:
    """Everything waiting for the team today, counted by the database."""
    now = now or utcnow()
    queue = outbox.counts(session)
    beat = last_beat(session)
    worker_alive = beat is not None and now - beat <= timedelta(
        seconds=settings.ready_heartbeat_max_age_seconds
    )
    old_mail = queue.oldest_pending_at is not None and now - queue.oldest_pending_at > STALLED_AFTER
    failures, failed = failed_sends(session, limit=10)
    return Day(
        replies_to_code=replies_to_code(session),
        replies_to_attach=replies_to_attach(session),
        letters_to_chase=count_to_chase(session, days=settings.chase_after_days, now=now),
        chase_after_days=settings.chase_after_days,
        waiting=queue.pending,
        oldest_waiting_at=queue.oldest_pending_at,
        last_beat_at=beat,
        failed=failed,
        failures=failures,
        stalled=old_mail and not worker_alive,
    )
