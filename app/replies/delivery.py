"""What a robot's message does: a bounce fails its letter and flags the address; nothing else."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.letters.models import Letter, LetterStatus
from app.letters.status import TRANSITIONS
from app.letters.status import transition as move_letter
from app.officials.models import Official
from app.replies.models import Reply
from app.replies.robots import DeliveryReport
from app.security import Actor


def letter_by_report(session: Session, *, report: DeliveryReport) -> Letter | None:
    """The letter whose Message-ID the report names, if we sent it."""
    if not report.original_message_id:
        return None
    return session.scalars(
        select(Letter).where(Letter.message_id == report.original_message_id)
    ).first()


def bounce_note(report: DeliveryReport) -> str:
    """« Rejet 5.1.1 : 550 … » for the letter's history."""
    return " : ".join(
        part for part in (f"Rejet {report.status}".strip(), report.diagnostic) if part
    )


def apply_bounce(
    session: Session,
    *,
    reply: Reply,
    letter: Letter | None,
    official: Official | None,
    report: DeliveryReport,
    actor: Actor,
) -> None:
    """Fails the letter (if it can still fail) and flags the official's address as bouncing."""
    note = bounce_note(report)
    if letter is not None and LetterStatus.failed in TRANSITIONS[LetterStatus(letter.status)]:
        move_letter(
            session,
            letter=letter,
            to=LetterStatus.failed,
            actor=actor,
            note=f"{note} (rapport n° {reply.id})",
        )
    if official is None:
        return
    address = (letter.recipient_email if letter is not None else "") or report.recipient
    before = {
        "bounce_address": official.bounce_address,
        "bounce_diagnostic": official.bounce_diagnostic,
    }
    official.bounce_address = address.lower()[:254]
    official.bounced_at = reply.received_at
    official.bounce_diagnostic = note
    session.flush()
    record(
        session,
        actor=actor,
        action="bounce",
        object_type="official",
        object_id=official.id,
        before=before,
        after={"bounce_address": official.bounce_address, "bounce_diagnostic": note},
    )
