"""Real-shaped messages (tests/replies/messages/*.eml) through the import path: bounces fail
their letter and flag the address, auto-replies are kept but change nothing, replies count."""

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.db import utcnow
from app.errors import Invalid
from app.letters.models import Letter, LetterEvent, LetterStatus
from app.officials.models import Official
from app.officials.schemas import OfficialFilter
from app.officials.service import search_officials
from app.replies.chase import letters_to_chase
from app.replies.cli import import_messages, message_sources
from app.replies.models import Reply, ReplyKind
from app.replies.robots import is_auto_reply
from app.security import Actor
from app.stances.models import Position
from app.stances.service import propose_from_reply
from tests.factories import add_letter
from tests.replies.conftest import MakeOfficial

MESSAGES = Path(__file__).parent / "messages"
SENT_ID = "<20261124083057.4f2a9c1e7d@asso.example>"
TOKEN = "3f1c9a7e5b2d4c8e9f0a1b2c3d4e5f60"
DEPUTY = "eloise.dupre-lefevre@assemblee-nationale.fr"
ACTOR = Actor.system("tests")


@pytest.fixture
def sent(session: Session, campaign: Campaign, make_official: MakeOfficial):  # type: ignore[no-untyped-def]
    """sent(email) → the letter the fixtures answer: its Message-ID and reply token."""

    def make(email: str = DEPUTY) -> Letter:
        official = make_official(email=email)
        return add_letter(
            session,
            campaign=campaign,
            official=official,
            at=utcnow().replace(year=2026, month=11, day=24, hour=8, minute=30),
            message_id=SENT_ID,
            reply_token=TOKEN,
        )

    return make


def _import(session: Session, name: str) -> tuple[Reply, Counter[str]]:
    outcomes = import_messages(session, message_sources(MESSAGES / name), actor=ACTOR)
    reply = session.scalars(select(Reply).order_by(Reply.id.desc())).first()
    assert reply is not None
    return reply, outcomes


@pytest.mark.parametrize(
    ("name", "recipient", "status", "diagnostic"),
    [
        ("bounce_postfix.eml", DEPUTY, "5.1.1", "User unknown in virtual mailbox table"),
        ("bounce_postfix_mixed.eml", DEPUTY, "5.2.2", "552 5.2.2 Mailbox full"),
        ("bounce_exchange.eml", DEPUTY, "5.1.10", "RESOLVER.ADR.RecipientNotFound"),
        ("bounce_gmail.eml", "eloise.dupre-lefevre@gmail.com", "5.1.1", "does not exist"),
    ],
)
def test_a_bounce_fails_its_letter_and_flags_the_address(
    session: Session, sent, name: str, recipient: str, status: str, diagnostic: str
) -> None:  # type: ignore[no-untyped-def]
    letter = sent(recipient)
    reply, outcomes = _import(session, name)
    assert outcomes == Counter({ReplyKind.bounce: 1})
    assert (reply.kind, reply.letter_id, reply.matched_by) == ("bounce", letter.id, "report")
    assert reply.delivery_status == status and diagnostic in reply.diagnostic
    session.refresh(letter)
    assert letter.status == LetterStatus.failed
    event = session.scalars(
        select(LetterEvent).where(LetterEvent.letter_id == letter.id).order_by(LetterEvent.id)
    ).all()[-1]
    assert event.to_status == "failed" and status in event.detail and diagnostic in event.detail
    official = session.get(Official, letter.official_id)
    assert official is not None and official.is_bouncing
    assert status in official.bounce_diagnostic
    flagged, _ = search_officials(session, filters=OfficialFilter(bouncing=True))
    assert [o.id for o in flagged] == [official.id]
    others, _ = search_officials(session, filters=OfficialFilter(bouncing=False))
    assert official.id not in [o.id for o in others]
    # A failed letter is not answered, and another address clears the flag.
    assert letters_to_chase(session, days=0)[1] == 0
    official.email = "permanence@exemple.fr"
    assert not official.is_bouncing


def test_a_delay_warning_is_kept_and_changes_nothing(session: Session, sent) -> None:  # type: ignore[no-untyped-def]
    letter = sent()
    reply, outcomes = _import(session, "delay_postfix.eml")
    assert outcomes == Counter({ReplyKind.delivery_notice: 1})
    assert (reply.kind, reply.letter_id, reply.delivery_status) == (
        "delivery_notice",
        letter.id,
        "4.4.1",
    )
    session.refresh(letter)
    assert letter.status == LetterStatus.sent
    assert not session.get(Official, letter.official_id).is_bouncing  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("auto_reply_fr_outlook.eml", "Je suis absente de la permanence jusqu'au 2 décembre"),
        ("auto_reply_en_base64.eml", "I am out of the office until Monday"),
        ("auto_reply_fr_precedence.eml", "Votre message a bien été reçu"),
        ("auto_reply_fr_subject_only.eml", "écrivez à mon cabinet"),
    ],
)
def test_an_auto_reply_is_kept_matched_and_the_letter_stays_to_chase(
    session: Session, sent, name: str, text: str
) -> None:  # type: ignore[no-untyped-def]
    letter = sent()
    reply, outcomes = _import(session, name)
    assert outcomes == Counter({ReplyKind.auto_reply: 1})
    assert (reply.kind, reply.letter_id, reply.official_id) == (
        "auto_reply",
        letter.id,
        letter.official_id,
    )
    assert text in reply.body
    session.refresh(letter)
    assert letter.status == LetterStatus.sent
    rows, total = letters_to_chase(session, days=0)
    assert total == 1 and rows[0][0].id == letter.id
    with pytest.raises(Invalid, match="automatique"):
        propose_from_reply(session, reply=reply, positions={1: Position.supportive}, actor=ACTOR)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("reply_fr_quoted_printable.eml", "je soutiendrai la création d'un référent formé"),
        ("reply_fr_base64.eml", "je m'engage à en parler au ministre"),
        ("reply_html_only.eml", "La députée soutient votre demande n° 2 & vous recevra."),
    ],
)
def test_a_reply_marks_its_letter_replied_with_readable_text(
    session: Session, sent, name: str, text: str
) -> None:  # type: ignore[no-untyped-def]
    letter = sent()
    reply, outcomes = _import(session, name)
    assert outcomes == Counter({"letter": 1})
    assert reply.kind == "reply" and text in reply.body
    for leftover in ("<", "alert", "onerror", "font-family", "javascript"):
        assert leftover not in reply.body
    session.refresh(letter)
    assert letter.status == LetterStatus.replied
    assert letters_to_chase(session, days=0)[1] == 0


def test_a_maildir_of_every_kind_is_counted_by_kind(session: Session, sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sent()
    box = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (box / sub).mkdir(parents=True)
    for path in sorted(MESSAGES.glob("*.eml")):
        (box / "new" / f"{path.stem}:2,").write_bytes(path.read_bytes())
    outcomes = import_messages(session, message_sources(box), actor=ACTOR)
    assert outcomes == Counter({"bounce": 4, "auto_reply": 4, "delivery_notice": 1, "letter": 3})


@pytest.mark.parametrize(
    "subject",
    [
        "Absent",
        "Absence du bureau",
        "RE: Absente jusqu'au 2 décembre",
        "Réponse automatique : Votre courrier",
        "TR: Message automatique",
        "Out of Office: Protection de l'enfance",
        "Automatic reply: nos demandes",
        "Autosvar: Protection",
        "Auto-Reply: vacances",
        "[Réponse automatique] Votre message",
        "Accusé de réception : votre message",
    ],
)
def test_auto_reply_subjects(subject: str) -> None:
    from email.message import EmailMessage

    assert is_auto_reply(EmailMessage(), subject)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Auto-Submitted": "auto-replied"}, True),
        ({"Auto-Submitted": "auto-generated; owner-email=x@y.fr"}, True),
        ({"Auto-Submitted": "no"}, False),
        ({"X-Autoreply": "yes"}, True),
        ({"X-Autorespond": "Votre message"}, True),
        ({"Precedence": "bulk"}, True),
        ({"Precedence": "junk"}, True),
        ({"Precedence": "auto_reply"}, True),
        ({"Precedence": "list"}, False),
        ({}, False),
    ],
)
def test_auto_reply_headers(headers: dict[str, str], expected: bool) -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    for name, value in headers.items():
        message[name] = value
    assert is_auto_reply(message, "Re: Protection de l'enfance en ligne") is expected


@pytest.mark.parametrize(
    "subject",
    ["Re: Protection de l'enfance en ligne", "Votre lettre sur l'absentéisme", "Absolument"],
)
def test_ordinary_subjects_are_not_auto_replies(subject: str) -> None:
    from email.message import EmailMessage

    assert not is_auto_reply(EmailMessage(), subject)
