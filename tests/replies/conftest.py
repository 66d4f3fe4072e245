"""Officials and letters built directly in the rolled-back test session."""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.db import utcnow
from app.letters.models import Channel, Letter, LetterStatus
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official
from app.security import Actor
from app.templating.models import Template, TemplatePurpose, TemplateVersion

ACTOR = Actor.system("tests")
MakeOfficial = Callable[..., Official]
MakeLetter = Callable[..., Letter]


@pytest.fixture
def make_official(session: Session) -> MakeOfficial:
    def make(*, email: str = "", last_name: str = "Dupré-Lefèvre", **fields: object) -> Official:
        official = Official(
            kind="deputy",
            source_id=f"PA{secrets.token_hex(4)}",
            civility="Mme",
            first_name="Éloïse",
            last_name=last_name,
            search_name=f"eloise {last_name.lower()}",
            email=email,
            **fields,
        )
        session.add(official)
        session.flush()
        return official

    return make


@pytest.fixture
def campaign(session: Session) -> Campaign:
    """A campaign with a follow-up template, so follow-ups can be generated."""
    template = Template(name=f"Relance {secrets.token_hex(4)}", purpose=TemplatePurpose.follow_up)
    session.add(template)
    session.flush()
    session.add(
        TemplateVersion(
            template_id=template.id,
            number=1,
            subject="Relance : nos quatre demandes",
            body="Nous revenons vers vous au sujet de nos quatre demandes.",
        )
    )
    campaign = Campaign(
        name="Journée pour un internet plus sûr",
        slug=secrets.token_hex(6),
        follow_up_template_id=template.id,
    )
    session.add(campaign)
    session.flush()
    return campaign


@pytest.fixture
def make_letter(session: Session, campaign: Campaign) -> MakeLetter:
    def make(
        official: Official,
        *,
        status: str = LetterStatus.sent,
        sent_days_ago: float = 0,
        follow_up_of: Letter | None = None,
    ) -> Letter:
        when: datetime = utcnow() - timedelta(days=sent_days_ago)
        letter = Letter(
            campaign_id=campaign.id,
            official_id=official.id,
            channel=Channel.email,
            status=status,
            subject="Protection de l'enfance en ligne : nos quatre demandes",
            body="Madame la Députée, …",
            recipient_email=official.email,
            message_id=new_message_id("asso.example"),
            reply_token=new_reply_token(),
            follow_up_of_id=follow_up_of.id if follow_up_of else None,
            created_at=when,
            status_changed_at=when,
        )
        session.add(letter)
        session.flush()
        return letter

    return make
