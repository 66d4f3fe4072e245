"""Recording replies: imported e-mails matched to their letter or official, or typed by hand."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.service import record
from app.db import utcnow
from app.errors import Invalid, NotFound
from app.labels import CHANNEL
from app.letters.models import Channel, Letter, LetterStatus
from app.letters.status import transition
from app.officials.models import Official
from app.officials.schemas import OfficialFilter
from app.officials.service import search_officials
from app.replies.delivery import apply_bounce, letter_by_report
from app.replies.models import MatchedBy, Reply, ReplyKind
from app.replies.parsing import InboundEmail, parse_email
from app.security import Actor

# A reply from an official's address is linked to the letter we sent them within this window.
SENDER_LETTER_DAYS = 90
# Statuses a letter can have when its answer arrives; a draft was never seen by anyone.
ANSWERABLE = {
    LetterStatus.queued,
    LetterStatus.sent,
    LetterStatus.delivered,
    LetterStatus.bounced,
    LetterStatus.failed,
}
_TOKEN_IN_ADDRESS = re.compile(r"^[^@+]+\+([0-9a-f]{32})@")
_AUDITED = (
    "letter_id",
    "official_id",
    "channel",
    "kind",
    "sender",
    "subject",
    "message_id",
    "matched_by",
)


def _snapshot(reply: Reply) -> dict[str, object]:
    return {name: getattr(reply, name) for name in _AUDITED} | {
        "received_at": reply.received_at.isoformat()
    }


def reply_tokens(addresses: list[str]) -> list[str]:
    """Reply tokens found in `<local>+<token>@<domain>` addresses (see app.mailing.message)."""
    found = (_TOKEN_IN_ADDRESS.match(address.lower()) for address in addresses)
    return [match.group(1) for match in found if match]


def _letter_by_references(session: Session, email: InboundEmail) -> Letter | None:
    if not email.references:
        return None
    letters = session.scalars(select(Letter).where(Letter.message_id.in_(email.references))).all()
    by_id = {letter.message_id: letter for letter in letters}
    # In-Reply-To comes first, then References from the most recent backwards.
    order = email.references[:1] + email.references[1:][::-1]
    return next((by_id[mid] for mid in order if mid in by_id), None)


def _letter_by_token(session: Session, email: InboundEmail) -> Letter | None:
    tokens = reply_tokens(email.recipients)
    if not tokens:
        return None
    return session.scalars(select(Letter).where(Letter.reply_token.in_(tokens))).first()


def _official_by_sender(session: Session, sender: str) -> Official | None:
    if not sender:
        return None
    return session.scalars(
        select(Official)
        .where(func.lower(Official.email) == sender.lower())
        .order_by(Official.mandate_end.is_not(None), Official.id.desc())
    ).first()


def _recent_letter(session: Session, official_id: int, received_at: datetime) -> Letter | None:
    since = received_at - timedelta(days=SENDER_LETTER_DAYS)
    return session.scalars(
        select(Letter)
        .where(
            Letter.official_id == official_id,
            Letter.status.in_([*ANSWERABLE, LetterStatus.replied]),
            Letter.created_at >= since,
            Letter.created_at <= received_at,
        )
        .order_by(Letter.created_at.desc(), Letter.id.desc())
    ).first()


def _match(
    session: Session, email: InboundEmail, received_at: datetime
) -> tuple[Letter | None, Official | None, MatchedBy | None]:
    if email.report is not None:
        # A report comes from a robot: its own sender says nothing about the official.
        letter = letter_by_report(session, report=email.report)
        if letter is not None:
            return letter, None, MatchedBy.report
        official = _official_by_sender(session, email.report.recipient)
        letter = _letter_by_references(session, email) or _letter_by_token(session, email)
        if letter is not None:
            return letter, None, MatchedBy.report
        return None, official, MatchedBy.report if official else None
    letter = _letter_by_references(session, email)
    if letter is not None:
        return letter, None, MatchedBy.in_reply_to
    letter = _letter_by_token(session, email)
    if letter is not None:
        return letter, None, MatchedBy.reply_address
    official = _official_by_sender(session, email.sender)
    if official is not None:
        return _recent_letter(session, official.id, received_at), official, MatchedBy.sender
    return None, None, None


def _mark_replied(session: Session, *, letter: Letter, reply: Reply, actor: Actor) -> None:
    # Only a person's answer ends the chase: an out-of-office or a bounce leaves the letter be.
    if reply.kind == ReplyKind.reply and letter.status in ANSWERABLE:
        transition(
            session,
            letter=letter,
            to=LetterStatus.replied,
            actor=actor,
            note=f"Réponse n° {reply.id} ({CHANNEL[reply.channel]})",
        )


def find_by_message_id(session: Session, *, message_id: str) -> Reply | None:
    """The reply already recorded for this Message-ID, if any."""
    return session.scalars(select(Reply).where(Reply.message_id == message_id)).first()


def record_inbound_reply(session: Session, *, raw: bytes, actor: Actor) -> tuple[Reply, bool]:
    """Records a received e-mail, matched if possible; (reply, False) if already imported."""
    email = parse_email(raw)
    # Without a Message-ID the content itself identifies the e-mail, so re-imports stay no-ops.
    message_id = email.message_id or f"<sha256.{hashlib.sha256(raw).hexdigest()[:40]}@inbound>"
    existing = find_by_message_id(session, message_id=message_id)
    if existing is not None:
        return existing, False
    received_at = email.date or utcnow()
    letter, official, matched_by = _match(session, email, received_at)
    reply = Reply(
        letter_id=letter.id if letter else None,
        official_id=letter.official_id if letter else (official.id if official else None),
        channel=Channel.email,
        received_at=received_at,
        sender=email.sender[:320],
        subject=email.subject,
        body=email.body,
        message_id=message_id[:255],
        matched_by=matched_by,
        kind=email.kind,
        delivery_status=email.report.status if email.report else "",
        diagnostic=email.report.diagnostic if email.report else "",
        recorded_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():
            session.add(reply)
            session.flush()
    except IntegrityError:
        # Another process imported the same e-mail meanwhile.
        existing = find_by_message_id(session, message_id=message_id)
        if existing is None:
            raise
        return existing, False
    record(
        session,
        actor=actor,
        action="import",
        object_type="reply",
        object_id=reply.id,
        after=_snapshot(reply),
    )
    if email.kind == ReplyKind.bounce and email.report is not None:
        if letter is not None:
            official = session.get(Official, letter.official_id)
        apply_bounce(
            session, reply=reply, letter=letter, official=official, report=email.report, actor=actor
        )
    elif letter is not None:
        _mark_replied(session, letter=letter, reply=reply, actor=actor)
    return reply, True


def _checked_link(
    session: Session, *, official_id: int | None, letter_id: int | None
) -> tuple[Official, Letter | None]:
    letter = None
    if letter_id is not None:
        letter = session.get(Letter, letter_id)
        if letter is None:
            raise NotFound("Ce courrier n'existe pas.")
        if official_id is not None and official_id != letter.official_id:
            raise Invalid("Ce courrier n'a pas été adressé à cet élu.", field="letter_id")
        official_id = letter.official_id
    if official_id is None:
        raise Invalid("Choisissez l'élu qui a répondu.", field="official_id")
    official = session.get(Official, official_id)
    if official is None:
        raise NotFound("Cet élu n'existe pas.")
    return official, letter


def record_manual_reply(
    session: Session,
    *,
    official_id: int | None,
    letter_id: int | None,
    text: str,
    received_at: datetime,
    channel: str,
    actor: Actor,
    subject: str = "",
) -> Reply:
    """Records a reply received by post, phone, meeting or pasted from elsewhere."""
    if channel not in set(Channel):
        raise Invalid("Canal inconnu.", field="channel")
    if not text.strip():
        raise Invalid("Saisissez le texte ou le résumé de la réponse.", field="text")
    if received_at > utcnow() + timedelta(days=1):
        raise Invalid("La date de réception est dans le futur.", field="received_at")
    official, letter = _checked_link(session, official_id=official_id, letter_id=letter_id)
    reply = Reply(
        letter_id=letter.id if letter else None,
        official_id=official.id,
        channel=channel,
        received_at=received_at,
        sender=official.email,
        subject=subject.strip()[:300],
        body=text.strip(),
        matched_by=MatchedBy.manual,
        recorded_by_id=actor.user_id,
    )
    session.add(reply)
    session.flush()
    record(
        session,
        actor=actor,
        action="create",
        object_type="reply",
        object_id=reply.id,
        after=_snapshot(reply),
    )
    if letter is not None:
        _mark_replied(session, letter=letter, reply=reply, actor=actor)
    return reply


def attach_reply(
    session: Session, *, reply_id: int, official_id: int | None, letter_id: int | None, actor: Actor
) -> Reply:
    """Attaches a reply (typically from the unmatched tray) to an official and maybe a letter."""
    reply = get_reply(session, reply_id=reply_id)
    official, letter = _checked_link(session, official_id=official_id, letter_id=letter_id)
    before = _snapshot(reply)
    reply.official_id = official.id
    reply.letter_id = letter.id if letter else None
    reply.matched_by = MatchedBy.manual
    session.flush()
    record(
        session,
        actor=actor,
        action="attach",
        object_type="reply",
        object_id=reply.id,
        before=before,
        after=_snapshot(reply),
    )
    if letter is not None:
        _mark_replied(session, letter=letter, reply=reply, actor=actor)
    return reply


def get_reply(session: Session, *, reply_id: int) -> Reply:
    """One reply, or NotFound."""
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise NotFound("Cette réponse n'existe pas.")
    return reply


def list_replies(
    session: Session, *, matched: bool | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[tuple[Reply, Official | None]], int]:
    """A page of replies with their official, newest first; matched=False is the tray."""
    query = select(Reply, Official).outerjoin(Official, Official.id == Reply.official_id)
    if matched is not None:
        query = query.where(
            Reply.official_id.is_not(None) if matched else Reply.official_id.is_(None)
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(Reply.received_at.desc(), Reply.id.desc()).offset(offset).limit(limit)
    )
    return [(reply, official) for reply, official in rows], total


def replies_for_official(session: Session, *, official_id: int) -> list[Reply]:
    """Every reply of one official, newest first, for their page's history."""
    return list(
        session.scalars(
            select(Reply)
            .where(Reply.official_id == official_id)
            .order_by(Reply.received_at.desc(), Reply.id.desc())
        )
    )


PICKER_SIZE = 20


def find_officials(session: Session, *, q: str) -> list[Official]:
    """Officials whose name matches `q` (accents and small typos forgiven), to attach a reply."""
    if not q.strip():
        return []
    filters = OfficialFilter(q=q.strip()[:100], active=None)
    return search_officials(session, filters=filters, limit=PICKER_SIZE)[0]


@dataclass(frozen=True)
class Picker:
    """The official picker's state: the search typed, where it reloads, what it found."""

    q: str
    action: str
    results: list[Official]
    chosen: Official | None = None
    keep: dict[str, str] = field(default_factory=dict)


def official_picker(
    session: Session, *, q: str, action: str, chosen_id: int | None = None, **keep: str
) -> Picker:
    """A picker searching `q`, with the official already chosen (if any) offered first."""
    chosen = session.get(Official, chosen_id) if chosen_id else None
    return Picker(
        q=q[:100],
        action=action,
        results=find_officials(session, q=q),
        chosen=chosen,
        keep={name: value for name, value in keep.items() if value},
    )


def replies_for_letter(session: Session, *, letter_id: int) -> list[Reply]:
    """The answers and robots' messages about one letter, oldest first."""
    return list(
        session.scalars(
            select(Reply).where(Reply.letter_id == letter_id).order_by(Reply.received_at, Reply.id)
        )
    )
