"""One letter at a time: status changes, calls and meetings, follow-ups, an official's history."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor, record
from app.campaigns.models import Campaign
from app.campaigns.service import get_campaign
from app.config import Settings, get_settings
from app.db import utcnow
from app.errors import Conflict, Invalid, NotFound
from app.letters.generation import make_letters, message_domain
from app.letters.models import Channel, Letter, LetterEvent, LetterStatus
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official
from app.templating.service import latest_version

# Statuses staff may set by hand; draft and queued belong to generation and the outbox.
MANUAL_STATUSES = (
    LetterStatus.sent,
    LetterStatus.delivered,
    LetterStatus.bounced,
    LetterStatus.failed,
    LetterStatus.replied,
)
STATUS_LABELS = {
    LetterStatus.draft: "brouillon",
    LetterStatus.queued: "en file d'envoi",
    LetterStatus.sent: "envoyé",
    LetterStatus.delivered: "remis",
    LetterStatus.bounced: "rejeté",
    LetterStatus.failed: "échec",
    LetterStatus.replied: "répondu",
}
CHANNEL_LABELS = {
    Channel.email: "e-mail",
    Channel.post: "courrier postal",
    Channel.web_form: "formulaire public",
    Channel.phone: "appel téléphonique",
    Channel.meeting: "rendez-vous",
}


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
    """Move a letter to a new status: timed in its events, and audited."""
    try:
        status = LetterStatus(status)
    except ValueError:
        raise Invalid(f"Statut de courrier inconnu : « {status[:30]} ».", field="status") from None
    if status == LetterStatus.draft:
        raise Invalid("Un courrier ne redevient pas brouillon.", field="status")
    if status == letter.status:
        return letter
    before, now = letter.status, utcnow()
    letter.status, letter.status_changed_at = status, now
    session.add(
        LetterEvent(
            letter_id=letter.id,
            from_status=before,
            to_status=status,
            detail=detail,
            actor_id=actor.user_id,
            created_at=now,
        )
    )
    session.flush()
    record(
        session,
        actor=actor,
        action="letter.status",
        object_type="letter",
        object_id=letter.id,
        before={"status": before},
        after={"status": status, "detail": detail},
    )
    return letter


def log_contact(
    session: Session,
    *,
    campaign_id: int,
    official_id: int,
    channel: str,
    notes: str,
    actor: Actor,
    settings: Settings,
) -> Letter:
    """Record a phone call or a meeting, with its notes, as outreach that took place."""
    campaign = get_campaign(session, campaign_id=campaign_id)
    if channel not in (Channel.phone, Channel.meeting):
        raise Invalid("Seuls un appel ou un rendez-vous se consignent à la main.", field="channel")
    official = session.get(Official, official_id)
    if official is None:
        raise NotFound(f"Aucun élu ne porte l'identifiant {official_id}.")
    if not notes.strip():
        raise Invalid("Notez ce qui s'est dit.", field="notes")
    now = utcnow()
    label = "Appel téléphonique" if channel == Channel.phone else "Rendez-vous"
    letter = Letter(
        campaign_id=campaign.id,
        official_id=official.id,
        channel=channel,
        status=LetterStatus.sent,
        subject=f"{label} — {official.full_name}",
        body=notes.strip(),
        notes=notes.strip(),
        message_id=new_message_id(message_domain(settings)),
        reply_token=new_reply_token(),
        created_by_id=actor.user_id,
        created_at=now,
        status_changed_at=now,
    )
    session.add(letter)
    session.flush()
    session.add(
        LetterEvent(
            letter_id=letter.id,
            to_status=LetterStatus.sent,
            detail=label,
            actor_id=actor.user_id,
            created_at=now,
        )
    )
    session.flush()
    record(
        session,
        actor=actor,
        action="letter.log_contact",
        object_type="letter",
        object_id=letter.id,
        after={"channel": channel, "official_id": official.id, "campaign_id": campaign.id},
    )
    return letter


def create_follow_up(
    session: Session, *, letter_id: int, actor: Actor, settings: Settings | None = None
) -> Letter:
    """Draft the follow-up of an unanswered letter with its campaign's follow-up template."""
    original = get_letter(session, letter_id=letter_id)
    campaign = get_campaign(session, campaign_id=original.campaign_id)
    if campaign.follow_up_template_id is None:
        raise Invalid(
            f"La campagne « {campaign.name} » n'a pas de modèle de relance : choisissez-en un."
        )
    official = session.get(Official, original.official_id)
    if official is None:
        raise NotFound(f"Aucun élu ne porte l'identifiant {original.official_id}.")
    result = make_letters(
        session,
        campaign=campaign,
        officials=[official],
        version=latest_version(session, template_id=campaign.follow_up_template_id),
        actor=actor,
        settings=settings or get_settings(),
        follow_up_of={official.id: original.id},
    )
    follow_up = get_letter(session, letter_id=result.letter_ids[0])
    record(
        session,
        actor=actor,
        action="letter.follow_up",
        object_type="letter",
        object_id=follow_up.id,
        after={"follow_up_of": original.id},
    )
    return follow_up


@dataclass(frozen=True)
class LetterHistory:
    letter: Letter
    campaign: Campaign
    events: list[LetterEvent]


def timeline_for_official(session: Session, *, official_id: int) -> list[LetterHistory]:
    """Every letter to an official, newest first, each with its campaign and status changes."""
    rows = list(
        session.execute(
            select(Letter, Campaign)
            .join(Campaign, Campaign.id == Letter.campaign_id)
            .where(Letter.official_id == official_id)
            .order_by(Letter.created_at.desc(), Letter.id.desc())
        )
    )
    events: dict[int, list[LetterEvent]] = {letter.id: [] for letter, _ in rows}
    for event in session.scalars(
        select(LetterEvent)
        .where(LetterEvent.letter_id.in_(events))
        .order_by(LetterEvent.created_at, LetterEvent.id)
    ):
        events[event.letter_id].append(event)
    return [LetterHistory(letter, campaign, events[letter.id]) for letter, campaign in rows]


def printable_letters(
    session: Session, *, campaign_id: int, include_sent: bool = False
) -> list[tuple[Letter, Official]]:
    """A campaign's postal letters to print, with their officials' addresses."""
    statuses = [LetterStatus.draft] + ([LetterStatus.sent] if include_sent else [])
    rows = session.execute(
        select(Letter, Official)
        .join(Official, Official.id == Letter.official_id)
        .where(
            Letter.campaign_id == campaign_id,
            Letter.channel == Channel.post,
            Letter.status.in_(statuses),
        )
        .order_by(Official.department_code, Official.last_name, Letter.id)
    )
    return [(letter, official) for letter, official in rows]


def mark_printed_as_sent(session: Session, *, campaign_id: int, actor: Actor) -> int:
    """Once printed and posted, the campaign's postal drafts count as sent."""
    campaign = get_campaign(session, campaign_id=campaign_id)
    if campaign.is_paused:
        raise Conflict(f"La campagne « {campaign.name} » est en pause.")
    letters = [letter for letter, _ in printable_letters(session, campaign_id=campaign_id)]
    now = utcnow()
    for letter in letters:
        session.add(
            LetterEvent(
                letter_id=letter.id,
                from_status=letter.status,
                to_status=LetterStatus.sent,
                detail="Posté",
                actor_id=actor.user_id,
                created_at=now,
            )
        )
        letter.status, letter.status_changed_at = LetterStatus.sent, now
    session.flush()
    record(
        session,
        actor=actor,
        action="letters.posted",
        object_type="campaign",
        object_id=campaign_id,
        after={"posted": len(letters)},
    )
    return len(letters)
