"""Letters to chase: sent, unanswered after N days, and not followed up yet."""

from datetime import datetime, timedelta

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.db import utcnow
from app.errors import Conflict, Invalid
from app.letters.models import Letter, LetterStatus
from app.officials.models import Official
from app.replies.models import Reply, ReplyKind

CHASEABLE = (LetterStatus.sent, LetterStatus.delivered)


def _to_chase(days: int, now: datetime) -> Select[Letter, Official]:
    follow_up = aliased(Letter)
    return (
        select(Letter, Official)
        .join(Official, Official.id == Letter.official_id)
        .where(
            Letter.status.in_(CHASEABLE),
            Letter.status_changed_at <= now - timedelta(days=days),
            ~exists().where(Reply.letter_id == Letter.id, Reply.kind == ReplyKind.reply),
            ~exists().where(follow_up.follow_up_of_id == Letter.id),
        )
    )


def letters_to_chase(
    session: Session, *, days: int, offset: int = 0, limit: int = 50, now: datetime | None = None
) -> tuple[list[tuple[Letter, Official]], int]:
    """A page of (letter, official) unanswered for `days` days and not followed up, oldest first."""
    if not 0 <= days <= 3650:
        raise Invalid("Le nombre de jours doit être compris entre 0 et 3650.", field="jours")
    query = _to_chase(days, now or utcnow())
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(Letter.status_changed_at, Letter.id).offset(offset).limit(limit)
    )
    return [(letter, official) for letter, official in rows], total


def refuse_unless_chaseable(session: Session, *, letter: Letter) -> None:
    """Refuse to chase a letter already followed up, answered, or that never left."""
    already = session.scalars(select(Letter).where(Letter.follow_up_of_id == letter.id)).first()
    if already is not None:
        raise Conflict(f"Une relance existe déjà pour ce courrier (courrier n° {already.id}).")
    if letter.status not in CHASEABLE:
        raise Conflict(
            "Ce courrier n'est pas à relancer (il a reçu une réponse ou n'est pas parti)."
        )


def count_to_chase(session: Session, *, days: int, now: datetime | None = None) -> int:
    """How many letters wait for a follow-up after `days` days without an answer."""
    query = _to_chase(days, now or utcnow()).with_only_columns(func.count(Letter.id))
    return session.scalar(query) or 0
