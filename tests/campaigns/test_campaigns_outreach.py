import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.campaigns.models import Campaign
from app.campaigns.outreach import (
    create_follow_up,
    generate_letters,
    log_contact,
    ready_to_send,
    send_campaign_letters,
    timeline_for_official,
)
from app.campaigns.schemas import CampaignWrite
from app.campaigns.service import campaign_stats, set_paused, update_campaign
from app.config import Settings
from app.errors import Conflict, Invalid
from app.letters.models import Channel, Letter, LetterEvent, LetterStatus
from app.letters.service import set_letter_status
from app.mailing.models import OutboxMessage
from app.officials.models import Official
from app.officials.schemas import OfficialFilter
from app.security import Actor
from app.templating.models import Template, TemplateVersion
from app.templating.service import update_template

pytestmark = pytest.mark.usefixtures("directory")
ACTOR = Actor.system("tests")


def letters(session: Session, campaign: Campaign) -> list[Letter]:
    return list(session.scalars(select(Letter).where(Letter.campaign_id == campaign.id)))


def test_segment_generation_routes_officials_without_email_to_post(
    session: Session, campaign: Campaign, settings: Settings
) -> None:
    result = generate_letters(session, campaign_id=campaign.id, actor=ACTOR, settings=settings)
    assert (result.created, result.by_email, result.by_post) == (9, 6, 3)
    assert "3 élus sans e-mail : courrier postal" in result.summary
    made = letters(session, campaign)
    assert {letter.status for letter in made} == {LetterStatus.draft}
    assert sorted(letter.channel for letter in made).count(Channel.post) == 3
    assert len({letter.message_id for letter in made}) == 9
    assert len({letter.reply_token for letter in made}) == 9
    senator = next(
        letter for letter in made if "Sénatrice" in letter.body and letter.channel == "post"
    )
    assert "Madame la Sénatrice" in senator.body
    assert "Nous vous prions d'agréer, Madame la Sénatrice" in senator.body
    assert "\n1. Sensibilisation" in senator.body
    minister = next(letter for letter in made if "En tant que ministre du Numérique" in letter.body)
    assert "Madame la Ministre" in minister.body or "Monsieur le Ministre" in minister.body
    events = session.scalar(
        select(func.count(LetterEvent.id)).where(
            LetterEvent.letter_id.in_([letter.id for letter in made])
        )
    )
    assert events == 9
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "letters.generate"))
    assert len(audit.all()) == 1


def test_segment_filter_and_not_yet_contacted(
    session: Session, campaign: Campaign, settings: Settings
) -> None:
    update_campaign(
        session,
        campaign_id=campaign.id,
        data=CampaignWrite(
            name=campaign.name,
            slug=campaign.slug,
            first_template_id=campaign.first_template_id,
            follow_up_template_id=campaign.follow_up_template_id,
            target=OfficialFilter(kind="deputy", group="SOC", departement="69"),
            demand_numbers=[2, 3],
        ),
        actor=ACTOR,
    )
    one = session.scalars(select(Official).where(Official.kind == "deputy")).first()
    assert one is not None
    generate_letters(
        session, campaign_id=campaign.id, actor=ACTOR, settings=settings, official_ids=[one.id]
    )
    result = generate_letters(
        session, campaign_id=campaign.id, actor=ACTOR, settings=settings, only_new=True
    )
    assert (result.created, result.already_contacted) == (4, 1)
    body = letters(session, campaign)[0].body
    assert "2. Enquêteurs" in body and "1. Sensibilisation" not in body


def test_a_letter_keeps_its_template_version_after_an_edit(
    session: Session, campaign: Campaign, settings: Settings, templates: dict[str, Template]
) -> None:
    generate_letters(session, campaign_id=campaign.id, actor=ACTOR, settings=settings)
    first = letters(session, campaign)[0]
    old_body = first.body
    template = templates["first_letter"]
    version = update_template(
        session, template_id=template.id, subject="Nouveau", body="Nouveau corps", actor=ACTOR
    )
    assert version.number == 2
    session.refresh(first)
    assert first.body == old_body
    kept = session.get(TemplateVersion, first.template_version_id)
    assert kept is not None and kept.number == 1
    result = generate_letters(
        session, campaign_id=campaign.id, actor=ACTOR, settings=settings, only_new=False
    )
    newest = session.get(Letter, result.letter_ids[0])
    assert newest is not None and newest.body == "Nouveau corps"
    assert newest.template_version_id == version.id


def test_a_template_error_creates_nothing(
    session: Session, campaign: Campaign, settings: Settings, make_official
) -> None:  # type: ignore[no-untyped-def]
    # Written straight to the table: the service would refuse it, an older row might not.
    template_id = campaign.first_template_id
    session.add(
        TemplateVersion(
            template_id=template_id, number=9, subject="x", body="ok\n{{ official.portfolio.x }}"
        )
    )
    session.flush()
    make_official(kind="minister", portfolio="Ministre", circonscription=None)
    before = session.scalar(select(func.count(Letter.id)))
    with pytest.raises(Invalid, match="Ligne 2 du corps"):
        generate_letters(session, campaign_id=campaign.id, actor=ACTOR, settings=settings)
    assert session.scalar(select(func.count(Letter.id))) == before


def test_sending_queues_email_drafts_and_a_paused_campaign_refuses(
    session: Session, campaign: Campaign, settings: Settings
) -> None:
    generate_letters(session, campaign_id=campaign.id, actor=ACTOR, settings=settings)
    assert ready_to_send(session, campaign_id=campaign.id) == 6
    set_paused(session, campaign_id=campaign.id, paused=True, actor=ACTOR)
    with pytest.raises(Conflict, match="en pause"):
        send_campaign_letters(
            session, campaign_id=campaign.id, expected=6, actor=ACTOR, settings=settings
        )
    set_paused(session, campaign_id=campaign.id, paused=False, actor=ACTOR)
    with pytest.raises(Conflict, match="a changé"):
        send_campaign_letters(
            session, campaign_id=campaign.id, expected=5, actor=ACTOR, settings=settings
        )
    queued = send_campaign_letters(
        session, campaign_id=campaign.id, expected=6, actor=ACTOR, settings=settings
    )
    assert queued == 6
    outbox = session.scalars(select(OutboxMessage)).all()
    assert len(outbox) == 6
    assert {m.letter_id for m in outbox} == {
        letter.id for letter in letters(session, campaign) if letter.channel == "email"
    }
    stats = campaign_stats(session, campaign_id=campaign.id)
    assert stats.by_status == {"queued": 6, "draft": 3}
    assert stats.by_channel == {"email": 6, "post": 3}
    assert stats.by_kind == {"deputy": 5, "senator": 3, "minister": 1}


def test_status_changes_follow_ups_contacts_and_timeline(
    session: Session, campaign: Campaign, settings: Settings
) -> None:
    result = generate_letters(session, campaign_id=campaign.id, actor=ACTOR, settings=settings)
    letter = session.get(Letter, result.letter_ids[0])
    assert letter is not None
    set_letter_status(session, letter=letter, status="sent", actor=ACTOR, detail="Posté")
    set_letter_status(session, letter=letter, status="replied", actor=ACTOR)
    with pytest.raises(Invalid):
        set_letter_status(session, letter=letter, status="draft", actor=ACTOR)
    follow_up = create_follow_up(session, letter_id=letter.id, actor=ACTOR, settings=settings)
    assert follow_up.follow_up_of_id == letter.id
    assert follow_up.subject.startswith("Relance")
    call = log_contact(
        session,
        campaign_id=campaign.id,
        official_id=letter.official_id,
        channel="phone",
        notes="Favorable à la demande 2.",
        actor=ACTOR,
        settings=settings,
    )
    assert (call.status, call.channel) == ("sent", "phone")
    history = timeline_for_official(session, official_id=letter.official_id)
    assert [h.letter.id for h in history][-1] == letter.id
    assert [e.to_status for e in history[-1].events] == ["draft", "sent", "replied"]
    stats = campaign_stats(session, campaign_id=campaign.id)
    assert stats.replied == 1 and stats.reply_rate == pytest.approx(1 / 2)


def test_generation_covers_hundreds_of_officials(
    session: Session, campaign: Campaign, settings: Settings, make_official
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(300):
        make_official()
    # Speed is measured by bench/bench_generation.py, not timed here.
    result = generate_letters(session, campaign_id=campaign.id, actor=ACTOR, settings=settings)
    assert result.created == 309
