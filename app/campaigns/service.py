"""Campaigns: their demands, templates and target segment, a pause switch, and their counts."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.bodies.models import Body
from app.campaigns.models import Campaign, campaign_demand
from app.campaigns.schemas import CampaignWrite
from app.demands.models import Demand
from app.errors import Conflict, Invalid, NotFound
from app.letters.models import Letter, LetterStatus
from app.officials.models import Official
from app.officials.schemas import OfficialFilter
from app.security import Actor
from app.templating.models import Template, TemplatePurpose

# A letter counts as reached once it left; drafts and queued letters have not been read.
REACHED = (LetterStatus.sent, LetterStatus.delivered, LetterStatus.replied)


def _snapshot(campaign: Campaign, demand_numbers: list[int]) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "slug": campaign.slug,
        "starts_on": campaign.starts_on.isoformat() if campaign.starts_on else None,
        "ends_on": campaign.ends_on.isoformat() if campaign.ends_on else None,
        "is_paused": campaign.is_paused,
        "is_public": campaign.is_public,
        "targeting": campaign.targeting,
        "first_template_id": campaign.first_template_id,
        "follow_up_template_id": campaign.follow_up_template_id,
        "target_filter": campaign.target_filter,
        "demands": demand_numbers,
    }


def _check_template(session: Session, template_id: int | None, purpose: str, field: str) -> None:
    if template_id is None:
        return
    template = session.get(Template, template_id)
    if template is None:
        raise Invalid(f"Aucun modèle n° {template_id}.", field=field)
    if template.purpose != purpose:
        label = "premier courrier" if purpose == TemplatePurpose.first_letter else "relance"
        raise Invalid(f"Le modèle « {template.name} » n'est pas un modèle de {label}.", field=field)


def _set_demands(session: Session, campaign_id: int, numbers: list[int]) -> None:
    query = select(Demand.number, Demand.id).where(Demand.number.in_(numbers))
    ids = dict(session.execute(query).all())
    missing = sorted(set(numbers) - set(ids))
    if missing:
        unknown = "Demande inconnue" if len(missing) < 2 else "Demandes inconnues"
        raise Invalid(f"{unknown} : {', '.join(map(str, missing))}.", field="demands")
    session.execute(delete(campaign_demand).where(campaign_demand.c.campaign_id == campaign_id))
    if ids:
        session.execute(
            insert(campaign_demand),
            [{"campaign_id": campaign_id, "demand_id": i} for i in ids.values()],
        )


def _apply(session: Session, campaign: Campaign, data: CampaignWrite) -> None:
    _check_template(session, data.first_template_id, TemplatePurpose.first_letter, "first")
    _check_template(session, data.follow_up_template_id, TemplatePurpose.follow_up, "follow_up")
    taken = session.scalar(
        select(Campaign.id).where(Campaign.slug == data.slug, Campaign.id != campaign.id)
    )
    if taken:
        raise Conflict(
            f"L'adresse « {data.slug} » est déjà celle d'une autre campagne : choisissez-en une "
            "autre.",
            field="slug",
        )
    body = data.target.body
    if body and session.scalar(select(Body.id).where(Body.source_id == body)) is None:
        raise Invalid(
            f"Aucun organe « {body} » dans l'annuaire (ex. PO804431 pour la Délégation aux "
            "droits des enfants).",
            field="target.body",
        )
    campaign.name = data.name.strip()
    campaign.slug = data.slug
    campaign.description = data.description
    campaign.starts_on = data.starts_on
    campaign.ends_on = data.ends_on
    campaign.is_paused = data.is_paused
    campaign.is_public = data.is_public
    campaign.targeting = data.targeting
    campaign.first_template_id = data.first_template_id
    campaign.follow_up_template_id = data.follow_up_template_id
    campaign.target_filter = data.target.model_dump(mode="json")


def create_campaign(session: Session, *, data: CampaignWrite, actor: Actor) -> Campaign:
    """A new campaign with its demands (all of them if none chosen), templates and target."""
    campaign = Campaign(created_by_id=actor.user_id, target_filter={})
    _apply(session, campaign, data)
    session.add(campaign)
    session.flush()
    _set_demands(session, campaign.id, data.demand_numbers)
    record(
        session,
        actor=actor,
        action="campaign.create",
        object_type="campaign",
        object_id=campaign.id,
        after=_snapshot(campaign, data.demand_numbers),
    )
    return campaign


def update_campaign(
    session: Session, *, campaign_id: int, data: CampaignWrite, actor: Actor
) -> Campaign:
    """Change a campaign; letters already made are untouched."""
    campaign = get_campaign(session, campaign_id=campaign_id)
    before = _snapshot(campaign, demand_numbers(session, campaign_id=campaign_id))
    _apply(session, campaign, data)
    _set_demands(session, campaign.id, data.demand_numbers)
    session.flush()
    record(
        session,
        actor=actor,
        action="campaign.update",
        object_type="campaign",
        object_id=campaign.id,
        before=before,
        after=_snapshot(campaign, data.demand_numbers),
    )
    return campaign


def set_paused(session: Session, *, campaign_id: int, paused: bool, actor: Actor) -> Campaign:
    """Pause a campaign (nothing more is sent) or resume it."""
    campaign = get_campaign(session, campaign_id=campaign_id)
    if campaign.is_paused != paused:
        campaign.is_paused = paused
        session.flush()
        record(
            session,
            actor=actor,
            action="campaign.pause" if paused else "campaign.resume",
            object_type="campaign",
            object_id=campaign.id,
            before={"is_paused": not paused},
            after={"is_paused": paused},
        )
    return campaign


def only_templates(session: Session) -> dict[str, int]:
    """For each purpose served by a single template, that template's id (the form picks it)."""
    rows = session.execute(
        select(Template.purpose, func.min(Template.id))
        .group_by(Template.purpose)
        .having(func.count(Template.id) == 1)
    )
    return {purpose: template_id for purpose, template_id in rows}


def get_campaign(session: Session, *, campaign_id: int) -> Campaign:
    """One campaign; NotFound otherwise."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"Aucune campagne n° {campaign_id}.")
    return campaign


def list_campaigns(session: Session) -> list[Campaign]:
    """Every campaign, newest first."""
    return list(session.scalars(select(Campaign).order_by(Campaign.created_at.desc())))


def demand_numbers(session: Session, *, campaign_id: int) -> list[int]:
    """The numbers of the demands a campaign chose; [] means all of them."""
    return list(
        session.scalars(
            select(Demand.number)
            .join(campaign_demand, campaign_demand.c.demand_id == Demand.id)
            .where(campaign_demand.c.campaign_id == campaign_id)
            .order_by(Demand.number)
        )
    )


def campaign_demands(session: Session, *, campaign_id: int) -> list[Demand]:
    """The demands a campaign's letters speak of: its subset, or all of them."""
    chosen = list(
        session.scalars(
            select(Demand)
            .join(campaign_demand, campaign_demand.c.demand_id == Demand.id)
            .where(campaign_demand.c.campaign_id == campaign_id)
            .order_by(Demand.number)
        )
    )
    return chosen or list(session.scalars(select(Demand).order_by(Demand.number)))


def target_of(campaign: Campaign) -> OfficialFilter:
    """The campaign's segment as a directory filter."""
    return OfficialFilter.model_validate(campaign.target_filter or {})


@dataclass(frozen=True)
class CampaignStats:
    total: int
    by_status: dict[str, int]
    by_channel: dict[str, int]
    by_kind: dict[str, int]
    contacted: int
    replied: int

    @property
    def reply_rate(self) -> float | None:
        """Replies over letters that reached their official."""
        return self.replied / self.contacted if self.contacted else None


def campaign_stats(session: Session, *, campaign_id: int) -> CampaignStats:
    """How many letters, by status, channel and kind of official, and how many were answered."""
    where = Letter.campaign_id == campaign_id
    by_status: dict[str, int] = dict(
        session.execute(
            select(Letter.status, func.count()).where(where).group_by(Letter.status)
        ).all()
    )
    by_channel: dict[str, int] = dict(
        session.execute(
            select(Letter.channel, func.count()).where(where).group_by(Letter.channel)
        ).all()
    )
    by_kind: dict[str, int] = dict(
        session.execute(
            select(Official.kind, func.count())
            .join(Letter, Letter.official_id == Official.id)
            .where(where)
            .group_by(Official.kind)
        ).all()
    )
    replied = by_status.get(LetterStatus.replied, 0)
    return CampaignStats(
        total=sum(by_status.values()),
        by_status=by_status,
        by_channel=by_channel,
        by_kind=by_kind,
        contacted=sum(by_status.get(s, 0) for s in REACHED),
        replied=replied,
    )


def campaign_letters(
    session: Session,
    *,
    campaign_id: int,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[tuple[Letter, Official]], int]:
    """A page of a campaign's letters with their officials, newest first, and the total."""
    conditions = [Letter.campaign_id == campaign_id]
    if status:
        conditions.append(Letter.status == status)
    total = session.scalar(select(func.count(Letter.id)).where(*conditions)) or 0
    rows = session.execute(
        select(Letter, Official)
        .join(Official, Official.id == Letter.official_id)
        .where(*conditions)
        .order_by(Letter.created_at.desc(), Letter.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [(letter, official) for letter, official in rows], total
