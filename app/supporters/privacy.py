"""Personal data: export, erasure, retention limits, and the staff review of held requests."""

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session

from app.audit.service import record
from app.campaigns.models import Campaign
from app.config import Settings
from app.errors import Conflict, NotFound
from app.letters.models import Letter, LetterEvent, LetterStatus
from app.mailing.models import OutboxMessage, OutboxStatus
from app.officials.models import Official
from app.security import Actor
from app.spreadsheet import SafeWriter
from app.supporters import rate, tokens
from app.supporters.models import (
    ActionStatus,
    Supporter,
    SupporterAction,
    SupporterInvitation,
    SupporterLetter,
)
from app.supporters.service import queue_letters

ERASED = "[texte effacé]"


def supporter_from_token(session: Session, *, settings: Settings, token: str) -> Supporter:
    """The supporter a « my data » link names; NotFound if forged or already erased."""
    supporter_id = tokens.read(settings, tokens.MY_DATA, token, max_age_seconds=None)
    supporter = session.get(Supporter, supporter_id) if isinstance(supporter_id, int) else None
    if supporter is None or supporter.anonymised_at is not None:
        raise NotFound("Nous ne détenons plus aucune donnée vous concernant.")
    return supporter


def get_supporter(session: Session, *, supporter_id: int) -> Supporter:
    supporter = session.get(Supporter, supporter_id)
    if supporter is None:
        raise NotFound(f"Aucun sympathisant n° {supporter_id}.")
    return supporter


def export_data(session: Session, *, supporter: Supporter) -> dict[str, Any]:
    """Everything held about one supporter, readable."""
    actions = session.scalars(
        select(SupporterAction)
        .where(SupporterAction.supporter_id == supporter.id)
        .order_by(SupporterAction.id)
    ).all()
    rows = session.execute(
        select(SupporterLetter, Official, Campaign.name, Letter.status)
        .join(Official, Official.id == SupporterLetter.official_id)
        .join(SupporterAction, SupporterAction.id == SupporterLetter.action_id)
        .join(Campaign, Campaign.id == SupporterAction.campaign_id)
        .outerjoin(Letter, Letter.id == SupporterLetter.letter_id)
        .where(SupporterAction.supporter_id == supporter.id)
        .order_by(SupporterLetter.id)
    ).all()
    return {
        "sympathisant": {
            "nom": supporter.name,
            "email": supporter.email,
            "code_postal": supporter.postcode,
            "origine": supporter.source,
            "consentement_envoi": _when(supporter.send_consent_at),
            "consentement_envoi_version": supporter.send_consent_version,
            "consentement_nouvelles": supporter.news_consent,
            "consentement_nouvelles_date": _when(supporter.news_consent_at),
            "consentement_nouvelles_texte": supporter.news_consent_version,
            "desinscrit_le": _when(supporter.unsubscribed_at),
            "cree_le": _when(supporter.created_at),
            "derniere_activite": _when(supporter.last_active_at),
        },
        "demandes": [
            {
                "numero": a.id,
                "statut": a.status,
                "creee_le": _when(a.created_at),
                "confirmee_le": _when(a.confirmed_at),
                "rappel_le": _when(a.reminded_at),
                "questionnaire_le": _when(a.surveyed_at),
                "reponse_de_l_elu": a.survey_answer,
                "reponse_collee": a.survey_text,
            }
            for a in actions
        ],
        "invitations": [
            {"campagne": name, "envoyee_le": _when(sent_at)}
            for name, sent_at in session.execute(
                select(Campaign.name, SupporterInvitation.sent_at)
                .join(Campaign, Campaign.id == SupporterInvitation.campaign_id)
                .where(SupporterInvitation.supporter_id == supporter.id)
                .order_by(SupporterInvitation.sent_at)
            )
        ],
        "lettres": [
            {
                "demande": letter.action_id,
                "campagne": campaign,
                "elu": official.full_name,
                "objet": letter.subject,
                "texte": letter.body,
                "statut": status or "en attente de confirmation",
                "ecrite_le": _when(letter.created_at),
            }
            for letter, official, campaign, status in rows
        ],
    }


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


CSV_FIELDS = ["nom", "email", "code_postal", "campagne", "elu", "objet", "texte", "statut"]


def export_csv(data: dict[str, Any]) -> str:
    """The export as one CSV row per letter (one row with the identity when there is none)."""
    out = io.StringIO()
    writer = SafeWriter(out, delimiter=";")
    writer.writerow(CSV_FIELDS)
    person = data["sympathisant"]
    identity = [person[k] for k in ("nom", "email", "code_postal")]
    for letter in data["lettres"] or [{}]:
        writer.writerow(identity + [letter.get(k, "") for k in CSV_FIELDS[3:]])
    return "\ufeff" + out.getvalue()


def anonymise(session: Session, *, supporter: Supporter, now: datetime) -> None:
    """Keep the counts, drop the person: identity, their letters' texts, their e-mails' copies."""
    email = supporter.email or ""
    supporter.email, supporter.name, supporter.postcode = None, "", ""
    supporter.news_consent, supporter.anonymised_at = False, now
    action_ids = select(SupporterAction.id).where(SupporterAction.supporter_id == supporter.id)
    session.execute(
        update(SupporterAction)
        .where(SupporterAction.supporter_id == supporter.id)
        .values(name="", postcode="", survey_text="")
    )
    session.execute(
        update(SupporterLetter).where(SupporterLetter.action_id.in_(action_ids)).values(body="")
    )
    letter_ids = select(SupporterLetter.letter_id).where(SupporterLetter.action_id.in_(action_ids))
    session.execute(update(Letter).where(Letter.id.in_(letter_ids)).values(body=ERASED))
    if email:
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status != OutboxStatus.pending,
                or_(
                    OutboxMessage.to_address.contains(email),
                    OutboxMessage.reply_to.contains(email),
                ),
            )
            .values(to_address="", reply_to="", from_address="", body="")
        )
    session.flush()


def erase(session: Session, *, supporter: Supporter, actor: Actor, now: datetime) -> None:
    """Erasure on request (from the link in an e-mail, or by an admin), audited without names."""
    supporter_id = supporter.id
    anonymise(session, supporter=supporter, now=now)
    record(
        session,
        actor=actor,
        action="supporter.erase",
        object_type="supporter",
        object_id=supporter_id,
        after={"anonymised": True},
    )


@dataclass(frozen=True)
class RetentionReport:
    bodies_deleted: int
    expired: int
    anonymised: int
    counters_deleted: int

    @property
    def summary(self) -> str:
        return (
            f"Textes de lettres effacés : {self.bodies_deleted} · demandes expirées : "
            f"{self.expired} · sympathisants anonymisés : {self.anonymised} · compteurs "
            f"purgés : {self.counters_deleted}."
        )


def expire_requests(session: Session, *, settings: Settings, now: datetime) -> int:
    """Requests left unconfirmed past the limit expire, and their texts are deleted."""
    expire_before = now - timedelta(days=settings.supporter_confirm_days)
    stale = select(SupporterAction.id).where(
        SupporterAction.status == ActionStatus.pending, SupporterAction.created_at < expire_before
    )
    session.execute(
        update(SupporterLetter).where(SupporterLetter.action_id.in_(stale)).values(body="")
    )
    return _done(
        session.execute(
            update(SupporterAction)
            .where(SupporterAction.id.in_(stale.scalar_subquery()))
            .values(status=ActionStatus.expired)
            .execution_options(synchronize_session=False)
        )
    )


def run_retention(session: Session, *, settings: Settings, now: datetime) -> RetentionReport:
    """Apply the retention limits as of `now`; running it twice changes nothing more."""
    cutoff = now - timedelta(days=settings.supporter_letter_retention_days)
    sent_before = (
        select(LetterEvent.letter_id)
        .where(LetterEvent.to_status == LetterStatus.sent, LetterEvent.created_at <= cutoff)
        .scalar_subquery()
    )
    old = list(
        session.scalars(
            select(SupporterLetter.letter_id).where(
                SupporterLetter.letter_id.in_(sent_before), SupporterLetter.body != ""
            )
        )
    )
    bodies = _done(
        session.execute(
            update(SupporterLetter).where(SupporterLetter.letter_id.in_(old)).values(body="")
        )
    )
    session.execute(update(Letter).where(Letter.id.in_(old)).values(body=ERASED))
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.letter_id.in_(old), OutboxMessage.status != OutboxStatus.pending)
        .values(body="", reply_to="", from_address="")
    )
    expired = expire_requests(session, settings=settings, now=now)
    inactive_before = now - timedelta(days=365 * settings.supporter_inactive_years)
    inactive = session.scalars(
        select(Supporter).where(
            Supporter.last_active_at < inactive_before, Supporter.anonymised_at.is_(None)
        )
    ).all()
    for supporter in inactive:
        anonymise(session, supporter=supporter, now=now)
    counters = rate.purge(session, before=now - timedelta(days=2))
    session.flush()
    return RetentionReport(bodies, expired, len(inactive), counters)


def _done(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


@dataclass(frozen=True)
class HeldRequest:
    action: SupporterAction
    campaign: Campaign
    letters: list[tuple[SupporterLetter, Official]]


def held_requests(session: Session) -> list[HeldRequest]:
    """Requests kept for review, oldest first, without who sent them."""
    actions = session.scalars(
        select(SupporterAction)
        .where(SupporterAction.status == ActionStatus.held)
        .order_by(SupporterAction.confirmed_at, SupporterAction.id)
        .limit(200)
    ).all()
    held = []
    for action in actions:
        campaign = session.get(Campaign, action.campaign_id)
        assert campaign is not None
        letters = session.execute(
            select(SupporterLetter, Official)
            .join(Official, Official.id == SupporterLetter.official_id)
            .where(SupporterLetter.action_id == action.id)
        ).all()
        held.append(HeldRequest(action, campaign, [(s, o) for s, o in letters]))
    return held


def decide_held(
    session: Session,
    *,
    action_id: int,
    release: bool,
    actor: Actor,
    settings: Settings,
    now: datetime,
) -> SupporterAction:
    """Staff let a held request go (its letters are queued) or refuse it."""
    decided = ActionStatus.confirmed if release else ActionStatus.rejected
    # Only a request still held moves: two staff deciding at once cannot both queue it.
    moved = session.execute(
        update(SupporterAction)
        .where(SupporterAction.id == action_id, SupporterAction.status == ActionStatus.held)
        .values(status=decided)
        .execution_options(synchronize_session=False)
    )
    action = session.get(SupporterAction, action_id)
    if action is None:
        raise NotFound(f"Aucune demande n° {action_id}.")
    if not _done(moved):
        raise Conflict("Cette demande n'est plus en attente de vérification.")
    session.refresh(action)
    if release:
        queue_letters(session, action=action, settings=settings, now=now)
    record(
        session,
        actor=actor,
        action="supporter.release" if release else "supporter.reject",
        object_type="supporter_action",
        object_id=action.id,
        after={"status": action.status},
    )
    return action


@dataclass(frozen=True)
class OfficialTally:
    campaign: str
    official: str
    confirmed: int
    held: int
    pending: int
    answered: int = 0


def tallies(session: Session) -> list[OfficialTally]:
    """Per public campaign and official: letters confirmed, held and awaiting confirmation."""
    rows = session.execute(
        select(Campaign.name, Official.last_name, Official.first_name, SupporterAction.status)
        .add_columns(func.count())
        .select_from(SupporterLetter)
        .join(SupporterAction, SupporterAction.id == SupporterLetter.action_id)
        .join(Campaign, Campaign.id == SupporterAction.campaign_id)
        .join(Official, Official.id == SupporterLetter.official_id)
        .group_by(Campaign.name, Official.last_name, Official.first_name, SupporterAction.status)
    ).all()
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for campaign, last, first, status, count in rows:
        counts.setdefault((campaign, f"{first} {last}"), {})[status] = count
    answered = session.execute(
        select(Campaign.name, Official.last_name, Official.first_name, func.count())
        .select_from(SupporterLetter)
        .join(SupporterAction, SupporterAction.id == SupporterLetter.action_id)
        .join(Campaign, Campaign.id == SupporterAction.campaign_id)
        .join(Official, Official.id == SupporterLetter.official_id)
        .where(SupporterAction.survey_answer == "oui")
        .group_by(Campaign.name, Official.last_name, Official.first_name)
    ).all()
    for campaign, last, first, count in answered:
        counts.setdefault((campaign, f"{first} {last}"), {})["answered"] = count
    return [
        OfficialTally(
            campaign,
            official,
            by.get(ActionStatus.confirmed, 0),
            by.get(ActionStatus.held, 0),
            by.get(ActionStatus.pending, 0),
            by.get("answered", 0),
        )
        for (campaign, official), by in sorted(counts.items())
    ]


@dataclass(frozen=True)
class ReportedReply:
    campaign: str
    officials: str
    answer: str
    text: str
    when: datetime | None


def reported_replies(session: Session, *, limit: int = 100) -> list[ReportedReply]:
    """What supporters said of their officials' answers (the survey), newest first; no names."""
    actions = session.scalars(
        select(SupporterAction)
        .where(SupporterAction.survey_answer != "")
        .order_by(SupporterAction.surveyed_at.desc(), SupporterAction.id.desc())
        .limit(limit)
    ).all()
    replies = []
    for action in actions:
        campaign = session.get(Campaign, action.campaign_id)
        names = session.scalars(
            select(Official)
            .join(SupporterLetter, SupporterLetter.official_id == Official.id)
            .where(SupporterLetter.action_id == action.id)
            .order_by(Official.last_name)
        ).all()
        replies.append(
            ReportedReply(
                campaign.name if campaign else "",
                ", ".join(o.full_name for o in names),
                action.survey_answer,
                action.survey_text,
                action.surveyed_at,
            )
        )
    return replies


def list_supporters(session: Session, *, search: str = "", limit: int = 200) -> list[Supporter]:
    """Supporters with their identity (admins only), newest first."""
    query = select(Supporter).where(Supporter.anonymised_at.is_(None))
    if search.strip():
        query = query.where(Supporter.email.contains(search.strip().lower()))
    return list(session.scalars(query.order_by(Supporter.id.desc()).limit(limit)))
