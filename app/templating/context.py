"""What a letter template sees (official, demands, sender, date), and letters rendered with it."""

from collections.abc import Mapping, Sequence
from datetime import date
from email.utils import parseaddr
from typing import Any

from sqlalchemy.orm import Session

from app.config import Settings
from app.demands.models import Demand
from app.officials.models import Official
from app.security import Actor
from app.templating import addressing, workers
from app.templating.engine import RenderJob, TemplateInvalid, TemplateProblem
from app.users.models import User

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
NAMES = frozenset({"official", "demands", "sender", "date"})


def french_date(day: date) -> str:
    """« 23 novembre 2026 », « 1er mai 2027 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def official_view(official: Official) -> dict[str, Any]:
    """What a template may know of an official, forms of address included."""
    kind, civility = official.kind, official.civility
    return {
        "civility": civility,
        "first_name": official.first_name,
        "last_name": official.last_name,
        "full_name": official.full_name,
        "kind": kind,
        "title": addressing.office_title(
            kind=kind,
            civility=civility,
            department_code=official.department_code,
            department_name=official.department_name,
            circonscription=official.circonscription,
            portfolio=official.portfolio,
        ),
        "group": official.group_name,
        "group_code": official.group_code,
        "department": official.department_name,
        "department_code": official.department_code,
        "circonscription": official.circonscription,
        "portfolio": official.portfolio,
        "salutation": addressing.salutation(kind, civility),
        "closing": addressing.closing(kind, civility),
    }


def demand_views(demands: Sequence[Demand]) -> list[dict[str, Any]]:
    """The demands as a template sees them."""
    return [{"number": d.number, "title": d.title, "text": d.text_fr} for d in demands]


def sender_view(session: Session, *, actor: Actor, settings: Settings) -> dict[str, str]:
    """Who signs: the staff member's name, and the organisation named in the From address."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    organisation = parseaddr(settings.mail_from)[0] or "Plaidoyer"
    name = (user.full_name if user else "") or actor.label
    return {"name": name, "organisation": organisation}


def sample_official() -> Official:
    """A made-up deputy used to dry-run a template before it is saved."""
    return Official(
        kind="deputy",
        civility="Mme",
        first_name="Camille",
        last_name="Exemple",
        group_name="Groupe d'exemple",
        group_code="EX",
        department_code="69",
        department_name="Rhône",
        circonscription=3,
        portfolio="",
    )


SAMPLE_DEMANDS = [
    {"number": n, "title": f"Demande {n}", "text": f"Texte de la demande {n}."}
    for n in (1, 2, 3, 4)
]
SAMPLE_SENDER = {"name": "Prénom Nom", "organisation": "L'association"}
SAMPLE_DAY = date(2026, 11, 23)


def render_letters(
    *,
    subject: str,
    body: str,
    officials: Sequence[Mapping[str, Any]],
    demands: Sequence[Mapping[str, Any]],
    sender: Mapping[str, str],
    day: date,
) -> list[tuple[str, str]]:
    """Subject and body for each official view, in one round-trip to a render worker;
    TemplateInvalid (every static problem, or the first render error, with its line)."""
    shared = {"demands": demands, "sender": sender, "date": french_date(day)}
    job = RenderJob(
        subject=subject,
        body=body,
        names=NAMES,
        shared=shared,
        each=[{"official": official} for official in officials],
    )
    outcome = workers.render(job)
    if outcome.problems:
        raise TemplateInvalid(outcome.problems)
    return outcome.letters


def validate_template(subject: str, body: str) -> None:
    """Raises TemplateInvalid listing every problem before anything is saved or generated."""
    render_letters(
        subject=subject,
        body=body,
        officials=[official_view(sample_official())],
        demands=SAMPLE_DEMANDS,
        sender=SAMPLE_SENDER,
        day=SAMPLE_DAY,
    )


def template_problems(subject: str, body: str) -> list[TemplateProblem]:
    """Syntax errors, unknown variables, forbidden code and limits passed on sample data,
    with their lines; [] when usable."""
    try:
        validate_template(subject, body)
    except TemplateInvalid as exc:
        return exc.problems
    return []
