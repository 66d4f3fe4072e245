"""One letter at a time: reading it and its status changes, and a status set by hand."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Invalid, NotFound
from app.labels import LETTER_STATUS
from app.letters.models import Letter, LetterEvent, LetterStatus
from app.letters.status import MANUAL_STATUSES, transition
from app.security import Actor


def get_letter(session: Session, *, letter_id: int) -> Letter:
    """One letter; NotFound otherwise."""
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound(f"Aucun courrier n° {letter_id}.")
    return letter


def letter_events(session: Session, *, letter_id: int) -> list[LetterEvent]:
    """A letter's status changes, oldest first."""
    return list(
        session.scalars(
            select(LetterEvent)
            .where(LetterEvent.letter_id == letter_id)
            .order_by(LetterEvent.created_at, LetterEvent.id)
        )
    )


def set_letter_status(
    session: Session, *, letter: Letter, status: str, actor: Actor, detail: str = ""
) -> Letter:
    """Give a letter a status by hand (a posted letter, a bounce, a reply by phone), audited."""
    try:
        to = LetterStatus(status)
    except ValueError:
        raise Invalid(f"Statut de courrier inconnu : « {status[:30]} ».", field="status") from None
    if to not in MANUAL_STATUSES:
        raise Invalid(
            f"Le statut « {LETTER_STATUS[to]} » ne se donne pas à la main.", field="status"
        )
    transition(session, letter=letter, to=to, actor=actor, note=detail)
    return letter


@dataclass(frozen=True)
class LetterHistory:
    letter: Letter
    events: list[LetterEvent]


def letters_with_events(session: Session, *, official_id: int) -> list[LetterHistory]:
    """Every letter to an official, newest first, each with its status changes."""
    letters = list(
        session.scalars(
            select(Letter)
            .where(Letter.official_id == official_id)
            .order_by(Letter.created_at.desc(), Letter.id.desc())
        )
    )
    events: dict[int, list[LetterEvent]] = {letter.id: [] for letter in letters}
    for event in session.scalars(
        select(LetterEvent)
        .where(LetterEvent.letter_id.in_(events))
        .order_by(LetterEvent.created_at, LetterEvent.id)
    ):
        events[event.letter_id].append(event)
    return [LetterHistory(letter, events[letter.id]) for letter in letters]
