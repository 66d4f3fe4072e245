"""Officials, templates and a campaign in the rolled-back test session."""

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.campaigns.schemas import CampaignWrite
from app.campaigns.service import create_campaign
from app.officials.models import Official
from app.security import Actor
from app.templating.defaults import seed_default_templates
from app.templating.models import Template

ACTOR = Actor.system("tests")

MakeOfficial = Callable[..., Official]


@pytest.fixture
def make_official(session: Session) -> MakeOfficial:
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Official:
        n = next(counter)
        values: dict[str, Any] = {
            "kind": "deputy",
            "source_id": f"T{n}",
            "civility": "Mme" if n % 2 else "M.",
            "first_name": f"Prénom{n}",
            "last_name": f"Nom{n:04d}",
            "search_name": f"prenom{n} nom{n}",
            "department_code": "69",
            "department_name": "Rhône",
            "circonscription": n % 14 + 1,
            "email": f"elu{n}@assemblee-nationale.fr",
            "postal_address": "126 rue de l'Université\n75355 Paris 07 SP",
        }
        values.update(fields)
        if values["kind"] != "deputy":
            values.setdefault("circonscription", None)
        official = Official(**values)
        session.add(official)
        session.flush()
        return official

    return make


@pytest.fixture
def directory(make_official: MakeOfficial) -> list[Official]:
    """Five deputies, three senators (two without e-mail) and a minister."""
    deputies = [make_official(group_code="SOC") for _ in range(5)]
    senators = [
        make_official(kind="senator", circonscription=None, email="s@senat.fr"),
        make_official(kind="senator", circonscription=None, email=""),
        make_official(kind="senator", circonscription=None, email=""),
    ]
    minister = make_official(
        kind="minister",
        circonscription=None,
        department_code="",
        department_name="",
        portfolio="Ministre du Numérique",
        email="",
    )
    return [*deputies, *senators, minister]


@pytest.fixture
def templates(session: Session) -> dict[str, Template]:
    seed_default_templates(session)
    found = session.query(Template).all()
    return {t.purpose: t for t in found}


@pytest.fixture
def campaign(session: Session, templates: dict[str, Template]) -> Campaign:
    return create_campaign(
        session,
        data=CampaignWrite(
            name="Safer Internet Day",
            slug="safer-internet-day",
            first_template_id=templates["first_letter"].id,
            follow_up_template_id=templates["follow_up"].id,
        ),
        actor=ACTOR,
    )
