"""Officials and sent letters for the replies tests, built in the rolled-back test session."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.db import utcnow
from app.letters.models import Letter, LetterStatus
from app.officials.models import Official
from tests.factories import add_campaign, add_letter, add_official, add_template

MakeOfficial = Callable[..., Official]
MakeLetter = Callable[..., Letter]


@pytest.fixture
def make_official(session: Session) -> MakeOfficial:
    """make_official(email=…, last_name=…) → a deputy, without e-mail unless told."""

    def make(*, email: str = "", last_name: str = "Dupré-Lefèvre", **fields: object) -> Official:
        return add_official(
            session,
            first_name="Éloïse",
            last_name=last_name,
            search_name=f"eloise {last_name.lower()}",
            email=email,
            **fields,
        )

    return make


@pytest.fixture
def campaign(session: Session) -> Campaign:
    """A campaign with a follow-up template, so follow-ups can be generated."""
    template = add_template(session)
    return add_campaign(session, follow_up_template_id=template.id)


@pytest.fixture
def make_letter(session: Session, campaign: Campaign) -> MakeLetter:
    def make(
        official: Official,
        *,
        status: str = LetterStatus.sent,
        sent_days_ago: float = 0,
        follow_up_of: Letter | None = None,
    ) -> Letter:
        return add_letter(
            session,
            campaign=campaign,
            official=official,
            status=status,
            at=utcnow() - timedelta(days=sent_days_ago),
            follow_up_of=follow_up_of,
        )

    return make
