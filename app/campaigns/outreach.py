"""A campaign's outreach: letters for its segment, sending, calls and meetings, post, follow-ups."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.campaigns.models import Campaign
from app.campaigns.service import campaign_demands, get_campaign, target_of
from app.config import Settings, get_settings
from app.db import utcnow
from app.errors import Conflict, Invalid, NotFound
from app.letters.generation import GenerationResult, make_letters, message_domain
from app.letters.models import Channel, Letter, LetterEvent, LetterStatus
from app.letters.sending import enqueue_letter_email
from app.letters.sending import send_letter as queue_letter
from app.letters.service import get_letter, letters_with_events
from app.letters.status import transition, transition_many
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official
from app.officials.service import select_officials
from app.organisation.service import mail_settings
from app.replies.chase import refuse_unless_chaseable
from app.security import Actor
from app.templating.service import latest_version


def generate_letters(
    session: Session,
    *,
    campaign_id: int,
    actor: Actor,
    settings: Settings,
    official_ids: Sequence[int] | None = None,
    only_new: bool = False,
) -> GenerationResult:
    """Draft letters for some officials, or the campaign's whole segment when none are given."""
    campaign = get_campaign(session, campaign_id=campaign_id)
    if campaign.first_template_id is None:
        raise Invalid("Choisissez d'abord le modèle de premier courrier de la campagne.")
    version = latest_version(session, template_id=campaign.first_template_id)
    if official_ids is None:
        officials = select_officials(session, filters=target_of(campaign))
    else:
        found = session.scalars(select(Official).where(Official.id.in_(official_ids)))
        officials = sorted(found, key=lambda o: (o.last_name.lower(), o.first_name.lower()))
        if len(officials) != len(set(official_ids)):
            raise Invalid("Un ou plusieurs élus demandés n'existent pas dans l'annuaire.")
    skipped = 0
    if only_new:
        contacted = set(
            session.scalars(select(Letter.official_id).where(Letter.campaign_id == campaign.id))
        )
        kept = [o for o in officials if o.id not in contacted]
        skipped, officials = len(officials) - len(kept), kept
    result = make_letters(
        session,
        campaign_id=campaign.id,
        officials=officials,
        demands=campaign_demands(session, campaign_id=campaign.id),
        version=version,
        actor=actor,
        settings=settings,
    )
    record(
        session,
        actor=actor,
        action="letters.generate",
        object_type="campaign",
        object_id=campaign.id,
        after={
            "created": result.created,
            "email": result.by_email,
            "post": result.by_post,
            "template_version_id": version.id,
            "only_new": only_new,
        },
    )
    return GenerationResult(
        created=result.created,
        by_email=result.by_email,
        by_post=result.by_post,
        already_contacted=skipped,
        without_email=result.without_email,
        letter_ids=result.letter_ids,
    )


def _drafts_query(campaign_id: int) -> Select[Letter]:
    return select(Letter).where(
        Letter.campaign_id == campaign_id,
        Letter.channel == Channel.email,
        Letter.status == LetterStatus.draft,
    )


def ready_to_send(session: Session, *, campaign_id: int) -> int:
    """How many e-mail drafts the next « Envoyer » would queue."""
    query = _drafts_query(campaign_id).with_only_columns(func.count(Letter.id))
    return session.scalar(query) or 0


def _refuse_if_paused(campaign: Campaign) -> None:
    if campaign.is_paused:
        raise Conflict(
            f"La campagne « {campaign.name} » est en pause : reprenez-la avant d'envoyer."
        )


def send_campaign_letters(
    session: Session, *, campaign_id: int, expected: int | None, actor: Actor, settings: Settings
) -> int:
    """Queue every e-mail draft of a campaign in the outbox; `expected` is what staff confirmed."""
    campaign = get_campaign(session, campaign_id=campaign_id)
    _refuse_if_paused(campaign)
    letters = list(session.scalars(_drafts_query(campaign_id).order_by(Letter.id)))
    if expected is not None and expected != len(letters):
        raise Conflict(
            f"Le nombre de courriels à envoyer a changé ({len(letters)} au lieu de {expected}) : "
            "vérifiez puis confirmez à nouveau."
        )
    # One query puts the recipients in the identity map, so enqueueing does not fetch each one.
    recipients = {letter.official_id for letter in letters}
    session.scalars(select(Official).where(Official.id.in_(recipients))).all()
    for letter in letters:
        enqueue_letter_email(session, letter=letter, actor=actor, settings=settings)
    record(
        session,
        actor=actor,
        action="letters.send",
        object_type="campaign",
        object_id=campaign.id,
        after={"queued": len(letters)},
    )
    return len(letters)


def send_letter(session: Session, *, letter_id: int, actor: Actor, settings: Settings) -> Letter:
    """Queue one e-mail draft of a campaign that is not paused."""
    letter = get_letter(session, letter_id=letter_id)
    _refuse_if_paused(get_campaign(session, campaign_id=letter.campaign_id))
    return queue_letter(session, letter=letter, actor=actor, settings=settings)


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
    label = "Appel téléphonique" if channel == Channel.phone else "Rendez-vous"
    letter = Letter(
        campaign_id=campaign.id,
        official_id=official.id,
        channel=channel,
        subject=f"{label} — {official.full_name}",
        body=notes.strip(),
        notes=notes.strip(),
        message_id=new_message_id(message_domain(mail_settings(session, settings=settings))),
        reply_token=new_reply_token(),
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    transition(session, letter=letter, to=LetterStatus.sent, actor=actor, note=label, audit=False)
    record(
        session,
        actor=actor,
        action="letter.log_contact",
        object_type="letter",
        object_id=letter.id,
        after={"channel": channel, "official_id": official.id, "campaign_id": campaign.id},
    )
    return letter


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
    drafts = session.scalars(
        select(Letter.id).where(
            Letter.campaign_id == campaign_id,
            Letter.channel == Channel.post,
            Letter.status == LetterStatus.draft,
        )
    )
    posted = transition_many(
        session, letter_ids=list(drafts), to=LetterStatus.sent, actor=actor, note="Posté"
    )
    record(
        session,
        actor=actor,
        action="letters.posted",
        object_type="campaign",
        object_id=campaign_id,
        after={"posted": posted},
    )
    return posted


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
        campaign_id=campaign.id,
        officials=[official],
        demands=campaign_demands(session, campaign_id=campaign.id),
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


def chase(session: Session, *, letter_id: int, actor: Actor, settings: Settings) -> Letter:
    """Generates the follow-up of a letter to chase, once: a second click finds it already done."""
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound("Ce courrier n'existe pas.")
    refuse_unless_chaseable(session, letter=letter)
    return create_follow_up(session, letter_id=letter.id, actor=actor, settings=settings)


MAX_CHASED_AT_ONCE = 500


def chaseable_letters(
    session: Session, *, letter_ids: Sequence[int]
) -> list[tuple[Letter, Official]]:
    """The chosen letters with their officials, by id; refuses one that cannot be chased."""
    ids = sorted(set(letter_ids))
    if not ids:
        raise Invalid("Cochez au moins un courrier à relancer.", field="courrier")
    if len(ids) > MAX_CHASED_AT_ONCE:
        raise Invalid(
            f"Relancez au plus {MAX_CHASED_AT_ONCE} courriers à la fois.", field="courrier"
        )
    rows = session.execute(
        select(Letter, Official)
        .join(Official, Official.id == Letter.official_id)
        .where(Letter.id.in_(ids))
        .order_by(Letter.id)
    ).all()
    missing = sorted(set(ids) - {letter.id for letter, _ in rows})
    if missing:
        raise NotFound("Courriers introuvables : " + ", ".join(map(str, missing)) + ".")
    for letter, _ in rows:
        refuse_unless_chaseable(session, letter=letter)
    campaign_ids = {letter.campaign_id for letter, _ in rows}
    without = session.scalars(
        select(Campaign.name)
        .where(Campaign.id.in_(campaign_ids), Campaign.follow_up_template_id.is_(None))
        .order_by(Campaign.name)
    ).all()
    if without:
        names = ", ".join(f"« {name} »" for name in without)
        raise Invalid(f"Sans modèle de relance : {names}. Choisissez-en un dans la campagne.")
    return [(letter, official) for letter, official in rows]


def chase_many(
    session: Session,
    *,
    letter_ids: Sequence[int],
    expected: int,
    actor: Actor,
    settings: Settings,
) -> list[Letter]:
    """Draft the follow-ups of several letters at once, all or none; `expected` is the count
    staff confirmed."""
    rows = chaseable_letters(session, letter_ids=letter_ids)
    if len(rows) != expected:
        raise Conflict(
            f"La sélection compte {len(rows)} courriers et non {expected} : vérifiez puis "
            "confirmez à nouveau."
        )
    return [
        create_follow_up(session, letter_id=letter.id, actor=actor, settings=settings)
        for letter, _ in rows
    ]


@dataclass(frozen=True)
class OutreachEntry:
    letter: Letter
    campaign: Campaign
    events: list[LetterEvent]


def timeline_for_official(session: Session, *, official_id: int) -> list[OutreachEntry]:
    """Every letter to an official, newest first, each with its campaign and status changes."""
    history = letters_with_events(session, official_id=official_id)
    ids = {entry.letter.campaign_id for entry in history}
    campaigns = {c.id: c for c in session.scalars(select(Campaign).where(Campaign.id.in_(ids)))}
    return [
        OutreachEntry(entry.letter, campaigns[entry.letter.campaign_id], entry.events)
        for entry in history
    ]
