"""Campaign invitations to consenting supporters, throttled through the outbox, each with a
one-click unsubscribe (RFC 8058) honoured at once."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.config import Settings
from app.errors import Conflict, Invalid, NotFound
from app.letters.generation import message_domain
from app.mailing.message import new_message_id
from app.mailing.models import OutboxMessage, OutboxStatus
from app.mailing.outbox import enqueue_email
from app.organisation.service import mail_settings
from app.supporters import tokens
from app.supporters.models import Supporter, SupporterInvitation
from app.supporters.service import Links

PER_MINUTE = 120  # invitations handed to the SMTP server per minute, at most
DEPARTMENT = r"^(\d{2}|2[AB]|9[78]\d)$"


@dataclass(frozen=True)
class InvitationReport:
    sent: int
    already: int

    @property
    def summary(self) -> str:
        return (
            f"Invitations mises en file : {self.sent} (envoi étalé, {PER_MINUTE} par minute) ; "
            f"sympathisants déjà invités à cette campagne : {self.already}."
        )


def _postcode_prefix(department: str) -> str:
    code = department.strip().upper()
    if not re.match(DEPARTMENT, code):
        raise Invalid(
            f"« {department} » n'est pas un numéro de département (ex. : 75, 2A, 974).",
            field="department",
        )
    return "20" if code in ("2A", "2B") else code


def invitable(session: Session, *, campaign: Campaign, department: str = "") -> list[Supporter]:
    """Supporters who agreed to hear from us, still subscribed, not yet invited to it."""
    invited = exists().where(
        SupporterInvitation.supporter_id == Supporter.id,
        SupporterInvitation.campaign_id == campaign.id,
    )
    query = select(Supporter).where(
        Supporter.news_consent.is_(True),
        Supporter.unsubscribed_at.is_(None),
        Supporter.anonymised_at.is_(None),
        Supporter.email.is_not(None),
        ~invited,
    )
    if department:
        query = query.where(Supporter.postcode.startswith(_postcode_prefix(department)))
    return list(session.scalars(query.order_by(Supporter.id)))


def invite(
    session: Session,
    *,
    campaign: Campaign,
    settings: Settings,
    links: Links,
    now: datetime,
    department: str = "",
) -> InvitationReport:
    """Queue one invitation per consenting supporter of the segment; again, it sends nothing
    to those already invited."""
    if not campaign.is_public:
        raise Conflict("Cette campagne n'a pas de page publique : rendez-la publique d'abord.")
    if campaign.is_paused:
        raise Conflict("Cette campagne est en pause : reprenez-la avant d'inviter.")
    already = session.scalar(
        select(func.count())
        .select_from(SupporterInvitation)
        .where(SupporterInvitation.campaign_id == campaign.id)
    )
    chosen = invitable(session, campaign=campaign, department=department)
    page = links.campaign(campaign.slug)
    domain = message_domain(mail_settings(session, settings=settings))
    for position, supporter in enumerate(chosen):
        assert supporter.email is not None
        session.add(
            SupporterInvitation(supporter_id=supporter.id, campaign_id=campaign.id, sent_at=now)
        )
        unsubscribe = links.unsubscribe(tokens.sign(settings, tokens.UNSUBSCRIBE, supporter.id))
        hello = f"Bonjour {supporter.name},\n\n" if supporter.name else "Bonjour,\n\n"
        body = (
            f"{hello}Vous avez signé notre manifeste pour protéger les enfants en ligne. "
            f"Aujourd'hui, nous vous proposons d'écrire à vos élus : « {campaign.name} ».\n\n"
            f"En trois minutes, depuis cette page :\n{page}\n\n"
            "Vous recevez ce message parce que vous avez accepté d'avoir de nos nouvelles. "
            f"Ne plus rien recevoir : {unsubscribe}\n"
        )
        row = enqueue_email(
            session,
            settings=mail_settings(session, settings=settings),
            to_name=supporter.name,
            to_email=supporter.email,
            subject=f"Écrivez à vos élus : {campaign.name}",
            body=body,
            message_id=new_message_id(domain),
            list_unsubscribe=unsubscribe,
        )
        row.next_attempt_at = now + timedelta(seconds=position * 60 / PER_MINUTE)
    session.flush()
    return InvitationReport(len(chosen), already or 0)


def unsubscribed_supporter(session: Session, *, settings: Settings, token: str) -> Supporter:
    """The supporter an unsubscribe link names (links never expire: RFC 8058 clients keep them)."""
    supporter_id = tokens.read(settings, tokens.UNSUBSCRIBE, token, max_age_seconds=None)
    supporter = session.get(Supporter, supporter_id) if isinstance(supporter_id, int) else None
    if supporter is None:
        raise NotFound("Ce lien de désabonnement ne correspond à personne : rien à faire.")
    return supporter


def unsubscribe(session: Session, *, supporter: Supporter, now: datetime) -> None:
    """No more invitations, from now: those still waiting in the outbox are withdrawn."""
    if supporter.unsubscribed_at is None:
        supporter.unsubscribed_at = now
    if supporter.email:
        session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status == OutboxStatus.pending,
                OutboxMessage.list_unsubscribe != "",
                or_(
                    OutboxMessage.to_address == supporter.email,
                    OutboxMessage.to_address.endswith(f"<{supporter.email}>"),
                ),
            )
        )
    session.flush()
