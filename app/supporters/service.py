"""The public journey: who a supporter may write to, their request, its confirmation."""

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.campaigns.service import campaign_demands, target_of
from app.config import Settings
from app.demands.models import Demand
from app.errors import Conflict, Invalid, NotFound, TooManyAttempts
from app.geography.abroad import country_table
from app.labels import POSITION
from app.letters.generation import message_domain
from app.letters.models import Channel, Letter, LetterStatus
from app.letters.sending import enqueue_letter_email
from app.letters.status import create_letters
from app.mailing.message import check_header, new_message_id, new_reply_token
from app.mailing.outbox import enqueue_email
from app.officials.models import Official, OfficialKind
from app.officials.service import select_officials
from app.organisation.service import mail_settings
from app.security import Actor
from app.stances.models import Stance, StanceReview
from app.supporters import rate, tokens
from app.supporters.letters import with_personal
from app.supporters.models import (
    ActionKind,
    ActionStatus,
    Supporter,
    SupporterAction,
    SupporterLetter,
)

SEND_CONSENT_VERSION = "envoi-v1"
NEWS_CONSENT_VERSION = "nouvelles-v1"
MAX_OFFICIALS = 15
MAX_BODY = 10_000
POSTCODE = re.compile(r"^\d{5}$")
ACTOR = Actor.system("page publique")
HONEYPOT_MESSAGE = (
    "Votre envoi a été refusé : un champ invisible a été rempli, comme le font les robots. "
    "Si vous êtes une personne, rechargez la page et réessayez."
)


@dataclass(frozen=True)
class Links:
    """Absolute links put in supporters' e-mails, built by the web layer."""

    confirm: Callable[[str], str]
    my_data: Callable[[str], str]
    survey: Callable[[str], str]
    unsubscribe: Callable[[str], str]
    campaign: Callable[[str], str]


def public_campaigns(session: Session) -> list[Campaign]:
    """Campaigns open to supporters, newest first."""
    query = select(Campaign).where(Campaign.is_public.is_(True)).order_by(Campaign.id.desc())
    return list(session.scalars(query))


def public_campaign(session: Session, *, slug: str | None) -> Campaign:
    """The public campaign at `slug`, or the newest one when no slug is given."""
    query = select(Campaign).where(Campaign.is_public.is_(True))
    if slug is not None:
        query = query.where(Campaign.slug == slug)
    campaign = session.scalars(query.order_by(Campaign.id.desc()).limit(1)).first()
    if campaign is None:
        raise NotFound("Aucune campagne n'est ouverte aux sympathisants à cette adresse.")
    return campaign


def fixed_targets(session: Session, *, campaign: Campaign) -> list[Official]:
    """Who every supporter writes to in a fixed-target campaign (e-mail known, at most 10)."""
    found = [o for o in select_officials(session, filters=target_of(campaign)) if o.email]
    return found[:MAX_OFFICIALS]


def letter_demands(session: Session, *, campaign: Campaign) -> list[Demand]:
    return campaign_demands(session, campaign_id=campaign.id)


def approved_stances(
    session: Session, *, official_ids: Sequence[int]
) -> dict[int, list[tuple[str, str]]]:
    """Per official, what they said (approved stances only): demand title and position label."""
    rows = session.execute(
        select(Stance, Demand.number, Demand.title)
        .join(StanceReview, StanceReview.stance_id == Stance.id)
        .join(Demand, Demand.id == Stance.demand_id)
        .where(Stance.official_id.in_(official_ids), StanceReview.approved.is_(True))
        .order_by(Stance.evidence_date.nulls_first(), Stance.recorded_at, Stance.id)
    )
    latest: dict[tuple[int, int], tuple[str, str]] = {}
    for stance, number, title in rows:
        latest[(stance.official_id, number)] = (title, POSITION[stance.position])
    result: dict[int, list[tuple[str, str]]] = {}
    for (official_id, _number), said in sorted(latest.items()):
        result.setdefault(official_id, []).append(said)
    return result


def writable_officials(
    session: Session, *, campaign: Campaign, official_ids: Sequence[int]
) -> list[Official]:
    """The chosen officials, refused unless this campaign lets supporters write to them."""
    ids = list(dict.fromkeys(official_ids))
    if not ids:
        raise Invalid("Choisissez au moins un élu à qui écrire.", field="official")
    if len(ids) > MAX_OFFICIALS:
        raise Invalid(f"Vous pouvez écrire à {MAX_OFFICIALS} élus au plus.", field="official")
    found = {o.id: o for o in session.scalars(select(Official).where(Official.id.in_(ids)))}
    allowed = {o.id for o in fixed_targets(session, campaign=campaign)}
    officials = []
    for official_id in ids:
        official = found.get(official_id)
        own = official is not None and official.kind in (OfficialKind.deputy, OfficialKind.senator)
        ok = official_id in allowed if campaign.targeting == "fixed" else own
        if official is None or not ok or not official.is_active or not official.email:
            raise Invalid(
                "Un des élus choisis ne peut pas recevoir de lettre depuis cette page : "
                "recommencez la recherche.",
                field="official",
            )
        officials.append(official)
    return officials


@dataclass
class LetterRequest:
    """What the supporter sent from the letter page."""

    name: str
    email: str
    postcode: str
    consent_send: bool
    consent_news: bool
    lead_demand_id: int | None
    detailed: bool
    personal: str
    letters: dict[int, tuple[str, str]] = field(default_factory=dict)  # official id → subject, body
    constituent_of: set[int] = field(default_factory=set)


def _clean_identity(request: LetterRequest) -> tuple[str, str, str]:
    name = " ".join(request.name.split())
    if not 2 <= len(name) <= 120:
        raise Invalid("Indiquez votre prénom et votre nom (120 caractères au plus).", field="name")
    check_header(name, label="Nom")
    try:
        email = validate_email(request.email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid(
            "Cette adresse e-mail n'est pas valide : vérifiez-la.", field="email"
        ) from exc
    if len(email) > 254:
        raise Invalid("Cette adresse e-mail est trop longue.", field="email")
    postcode = request.postcode.strip()
    if not POSTCODE.match(postcode):
        # French people abroad sign with their country of residence.
        country = country_table().find(postcode)
        if country is None:
            raise Invalid(
                "Un code postal compte 5 chiffres, par exemple 75011 ; hors de France, indiquez "
                "votre pays de résidence.",
                field="postcode",
            )
        postcode = country.name
    if not request.consent_send:
        raise Invalid(
            "Cochez la case qui nous autorise à envoyer cette lettre en votre nom.",
            field="consent_send",
        )
    return name, email.lower(), postcode


def _supporter_for(session: Session, *, email: str, name: str, postcode: str) -> Supporter:
    existing = session.scalars(select(Supporter).where(Supporter.email == email)).first()
    if existing is not None:
        return existing
    supporter = Supporter(email=email, name=name, postcode=postcode, source="web")
    try:
        with session.begin_nested():
            session.add(supporter)
    except IntegrityError:  # the same person submitting twice at the same instant
        return session.scalars(select(Supporter).where(Supporter.email == email)).one()
    return supporter


def _refuse_repeats(
    session: Session, *, key: str, officials: Sequence[Official], settings: Settings, now: datetime
) -> None:
    limit = settings.supporter_letters_per_official_per_day
    counts = dict(
        session.execute(
            select(SupporterLetter.official_id, func.count())
            .join(SupporterAction, SupporterAction.id == SupporterLetter.action_id)
            .where(
                SupporterLetter.email_key == key,
                SupporterLetter.official_id.in_([o.id for o in officials]),
                SupporterLetter.created_at > now - timedelta(hours=24),
                SupporterAction.status.not_in([ActionStatus.expired, ActionStatus.rejected]),
            )
            .group_by(SupporterLetter.official_id)
        ).all()
    )
    for official in officials:
        if counts.get(official.id, 0) >= limit:
            raise Conflict(
                f"Vous avez déjà écrit {limit} fois à {official.full_name} ces dernières "
                "24 heures, le maximum : décochez cet élu ou réessayez demain.",
                field="official",
            )


def refuse_busy_ip(session: Session, *, ip: str, settings: Settings, now: datetime) -> None:
    """Count a request from this address; refuse it past the hourly limit."""
    key = "ip:" + tokens.email_key(settings, ip)[:40]
    if rate.hit(session, key=key, window=timedelta(hours=1), now=now) > (
        settings.supporter_requests_per_ip_per_hour
    ):
        raise TooManyAttempts(
            "Trop de lettres ont été envoyées depuis votre connexion dans l'heure : "
            "réessayez un peu plus tard."
        )


def submit_request(
    session: Session,
    *,
    campaign: Campaign,
    request: LetterRequest,
    settings: Settings,
    links: Links,
    ip: str,
    now: datetime,
) -> SupporterAction:
    """Record the request and e-mail the confirmation link; nothing reaches an official yet."""
    if campaign.is_paused:
        raise Conflict("Cette campagne est en pause : aucune lettre ne peut partir pour l'instant.")
    name, email, postcode = _clean_identity(request)
    officials = writable_officials(session, campaign=campaign, official_ids=list(request.letters))
    letters = []
    for official in officials:
        subject, body = request.letters[official.id]
        subject = " ".join(subject.split())
        body = with_personal(body, personal=request.personal, official=official)
        if not subject or len(subject) > 300:
            raise Invalid("L'objet d'une lettre compte de 1 à 300 caractères.", field="subject")
        if not body or len(body) > MAX_BODY:
            raise Invalid(f"Une lettre compte de 1 à {MAX_BODY} caractères.", field="body")
        letters.append((official, subject, body))
    refuse_busy_ip(session, ip=ip, settings=settings, now=now)
    key = tokens.email_key(settings, email)
    _refuse_repeats(session, key=key, officials=officials, settings=settings, now=now)
    supporter = _supporter_for(session, email=email, name=name, postcode=postcode)
    action = SupporterAction(
        supporter_id=supporter.id,
        campaign_id=campaign.id,
        kind=ActionKind.letters,
        status=ActionStatus.pending,
        nonce=secrets.token_hex(16),
        name=name,
        postcode=postcode,
        lead_demand_id=request.lead_demand_id,
        detailed=request.detailed,
        constituent=bool(request.constituent_of),
        created_at=now,
    )
    session.add(action)
    session.flush()
    session.add_all(
        SupporterLetter(
            action_id=action.id,
            official_id=official.id,
            email_key=key,
            subject=subject,
            body=body,
            created_at=now,
        )
        for official, subject, body in letters
    )
    supporter.news_consent = supporter.news_consent or request.consent_news
    if request.consent_news and supporter.news_consent_at is None:
        supporter.news_consent_at, supporter.news_consent_version = now, NEWS_CONSENT_VERSION
    session.flush()
    send_confirmation(
        session, action=action, email=email, officials=officials, settings=settings, links=links
    )
    return action


def send_confirmation(
    session: Session,
    *,
    action: SupporterAction,
    email: str,
    officials: Sequence[Official],
    settings: Settings,
    links: Links,
    reminder: bool = False,
) -> None:
    """The e-mail with the single-use confirmation link (or its one reminder)."""
    token = tokens.sign(settings, tokens.CONFIRM, [action.id, action.nonce])
    names = "\n".join(f"- {o.full_name}" for o in officials)
    days = settings.supporter_confirm_days
    opening = "Petit rappel : votre" if reminder else "Merci ! Votre"
    data_link = links.my_data(my_data_token(settings, action))
    body = (
        f"Bonjour {action.name},\n\n"
        f"{opening} lettre n'est pas encore partie. Pour l'envoyer à :\n{names}\n\n"
        f"cliquez sur ce lien (valable {days} jours, une seule fois) :\n{links.confirm(token)}\n\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera "
        "envoyé.\n\n"
        f"Consulter, exporter ou effacer vos données : {data_link}\n"
    )
    enqueue_email(
        session,
        settings=mail_settings(session, settings=settings),
        to_name=action.name,
        to_email=email,
        subject=("Rappel : confirmez" if reminder else "Confirmez")
        + " l'envoi de votre lettre à vos élus",
        body=body,
        message_id=new_message_id(message_domain(mail_settings(session, settings=settings))),
    )


def my_data_token(settings: Settings, action: SupporterAction) -> str:
    return tokens.sign(settings, tokens.MY_DATA, action.supporter_id)


@dataclass(frozen=True)
class Confirmation:
    status: str  # confirmed, held, already
    action: SupporterAction
    campaign: Campaign
    officials: list[Official]


def confirm_request(
    session: Session, *, token: str, settings: Settings, now: datetime
) -> Confirmation:
    """The click in the e-mail: the letters go to the outbox once, or wait for staff review."""
    payload = tokens.read(
        settings, tokens.CONFIRM, token, max_age_seconds=settings.supporter_confirm_days * 86400
    )
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        raise NotFound("Ce lien n'est pas valide : vérifiez qu'il est complet.")
    action_id, nonce = payload
    pending = session.scalars(
        select(SupporterLetter).where(SupporterLetter.action_id == action_id)
    ).all()
    official_ids = [p.official_id for p in pending]
    status = ActionStatus.held if _burst(session, official_ids, settings, now) else "confirmed"
    claimed = session.execute(
        update(SupporterAction)
        .where(
            SupporterAction.id == action_id,
            SupporterAction.nonce == nonce,
            SupporterAction.status == ActionStatus.pending,
            SupporterAction.created_at >= now - timedelta(days=settings.supporter_confirm_days),
        )
        .values(status=status, confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    claimed_count = cast(CursorResult[Any], claimed).rowcount
    action = session.get(SupporterAction, action_id)
    if action is None or action.nonce != nonce:
        raise NotFound("Ce lien n'est pas valide : vérifiez qu'il est complet.")
    session.refresh(action)
    campaign = session.get(Campaign, action.campaign_id)
    assert campaign is not None
    officials = list(session.scalars(select(Official).where(Official.id.in_(official_ids))))
    if not claimed_count:
        if action.status in (ActionStatus.expired, ActionStatus.pending):
            raise Invalid("Ce lien a expiré : votre demande n'a pas été envoyée.")
        return Confirmation("already", action, campaign, officials)
    supporter = session.get(Supporter, action.supporter_id) if action.supporter_id else None
    if supporter is not None:
        supporter.name, supporter.postcode, supporter.last_active_at = (
            action.name,
            action.postcode,
            now,
        )
        supporter.send_consent_at, supporter.send_consent_version = now, SEND_CONSENT_VERSION
    if status == ActionStatus.confirmed:
        queue_letters(session, action=action, settings=settings, now=now)
    return Confirmation(status, action, campaign, officials)


def _burst(
    session: Session, official_ids: Sequence[int], settings: Settings, now: datetime
) -> bool:
    since = now - timedelta(minutes=settings.supporter_burst_minutes)
    busiest = session.scalar(
        select(func.count())
        .select_from(SupporterLetter)
        .join(SupporterAction, SupporterAction.id == SupporterLetter.action_id)
        .where(
            SupporterLetter.official_id.in_(official_ids),
            SupporterAction.confirmed_at > since,
            SupporterAction.status == ActionStatus.confirmed,
        )
        .group_by(SupporterLetter.official_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    return (busiest or 0) >= settings.supporter_burst_letters


def queue_letters(
    session: Session, *, action: SupporterAction, settings: Settings, now: datetime
) -> int:
    """Turn a confirmed request into letters in the outbox, sent under the supporter's name."""
    supporter = session.get(Supporter, action.supporter_id) if action.supporter_id else None
    if supporter is None or not supporter.email:
        return 0
    requests = list(
        session.scalars(
            select(SupporterLetter)
            .where(SupporterLetter.action_id == action.id, SupporterLetter.letter_id.is_(None))
            .order_by(SupporterLetter.id)
        )
    )
    officials = {
        o.id: o
        for o in session.scalars(
            select(Official).where(Official.id.in_([r.official_id for r in requests]))
        )
    }
    sendable = [r for r in requests if officials[r.official_id].email]
    domain = message_domain(mail_settings(session, settings=settings))
    ids = create_letters(
        session,
        rows=[
            {
                "campaign_id": action.campaign_id,
                "official_id": r.official_id,
                "template_version_id": None,
                "follow_up_of_id": None,
                "channel": Channel.web_form,
                "subject": r.subject,
                "body": r.body,
                "notes": "",
                "recipient_email": officials[r.official_id].email,
                "message_id": new_message_id(domain),
                "reply_token": new_reply_token(),
                "created_by_id": None,
                "created_at": now,
            }
            for r in sendable
        ],
        to=LetterStatus.draft,
        notes=["Lettre d'un sympathisant, confirmée par e-mail"] * len(sendable),
        actor=ACTOR,
    )
    signature = f"{action.name}\n{action.postcode}"
    for request, letter_id in zip(sendable, ids, strict=True):
        request.letter_id = letter_id
        letter = session.get(Letter, letter_id)
        assert letter is not None
        enqueue_letter_email(
            session,
            letter=letter,
            actor=ACTOR,
            settings=settings,
            on_behalf_of=(action.name, supporter.email),
            signature=signature,
        )
    session.flush()
    return len(ids)


def record_mailto(session: Session, *, campaign: Campaign, now: datetime) -> SupporterAction:
    """Count a « send from my own mailbox » click; nobody is identified."""
    action = SupporterAction(
        campaign_id=campaign.id,
        kind=ActionKind.mailto,
        status=ActionStatus.counted,
        nonce=secrets.token_hex(16),
        created_at=now,
    )
    session.add(action)
    session.flush()
    return action
