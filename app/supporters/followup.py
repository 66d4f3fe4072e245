"""After a request: one reminder to confirm, expiry, and the « avez-vous eu une réponse ? »
survey. Run by `plaidoyer supporters reminders` (cron); running it twice sends nothing more."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Invalid
from app.letters.generation import message_domain
from app.mailing.message import new_message_id
from app.mailing.outbox import enqueue_email
from app.officials.models import Official
from app.organisation.service import mail_settings
from app.supporters import tokens
from app.supporters.models import (
    ActionKind,
    ActionStatus,
    Supporter,
    SupporterAction,
    SupporterLetter,
)
from app.supporters.privacy import expire_requests
from app.supporters.service import Links, my_data_token, send_confirmation

REMIND_AFTER = timedelta(days=2)
SURVEY_AFTER = timedelta(days=14)
SURVEY_VALID_DAYS = 90
MAX_SURVEY_TEXT = 10_000
SURVEY_ANSWERS = {
    "oui": "Oui, j'ai reçu une réponse",
    "accuse": "Seulement un accusé de réception",
    "non": "Non, pas de réponse",
}


@dataclass(frozen=True)
class FollowUpReport:
    reminded: int
    expired: int
    surveyed: int

    @property
    def summary(self) -> str:
        return (
            f"Rappels envoyés : {self.reminded} · demandes expirées : {self.expired} · "
            f"questionnaires envoyés : {self.surveyed}."
        )


def _claim(session: Session, action_id: int, **values: datetime) -> bool:
    """Stamp the action once: a second run (or a second process) finds it stamped."""
    column = next(iter(values))
    claimed = session.execute(
        update(SupporterAction)
        .where(SupporterAction.id == action_id, getattr(SupporterAction, column).is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], claimed).rowcount == 1


def _officials(session: Session, action_id: int) -> list[Official]:
    ids = select(SupporterLetter.official_id).where(SupporterLetter.action_id == action_id)
    return list(session.scalars(select(Official).where(Official.id.in_(ids)).order_by(Official.id)))


def _contact(session: Session, action: SupporterAction) -> Supporter | None:
    supporter = session.get(Supporter, action.supporter_id) if action.supporter_id else None
    if supporter is None or not supporter.email or supporter.anonymised_at is not None:
        return None
    return supporter


def send_reminders(session: Session, *, settings: Settings, links: Links, now: datetime) -> int:
    """One reminder for each request still unconfirmed after two days (and not yet expired)."""
    due = select(SupporterAction.id).where(
        SupporterAction.kind == ActionKind.letters,
        SupporterAction.status == ActionStatus.pending,
        SupporterAction.reminded_at.is_(None),
        SupporterAction.created_at <= now - REMIND_AFTER,
        SupporterAction.created_at > now - timedelta(days=settings.supporter_confirm_days),
    )
    sent = 0
    for action_id in list(session.scalars(due.order_by(SupporterAction.id))):
        if not _claim(session, action_id, reminded_at=now):
            continue
        action = session.get(SupporterAction, action_id)
        assert action is not None
        supporter = _contact(session, action)
        if supporter is None or supporter.email is None:
            continue
        officials = _officials(session, action_id)
        send_confirmation(
            session,
            action=action,
            email=supporter.email,
            officials=officials,
            settings=settings,
            links=links,
            reminder=True,
        )
        sent += 1
    return sent


def send_surveys(session: Session, *, settings: Settings, links: Links, now: datetime) -> int:
    """Fourteen days after letters left, ask once whether the official answered."""
    due = select(SupporterAction.id).where(
        SupporterAction.kind == ActionKind.letters,
        SupporterAction.status == ActionStatus.confirmed,
        SupporterAction.surveyed_at.is_(None),
        SupporterAction.confirmed_at <= now - SURVEY_AFTER,
    )
    sent = 0
    for action_id in list(session.scalars(due.order_by(SupporterAction.id))):
        if not _claim(session, action_id, surveyed_at=now):
            continue
        action = session.get(SupporterAction, action_id)
        assert action is not None
        supporter = _contact(session, action)
        if supporter is None or supporter.email is None or supporter.unsubscribed_at:
            continue
        names = "\n".join(f"- {o.full_name}" for o in _officials(session, action_id))
        survey = links.survey(tokens.sign(settings, tokens.SURVEY, action.id))
        data_link = links.my_data(my_data_token(settings, action))
        body = (
            f"Bonjour {action.name},\n\n"
            f"Il y a deux semaines, votre lettre est partie vers :\n{names}\n\n"
            "Avez-vous eu une réponse ? Dites-le-nous en un clic (et collez la réponse si vous "
            f"le souhaitez) : cela nous aide à savoir qui s'engage.\n{survey}\n\n"
            f"Consulter, exporter ou effacer vos données : {data_link}\n"
        )
        enqueue_email(
            session,
            settings=mail_settings(session, settings=settings),
            to_name=action.name,
            to_email=supporter.email,
            subject="Avez-vous eu une réponse de vos élus ?",
            body=body,
            message_id=new_message_id(message_domain(mail_settings(session, settings=settings))),
        )
        sent += 1
    return sent


def run_follow_ups(
    session: Session, *, settings: Settings, links: Links, now: datetime
) -> FollowUpReport:
    """Reminders, expiry and surveys as of `now`."""
    reminded = send_reminders(session, settings=settings, links=links, now=now)
    expired = expire_requests(session, settings=settings, now=now)
    surveyed = send_surveys(session, settings=settings, links=links, now=now)
    session.flush()
    return FollowUpReport(reminded, expired, surveyed)


def surveyed_action(session: Session, *, settings: Settings, token: str) -> SupporterAction:
    """The request a survey link is about."""
    action_id = tokens.read(
        settings, tokens.SURVEY, token, max_age_seconds=SURVEY_VALID_DAYS * 86400
    )
    action = session.get(SupporterAction, action_id) if isinstance(action_id, int) else None
    if action is None:
        raise Invalid("Ce lien n'est plus valide : la demande a été effacée.")
    return action


def record_answer(
    session: Session, *, action: SupporterAction, answer: str, text: str, now: datetime
) -> None:
    """Keep the supporter's answer (and the pasted reply) for staff; a new answer replaces it."""
    if answer not in SURVEY_ANSWERS:
        raise Invalid("Choisissez une des réponses proposées.", field="answer")
    text = text.strip()
    if len(text) > MAX_SURVEY_TEXT:
        raise Invalid(
            f"La réponse collée compte {MAX_SURVEY_TEXT} caractères au plus.", field="text"
        )
    action.survey_answer, action.survey_text = answer, text
    supporter = session.get(Supporter, action.supporter_id) if action.supporter_id else None
    if supporter is not None:
        supporter.last_active_at = now
    session.flush()
