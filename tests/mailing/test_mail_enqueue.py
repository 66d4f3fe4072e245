import asyncio
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.config import Settings
from app.errors import Conflict, Invalid
from app.letters.models import Channel, Letter, LetterEvent, LetterStatus
from app.letters.sending import enqueue_letter_email
from app.mailing.backends import FileBackend
from app.mailing.message import new_message_id, new_reply_token, render, reply_address
from app.officials.models import Official
from app.security import Actor

ACTOR = Actor.system("tests")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        mail_from="Association Protégeons <contact+ignored@asso.example>",
        mail_reply_domain="reponses.asso.example",
    )


def make_letter(
    session: Session,
    *,
    first_name: str = "Éloïse",
    subject: str = "Nos demandes",
    email: str = "eloise@assemblee-nationale.fr",
    channel: str = Channel.email,
) -> Letter:
    official = Official(
        kind="deputy",
        source_id=new_reply_token()[:12],
        civility="Mme",
        first_name=first_name,
        last_name="Dupré",
        search_name="eloise dupre",
    )
    campaign = Campaign(name="Campagne", slug=new_reply_token()[:12])
    session.add_all([official, campaign])
    session.flush()
    letter = Letter(
        campaign_id=campaign.id,
        official_id=official.id,
        channel=channel,
        subject=subject,
        body="Madame la Députée,\nÀ très bientôt.",
        recipient_email=email,
        message_id=new_message_id("asso.example"),
        reply_token=new_reply_token(),
    )
    session.add(letter)
    session.flush()
    return letter


def test_ids_and_reply_address(settings: Settings) -> None:
    message_id = new_message_id("asso.example")
    assert message_id.startswith("<plaidoyer.") and message_id.endswith("@asso.example>")
    assert new_message_id("asso.example") != message_id
    token = new_reply_token()
    assert len(token) == 32
    assert reply_address(token, settings) == f"contact+{token}@reponses.asso.example"


def test_enqueue_builds_the_message_and_queues_the_letter(
    session: Session, settings: Settings
) -> None:
    letter = make_letter(session)
    row = enqueue_letter_email(session, letter=letter, actor=ACTOR, settings=settings)

    assert row.letter_id == letter.id and row.message_id == letter.message_id
    assert row.status == "pending" and row.attempts == 0
    assert row.reply_to == f"contact+{letter.reply_token}@reponses.asso.example"
    assert letter.status == LetterStatus.queued
    event = session.scalars(select(LetterEvent).where(LetterEvent.letter_id == letter.id)).one()
    assert (event.from_status, event.to_status) == ("draft", "queued")

    parsed = BytesParser(policy=default).parsebytes(render(row).data)
    assert parsed["To"].addresses[0].display_name == "Éloïse Dupré"
    assert parsed["From"].addresses[0].addr_spec == "contact+ignored@asso.example"

    with pytest.raises(Conflict):
        enqueue_letter_email(session, letter=letter, actor=ACTOR, settings=settings)


@pytest.mark.parametrize(
    "field",
    [
        {"subject": "Objet\r\nBcc: victime@example.com"},
        {"subject": "Objet\nBcc: victime@example.com"},
        {"first_name": "Éloïse\r\nBcc: victime@example.com"},
        {"email": "eloise@example.fr\r\nBcc: victime@example.com"},
    ],
    ids=["subject-crlf", "subject-lf", "name", "address"],
)
def test_header_injection_is_refused(
    session: Session, settings: Settings, field: dict[str, str]
) -> None:
    letter = make_letter(session, **field)
    with pytest.raises(Invalid, match="retour à la ligne"):
        enqueue_letter_email(session, letter=letter, actor=ACTOR, settings=settings)


def test_letters_that_cannot_be_mailed_are_refused(session: Session, settings: Settings) -> None:
    with pytest.raises(Invalid, match="poste"):
        enqueue_letter_email(
            session, letter=make_letter(session, email=""), actor=ACTOR, settings=settings
        )
    post = make_letter(session, channel=Channel.post)
    with pytest.raises(Invalid, match="e-mail"):
        enqueue_letter_email(session, letter=post, actor=ACTOR, settings=settings)
    with pytest.raises(Invalid, match="pas valide"):
        enqueue_letter_email(
            session,
            letter=make_letter(session, email="pas-une-adresse"),
            actor=ACTOR,
            settings=settings,
        )


def test_file_backend_writes_a_parseable_eml(session: Session, settings: Settings) -> None:
    letter = make_letter(session, subject="Égalité des chances : où en êtes-vous ?")
    row = enqueue_letter_email(session, letter=letter, actor=ACTOR, settings=settings)
    backend = FileBackend(settings.mail_dir)

    asyncio.run(backend.send(render(row)))
    asyncio.run(backend.send(render(row)))

    files = list(settings.mail_dir.glob("*.eml"))
    assert len(files) == 1
    assert files[0].name == letter.message_id.strip("<>") + ".eml"
    parsed = BytesParser(policy=default).parsebytes(files[0].read_bytes())
    assert parsed["Subject"] == "Égalité des chances : où en êtes-vous ?"
    assert parsed["Message-ID"] == letter.message_id
    # The association signs its e-mails (name, address, footer: here only the name is known).
    assert parsed.get_content() == (  # type: ignore[attr-defined]
        "Madame la Députée,\nÀ très bientôt.\n\n-- \nAssociation Protégeons\n"
    )
