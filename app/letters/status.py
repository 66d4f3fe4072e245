"""The letter state machine: its statuses, the moves allowed, and the only code that writes them."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    Integer,
    Update,
    and_,
    bindparam,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Session

from app.audit.service import record
from app.db import UTCDateTime, utcnow
from app.errors import Conflict
from app.labels import LETTER_STATUS
from app.letters.models import Letter, LetterEvent, LetterStatus
from app.security import Actor

S = LetterStatus
# Where a letter may go from each status; None is a letter being created. Staff may correct
# the outcome of a sending (sent, delivered, bounced, failed) by hand; a reply is final.
TRANSITIONS: Mapping[LetterStatus | None, frozenset[LetterStatus]] = {
    None: frozenset({S.draft, S.sent}),  # generated; a call or a meeting logged
    S.draft: frozenset({S.queued, S.sent}),  # handed to the outbox; posted, or sent elsewhere
    S.queued: frozenset({S.sent, S.failed, S.delivered, S.bounced, S.replied}),
    S.sent: frozenset({S.delivered, S.bounced, S.failed, S.replied}),
    S.delivered: frozenset({S.sent, S.bounced, S.failed, S.replied}),
    S.bounced: frozenset({S.sent, S.delivered, S.failed, S.replied}),
    S.failed: frozenset({S.sent, S.delivered, S.bounced, S.replied}),
    S.replied: frozenset(),
}
# Statuses staff may set by hand; draft and queued belong to generation and the outbox.
MANUAL_STATUSES = (S.sent, S.delivered, S.bounced, S.failed, S.replied)


SOURCES = {
    to: [status for status, targets in TRANSITIONS.items() if status and to in targets]
    for to in LetterStatus
}


def manual_choices(current: str) -> list[LetterStatus]:
    """The statuses staff may give by hand to a letter in `current`."""
    return [status for status in MANUAL_STATUSES if status in TRANSITIONS[S(current)]]


def check(current: LetterStatus | None, to: LetterStatus) -> None:
    """Refuse a move the state machine does not allow."""
    if to in TRANSITIONS[current]:
        return
    if current is None:
        raise Conflict(f"Un courrier ne peut pas être créé au statut « {LETTER_STATUS[to]} ».")
    allowed = ", ".join(
        f"« {LETTER_STATUS[s]} »" for s in MANUAL_STATUSES if s in TRANSITIONS[current]
    )
    raise Conflict(
        f"Un courrier « {LETTER_STATUS[current]} » ne peut pas passer à « {LETTER_STATUS[to]} »"
        + (f" ; statuts possibles : {allowed}." if allowed else " : son statut est définitif.")
    )


def transition(
    session: Session,
    *,
    letter: Letter,
    to: LetterStatus,
    actor: Actor,
    note: str = "",
    audit: bool = True,
) -> bool:
    """Move one letter (a new one: to its first status) with its event; False if already there."""
    current = S(letter.status) if letter.status else None
    if current == to:
        return False
    check(current, to)
    now = utcnow()
    letter.status, letter.status_changed_at = to, now
    if current is None:
        session.add(letter)
        session.flush()
    session.add(
        LetterEvent(
            letter_id=letter.id,
            from_status=current,
            to_status=to,
            detail=note,
            actor_id=actor.user_id,
            created_at=now,
        )
    )
    session.flush()
    if audit:
        record(
            session,
            actor=actor,
            action="letter.status",
            object_type="letter",
            object_id=letter.id,
            before={"status": current},
            after={"status": to, "detail": note},
        )
    return True


def create_letters(
    session: Session,
    *,
    rows: Sequence[dict[str, Any]],
    to: LetterStatus,
    notes: Sequence[str],
    actor: Actor,
) -> list[int]:
    """Insert new letters in their first status with their first events, in bulk; their ids."""
    check(None, to)
    if not rows:
        return []
    now = utcnow()
    ids = list(
        session.scalars(
            insert(Letter).returning(Letter.id, sort_by_parameter_order=True),
            [row | {"status": to, "status_changed_at": now} for row in rows],
        )
    )
    session.execute(
        insert(LetterEvent),
        [
            {
                "letter_id": letter_id,
                "from_status": None,
                "to_status": to,
                "detail": note,
                "actor_id": actor.user_id,
                "created_at": now,
            }
            for letter_id, note in zip(ids, notes, strict=True)
        ],
    )
    return ids


# Built once per target with bound parameters: the outbox worker moves a letter per message
# sent. The sources (our own constants) are written into the SQL: an expanding IN parameter
# would be rendered again at each execution.
def _statements(to: LetterStatus) -> tuple[Insert, Update]:
    movable = and_(
        Letter.id.in_(bindparam("letter_ids", expanding=True)),
        Letter.status.in_([literal_column(f"'{source.value}'") for source in SOURCES[to]]),
    )
    log = insert(LetterEvent).from_select(
        ["letter_id", "from_status", "to_status", "detail", "actor_id", "created_at"],
        select(
            Letter.id,
            Letter.status,
            bindparam("to"),
            bindparam("note"),
            bindparam("actor_id", type_=Integer()),
            bindparam("now", type_=UTCDateTime()),
        ).where(movable),
    )
    move = (
        update(Letter)
        .where(movable)
        .values(status=bindparam("to"), status_changed_at=bindparam("now"))
    )
    return log, move


_STATEMENTS = {to: _statements(to) for to in LetterStatus if SOURCES[to]}


def transition_many(
    bind: Connection | Session,
    *,
    letter_ids: Sequence[int],
    to: LetterStatus,
    actor: Actor,
    note: str = "",
) -> int:
    """Move many letters in two statements; those that may not go to `to` stay as they are."""
    if to not in _STATEMENTS:
        raise Conflict(f"Aucun courrier ne peut revenir au statut « {LETTER_STATUS[to]} ».")
    if not letter_ids:
        return 0
    log, move = _STATEMENTS[to]
    params = {
        "letter_ids": list(letter_ids),
        "to": to.value,
        "note": note,
        "actor_id": actor.user_id,
        "now": utcnow(),
    }
    if isinstance(bind, Connection):
        bind.execute(log, params)
        return bind.execute(move, params).rowcount
    bind.flush()
    connection = bind.connection()
    connection.execute(log, params)
    moved = connection.execute(move, params).rowcount
    # The rows changed behind the ORM: letters already loaded must be read again.
    for letter_id in letter_ids:
        loaded = bind.identity_map.get(bind.identity_key(Letter, letter_id))
        if loaded is not None:
            bind.expire(loaded, ["status", "status_changed_at"])
    return moved
