"""Letters use the contacts staff corrected: generated after, or still a draft when corrected."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.campaigns.outreach import generate_letters, printable_letters, send_letter
from app.config import Settings
from app.letters.models import Channel, Letter
from app.mailing.models import OutboxMessage
from app.officials.overrides import OverrideInput, set_override
from app.security import Actor
from tests.conftest import MakeOfficial

ACTOR = Actor.system("tests")


def test_a_draft_leaves_for_the_corrected_address(
    session: Session, campaign: Campaign, settings: Settings, make_official: MakeOfficial
) -> None:
    official = make_official(email="ancienne@assemblee-nationale.fr")
    generate_letters(session, campaign_id=campaign.id, actor=ACTOR, settings=settings)
    (letter,) = session.scalars(select(Letter).where(Letter.campaign_id == campaign.id)).all()
    assert letter.recipient_email == "ancienne@assemblee-nationale.fr"
    change = OverrideInput("email", "permanence@exemple.fr", "appel au cabinet")
    set_override(session, official=official, change=change, actor=ACTOR)
    send_letter(session, letter_id=letter.id, actor=ACTOR, settings=settings)
    outbox = session.scalars(
        select(OutboxMessage).where(OutboxMessage.letter_id == letter.id)
    ).one()
    assert "permanence@exemple.fr" in outbox.to_address
    assert letter.recipient_email == "permanence@exemple.fr"


def test_a_corrected_postal_address_is_printed(
    session: Session, campaign: Campaign, settings: Settings, make_official: MakeOfficial
) -> None:
    official = make_official(email="")
    office = "Permanence parlementaire\n12 rue de la République\n69002 Lyon"
    set_override(
        session, official=official, change=OverrideInput("postal_address", office), actor=ACTOR
    )
    generate_letters(session, campaign_id=campaign.id, actor=ACTOR, settings=settings)
    (letter,) = session.scalars(select(Letter).where(Letter.campaign_id == campaign.id)).all()
    assert letter.channel == Channel.post
    ((printed, addressee),) = printable_letters(session, campaign_id=campaign.id)
    assert printed.id == letter.id and addressee.mailing_address == office
