"""The yearly HATVP (AGORA register) declaration: outreach grouped as the register asks."""

import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign, campaign_demand
from app.demands.models import Demand
from app.letters.models import Channel, Letter, LetterStatus
from app.officials.models import Official, OfficialKind
from app.spreadsheet import SafeWriter

# Labels from the register's fixed lists (responsablesPublics, decisionsConcernees, actionsMenees).
OFFICIAL_CATEGORIES = {
    OfficialKind.deputy: "Député ; sénateur ; collaborateur parlementaire ou agents des services "
    "des assemblées parlementaires",
    OfficialKind.senator: "Député ; sénateur ; collaborateur parlementaire ou agents des services "
    "des assemblées parlementaires",
    OfficialKind.minister: "Membre du Gouvernement ou membre de cabinet ministériel",
}
DECISIONS = {
    OfficialKind.deputy: "Lois, y compris constitutionnelles",
    OfficialKind.senator: "Lois, y compris constitutionnelles",
    OfficialKind.minister: "Actes réglementaires",
}
ACTIONS = {
    Channel.email: "Établir une correspondance régulière (par courriel, par courrier…) avec le "
    "titulaire d'une charge publique",
    Channel.post: "Envoyer des pétitions, lettres, tracts",
    Channel.web_form: "Établir une correspondance régulière (par courriel, par courrier…) avec le "
    "titulaire d'une charge publique",
    Channel.phone: "Organiser des discussions informelles ou des réunions en tête-à-tête",
    Channel.meeting: "Organiser des discussions informelles ou des réunions en tête-à-tête",
}
# Letters that reached (or were handed to) the official; drafts and failures are not actions.
DONE = (LetterStatus.sent, LetterStatus.delivered, LetterStatus.replied, LetterStatus.bounced)
CSV_HEADER = [
    "Objet",
    "Domaines d'intervention (demandes)",
    "Décisions concernées",
    "Responsables publics",
    "Actions menées",
    "Nombre d'actions",
    "Élus distincts",
    "Première action",
    "Dernière action",
]


@dataclass
class ActionLine:
    category: str
    decision: str
    action: str
    count: int
    officials: int
    first: datetime
    last: datetime


@dataclass
class Activity:
    """One campaign as an AGORA activity: its objet, demands, and action lines."""

    objet: str
    demands: list[str]
    lines: list[ActionLine] = field(default_factory=list)

    @property
    def decisions(self) -> list[str]:
        return sorted({line.decision for line in self.lines})

    @property
    def categories(self) -> list[str]:
        return sorted({line.category for line in self.lines})

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)


def declaration(session: Session, *, since: datetime, until: datetime) -> list[Activity]:
    """The outreach between two dates, per campaign, official category and kind of action."""
    category = case(
        *((Official.kind == k, v) for k, v in OFFICIAL_CATEGORIES.items()), else_="Autres"
    )
    decision = case(*((Official.kind == k, v) for k, v in DECISIONS.items()), else_="Autres")
    action = case(*((Letter.channel == k, v) for k, v in ACTIONS.items()), else_="Autres")
    query = (
        select(
            Campaign.id,
            Campaign.name,
            Campaign.description,
            category,
            decision,
            action,
            func.count(Letter.id),
            func.count(func.distinct(Letter.official_id)),
            func.min(Letter.created_at),
            func.max(Letter.created_at),
        )
        .join(Campaign, Campaign.id == Letter.campaign_id)
        .join(Official, Official.id == Letter.official_id)
        .where(Letter.status.in_(DONE), Letter.created_at >= since, Letter.created_at <= until)
        .group_by(Campaign.id, Campaign.name, Campaign.description, category, decision, action)
        .order_by(Campaign.name, Campaign.id, category, action)
    )
    rows = session.execute(query).all()
    demands: dict[int, list[str]] = {}
    for campaign_id, number, title in session.execute(
        select(campaign_demand.c.campaign_id, Demand.number, Demand.title)
        .join(Demand, Demand.id == campaign_demand.c.demand_id)
        .where(campaign_demand.c.campaign_id.in_({r[0] for r in rows}))
        .order_by(Demand.number)
    ):
        demands.setdefault(campaign_id, []).append(f"{number}. {title}")
    activities: dict[int, Activity] = {}
    for campaign_id, name, description, *figures in rows:
        objet = f"{name} : {description}" if description else name
        activity = activities.setdefault(campaign_id, Activity(objet, demands.get(campaign_id, [])))
        activity.lines.append(ActionLine(*figures))
    return list(activities.values())


def declaration_csv(activities: list[Activity]) -> str:
    """One line per campaign, category and action; « ; » and a BOM for French Excel."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = SafeWriter(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for activity in activities:
        for line in activity.lines:
            writer.writerow(
                [
                    activity.objet,
                    " | ".join(activity.demands),
                    line.decision,
                    line.category,
                    line.action,
                    line.count,
                    line.officials,
                    line.first.date().isoformat(),
                    line.last.date().isoformat(),
                ]
            )
    return buffer.getvalue()
