"""Letters made in bulk from a compiled template, and e-mail letters handed to the outbox."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from email.utils import parseaddr

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session

from app.audit.service import Actor, record
from app.campaigns.models import Campaign
from app.campaigns.service import campaign_demands, get_campaign, target_of
from app.config import Settings
from app.db import utcnow
from app.errors import Conflict, Invalid
from app.letters.models import Channel, Letter, LetterEvent, LetterStatus
from app.mailing.message import new_message_id, new_reply_token
from app.mailing.outbox import enqueue_letter_email
from app.officials.models import Official
from app.officials.service import select_officials
from app.templating.context import demand_views, official_view, render_letters, sender_view
from app.templating.models import TemplateVersion
from app.templating.service import latest_version


@dataclass(frozen=True)
class GenerationResult:
    created: int
    by_email: int
    by_post: int
    already_contacted: int
    without_email: list[str] = field(default_factory=list)
    letter_ids: list[int] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """What staff read after generating."""
        text = f"{self.created} courrier(s) préparé(s) : {self.by_email} par e-mail"
        text += f", {self.by_post} par la poste."
        if self.without_email:
            text += f" {len(self.without_email)} élu(s) sans e-mail : courrier postal."
        if self.already_contacted:
            text += f" {self.already_contacted} élu(s) déjà contacté(s) écarté(s)."
        return text


def message_domain(settings: Settings) -> str:
    """The domain of the From address, for Message-IDs."""
    return parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"


def make_letters(
    session: Session,
    *,
    campaign: Campaign,
    officials: Sequence[Official],
    version: TemplateVersion,
    actor: Actor,
    settings: Settings,
    follow_up_of: dict[int, int] | None = None,
) -> GenerationResult:
    """Render every letter first (a template error creates nothing), then insert them in bulk."""
    letters = render_letters(
        subject=version.subject,
        body=version.body,
        officials=[official_view(official) for official in officials],
        demands=demand_views(campaign_demands(session, campaign_id=campaign.id)),
        sender=sender_view(session, actor=actor, settings=settings),
        day=date.today(),
    )
    now, domain = utcnow(), message_domain(settings)
    rows, without_email = [], []
    for official, (subject, body) in zip(officials, letters, strict=True):
        if not official.email:
            without_email.append(official.full_name)
        rows.append(
            {
                "campaign_id": campaign.id,
                "official_id": official.id,
                "template_version_id": version.id,
                "follow_up_of_id": (follow_up_of or {}).get(official.id),
                "channel": Channel.email if official.email else Channel.post,
                "status": LetterStatus.draft,
                "subject": subject,
                "body": body,
                "notes": "",
                "recipient_email": official.email,
                "message_id": new_message_id(domain),
                "reply_token": new_reply_token(),
                "created_by_id": actor.user_id,
                "created_at": now,
                "status_changed_at": now,
            }
        )
    ids: list[int] = []
    if rows:
        ids = list(
            session.scalars(insert(Letter).returning(Letter.id, sort_by_parameter_order=True), rows)
        )
        session.execute(
            insert(LetterEvent),
            [
                {
                    "letter_id": letter_id,
                    "from_status": None,
                    "to_status": LetterStatus.draft,
                    "detail": "Préparé (e-mail)"
                    if row["recipient_email"]
                    else "Préparé (courrier postal : pas d'adresse e-mail)",
                    "actor_id": actor.user_id,
                    "created_at": now,
                }
                for letter_id, row in zip(ids, rows, strict=True)
            ],
        )
    by_post = len(without_email)
    return GenerationResult(
        created=len(rows),
        by_email=len(rows) - by_post,
        by_post=by_post,
        already_contacted=0,
        without_email=without_email,
        letter_ids=ids,
    )


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
        campaign=campaign,
        officials=officials,
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
        enqueue_letter_email(session, letter=letter, settings=settings)
    record(
        session,
        actor=actor,
        action="letters.send",
        object_type="campaign",
        object_id=campaign.id,
        after={"queued": len(letters)},
    )
    return len(letters)


def send_letter(session: Session, *, letter: Letter, actor: Actor, settings: Settings) -> Letter:
    """Queue one e-mail draft (a follow-up, a letter generated alone)."""
    _refuse_if_paused(get_campaign(session, campaign_id=letter.campaign_id))
    enqueue_letter_email(session, letter=letter, settings=settings)
    record(
        session,
        actor=actor,
        action="letter.send",
        object_type="letter",
        object_id=letter.id,
        after={"status": letter.status},
    )
    return letter
