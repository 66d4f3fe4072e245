"""What an official's page and a body's page bring together from every domain."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.bodies.roles import role_label, role_rank
from app.bodies.service import Seat, member_roles, seats_of
from app.campaigns.outreach import OutreachEntry, timeline_for_official
from app.demands.models import Demand
from app.officials.models import ContactOverride, Official
from app.officials.overrides import overrides_of
from app.officials.schemas import OfficialFilter
from app.officials.service import get_official, select_officials
from app.replies.models import Reply
from app.replies.service import replies_for_official
from app.stances.models import CurrentStance, Stance
from app.stances.queries import DemandTimeline, official_timelines
from app.stances.service import DemandStance, stances_for_official


@dataclass(frozen=True)
class OfficialProfile:
    official: Official
    stances: list[DemandStance]
    timelines: list[DemandTimeline]
    letters: list[OutreachEntry]
    replies: list[Reply]
    seats: list[Seat]
    overrides: dict[str, ContactOverride]


def official_profile(session: Session, *, official_id: int) -> OfficialProfile:
    """An official with their stances, letters, replies and seats in bodies."""
    official = get_official(session, official_id=official_id)
    return OfficialProfile(
        official=official,
        stances=stances_for_official(session, official_id=official.id),
        timelines=official_timelines(session, official_id=official.id),
        letters=timeline_for_official(session, official_id=official.id),
        replies=replies_for_official(session, official_id=official.id),
        seats=seats_of(session, official_id=official.id),
        overrides=overrides_of(session, official_id=official.id),
    )


@dataclass(frozen=True)
class Member:
    official: Official
    roles: list[str]
    labels: list[str]
    stances: list[Stance | None]


def body_members(session: Session, *, body: Body, demands: list[Demand]) -> list[Member]:
    """A body's sitting members, officers first, each with their current stance per demand:
    three queries whatever the number of members and demands."""
    roles = member_roles(session, body_id=body.id)
    officials = select_officials(session, filters=OfficialFilter(body=body.source_id))
    current = {
        (official_id, demand_id): stance
        for official_id, demand_id, stance in session.execute(
            select(CurrentStance.official_id, CurrentStance.demand_id, Stance)
            .join(Stance, Stance.id == CurrentStance.stance_id)
            .where(
                CurrentStance.official_id.in_(
                    select(Membership.official_id).where(
                        Membership.body_id == body.id, Membership.end_date.is_(None)
                    )
                )
            )
        )
    }
    members = [
        Member(
            official=o,
            roles=roles.get(o.id, []),
            labels=[role_label(role) for role in roles.get(o.id, [])],
            stances=[current.get((o.id, d.id)) for d in demands],
        )
        for o in officials
    ]
    members.sort(key=lambda m: min((role_rank(r) for r in m.roles), default=99))
    return members
