"""E-mail letters handed to the outbox, and what the outbox worker reports about them."""

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.config import Settings
from app.errors import Conflict, Invalid
from app.labels import LETTER_STATUS
from app.letters.models import Channel, Letter, LetterStatus
from app.letters.status import transition, transition_many
from app.mailing.message import reply_address
from app.mailing.models import OutboxMessage
from app.mailing.outbox import enqueue_email
from app.officials.models import Official
from app.organisation.service import email_signature, get_identity, mail_settings
from app.security import Actor


def enqueue_letter_email(
    session: Session,
    *,
    letter: Letter,
    actor: Actor,
    settings: Settings,
    on_behalf_of: tuple[str, str] | None = None,
    signature: str = "",
) -> OutboxMessage:
    """Queue an e-mail letter for sending, in the same transaction that creates or queues it.

    `on_behalf_of` (name, e-mail): a supporter's letter, sent under their name, answered to them;
    `signature` is added to the e-mail only, so the letter kept for staff names nobody; the
    association's own letters carry its name, address and footer there.
    """
    if letter.channel not in (Channel.email, Channel.web_form):
        raise Invalid("Seuls les courriers par e-mail passent par la file d'envoi.")
    official = session.get(Official, letter.official_id)
    if letter.status == LetterStatus.draft and letter.channel == Channel.email and official:
        # A draft leaves for the address on file now: staff may have corrected it meanwhile.
        letter.recipient_email = official.email or letter.recipient_email
    if not letter.recipient_email:
        raise Invalid(
            "Ce courrier n'a pas d'adresse e-mail de destination : envoyez-le par la poste."
        )
    if letter.status not in (LetterStatus.draft, LetterStatus.queued):
        raise Conflict(
            f"Ce courrier est déjà au statut « {LETTER_STATUS[letter.status]} » : "
            "il ne peut être mis en file."
        )
    if letter.id is not None and session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.letter_id == letter.id)
    ):
        raise Conflict("Ce courrier est déjà dans la file d'envoi.")
    settings = mail_settings(session, settings=settings)
    if on_behalf_of is None and not signature:
        signature = email_signature(get_identity(session, settings=settings))
    from_name, reply_to = on_behalf_of or ("", reply_address(letter.reply_token, settings))
    row = enqueue_email(
        session,
        settings=settings,
        to_name=official.full_name if official else "",
        to_email=letter.recipient_email,
        subject=letter.subject,
        body=f"{letter.body.rstrip()}\n\n{signature}" if signature else letter.body,
        message_id=letter.message_id,
        reply_to=reply_to,
        letter_id=letter.id,
        from_name=from_name,
    )
    # The send itself is audited by the caller, once for the letter or the whole campaign.
    transition(
        session,
        letter=letter,
        to=LetterStatus.queued,
        actor=actor,
        note="Mis en file d'envoi.",
        audit=False,
    )
    return row


def send_letter(session: Session, *, letter: Letter, actor: Actor, settings: Settings) -> Letter:
    """Queue one e-mail draft (a follow-up, a letter generated alone), audited."""
    enqueue_letter_email(session, letter=letter, actor=actor, settings=settings)
    record(
        session,
        actor=actor,
        action="letter.send",
        object_type="letter",
        object_id=letter.id,
        after={"status": letter.status},
    )
    return letter


class LetterOutcomes:
    """The outbox worker's news, written as the letters' status changes (see mailing.outbox)."""

    actor = Actor.system("file d'envoi")

    def sent(self, connection: Connection, *, letter_ids: list[int]) -> None:
        transition_many(
            connection,
            letter_ids=letter_ids,
            to=LetterStatus.sent,
            actor=self.actor,
            note="Accepté par le serveur d'envoi.",
        )

    def failed(self, connection: Connection, *, letter_ids: list[int], error: str) -> None:
        transition_many(
            connection,
            letter_ids=letter_ids,
            to=LetterStatus.failed,
            actor=self.actor,
            note=f"Échec d'envoi : {error}",
        )
