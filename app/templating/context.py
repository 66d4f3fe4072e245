"""What a letter template sees (official, demands, sender, date), and letters rendered with it."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.config import Settings
from app.demands.models import Demand
from app.officials.models import Official
from app.organisation.service import get_identity
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
    kind, civility, portfolio = official.kind, official.civility, official.portfolio
    title = addressing.office_title(
        kind=kind,
        civility=civility,
        department_code=official.department_code,
        department_name=official.department_name,
        circonscription=official.circonscription,
        portfolio=portfolio,
    )
    return {
        "civility": civility,
        "first_name": official.first_name,
        "last_name": official.last_name,
        "full_name": official.full_name,
        "kind": kind,
        "title": title,
        "function": addressing.in_sentence(title),
        "group": official.group_name,
        "group_code": official.group_code,
        "department": official.department_name,
        "department_code": official.department_code,
        "circonscription": official.circonscription,
        "portfolio": official.portfolio,
        "salutation": addressing.salutation(kind, civility, portfolio),
        "closing": addressing.closing(kind, civility, portfolio),
        "closing_nous": addressing.closing(kind, civility, portfolio, voice="nous"),
    }


def demand_views(demands: Sequence[Demand]) -> list[dict[str, Any]]:
    """The demands as a template sees them."""
    return [{"number": d.number, "title": d.title, "text": d.text_fr} for d in demands]


def sender_view(session: Session, *, actor: Actor, settings: Settings) -> dict[str, str]:
    """Who writes: the association (name, address, footer), who signs, and the staff member."""
    identity = get_identity(session, settings=settings)
    user = session.get(User, actor.user_id) if actor.user_id else None
    name = (user.full_name if user else "") or actor.label
    return {
        "name": name,
        "organisation": identity.name,
        "address": identity.postal_address,
        "signatory": identity.signatory_name or name,
        "signatory_title": identity.signatory_title,
        "footer": identity.footer,
    }


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


# Three readers a template is previewed for, side by side: their forms of address differ most.
SAMPLE_READERS = (
    ("Une députée", {"kind": "deputy", "civility": "Mme", "first_name": "Camille",
                     "last_name": "Exemple", "department_code": "69",
                     "department_name": "Rhône", "circonscription": 2}),
    ("Un sénateur", {"kind": "senator", "civility": "M.", "first_name": "Jean",
                     "last_name": "Modèle", "department_code": "01", "department_name": "Ain"}),
    ("Une ministre", {"kind": "minister", "civility": "Mme", "first_name": "Claire",
                      "last_name": "Essai", "portfolio": "Ministre déléguée chargée du numérique"}),
)  # fmt: skip


def sample_readers() -> list[tuple[str, Official]]:
    """A woman députée, a man sénateur, a minister (made up), each with their label."""
    blank = {"group_name": "", "group_code": "", "department_code": "", "department_name": "",
             "circonscription": None, "portfolio": ""}  # fmt: skip
    return [(label, Official(**(blank | fields))) for label, fields in SAMPLE_READERS]


SAMPLE_DEMANDS = [
    {"number": n, "title": f"Demande {n}", "text": f"Texte de la demande {n}."}
    for n in (1, 2, 3, 4)
]
SAMPLE_SENDER = {
    "name": "Prénom Nom",
    "organisation": "L'association",
    "address": "1 rue de l'Exemple\n75001 Paris",
    "signatory": "Prénom Nom",
    "signatory_title": "Présidente",
    "footer": "Association loi 1901",
}
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
