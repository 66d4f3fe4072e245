"""The public scorecard (/engagements): each sitting official's current approved stance per
demand with its public evidence — never a supporter, a letter or an internal note."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dashboard.queries import CHAMBERS
from app.demands.models import Demand
from app.officials.models import Official
from app.stances.models import CurrentStance, EvidenceKind, Position, Stance

# Evidence anyone can check; a reply or a meeting is named, never shown or linked.
PUBLIC_EVIDENCE = (
    EvidenceKind.statement,
    EvidenceKind.question,
    EvidenceKind.amendment,
    EvidenceKind.bill,
    EvidenceKind.vote,
)
ORDER = [Position.acted, Position.committed, Position.supportive, Position.undecided,
         Position.opposed]  # fmt: skip


@dataclass(frozen=True)
class PublicStance:
    name: str
    chamber: str
    group: str
    department: str
    position: str
    evidence_kind: str
    evidence_date: date | None
    link: str
    reference: str


@dataclass(frozen=True)
class DemandScore:
    number: int
    title: str
    stances: list[PublicStance]


def scorecard(session: Session) -> list[DemandScore]:
    """Per demand, the known stances (not « unknown ») of sitting officials, strongest first."""
    query = (
        select(
            Demand.number,
            Official.first_name + " " + Official.last_name,
            Official.kind,
            Official.group_code,
            Official.department_code,
            CurrentStance.position,
            Stance.evidence_kind,
            Stance.evidence_date,
            Stance.source_url,
            Stance.source_ref,
        )
        .select_from(CurrentStance)
        .join(Stance, Stance.id == CurrentStance.stance_id)
        .join(Official, Official.id == CurrentStance.official_id)
        .join(Demand, Demand.id == CurrentStance.demand_id)
        .where(
            Official.mandate_end.is_(None),
            Official.kind.in_(CHAMBERS),
            CurrentStance.position != Position.unknown,
        )
        .order_by(Demand.number, Official.last_name, Official.first_name, Official.id)
    )
    by_demand: dict[int, list[PublicStance]] = {}
    for number, name, kind, group, dept, position, kind_, day, url, ref in session.execute(query):
        public = kind_ in PUBLIC_EVIDENCE
        link = url if public and url.startswith(("https://", "http://")) else ""
        by_demand.setdefault(number, []).append(
            PublicStance(name, kind, group, dept, position, kind_, day, link, ref if public else "")
        )
    rank = {p.value: i for i, p in enumerate(ORDER)}
    demands = session.execute(select(Demand.number, Demand.title).order_by(Demand.number))
    return [
        DemandScore(
            number,
            title,
            sorted(by_demand.get(number, []), key=lambda s: rank.get(s.position, len(ORDER))),
        )
        for number, title in demands
    ]
