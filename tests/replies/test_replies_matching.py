"""Matching inbound e-mails to letters and officials; manual replies; attaching from the tray."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.config import Settings
from app.errors import Invalid
from app.letters.models import LetterEvent, LetterStatus
from app.mailing.message import reply_address
from app.replies.models import Reply
from app.replies.service import (
    attach_reply,
    list_replies,
    record_inbound_reply,
    record_manual_reply,
    replies_for_official,
    reply_tokens,
)
from app.security import Actor

ACTOR = Actor.system("tests")
Eml = Callable[..., bytes]


def test_in_reply_to_finds_the_letter_and_marks_it_replied(
    session: Session, make_official, make_letter, eml: Eml
) -> None:
    official = make_official(email="autre@an.fr")
    letter = make_letter(official)
    reply, created = record_inbound_reply(
        session, raw=eml(in_reply_to=letter.message_id), actor=ACTOR
    )
    assert created and reply.matched_by == "in_reply_to"
    assert (reply.letter_id, reply.official_id) == (letter.id, official.id)
    assert letter.status == LetterStatus.replied
    event = session.scalars(select(LetterEvent).where(LetterEvent.letter_id == letter.id)).one()
    assert event.to_status == LetterStatus.replied
    audit = session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "reply", AuditEvent.object_id == str(reply.id)
        )
    ).one()
    assert audit.after is not None and audit.after["matched_by"] == "in_reply_to"


def test_references_find_the_letter_when_in_reply_to_is_foreign(
    session: Session, make_official, make_letter, eml: Eml
) -> None:
    letter = make_letter(make_official())
    raw = eml(in_reply_to="<other@client>", references=f"{letter.message_id} <other@client>")
    reply, _ = record_inbound_reply(session, raw=raw, actor=ACTOR)
    assert reply.letter_id == letter.id and reply.matched_by == "in_reply_to"


def test_reply_address_token_finds_the_letter(
    session: Session, make_official, make_letter, eml: Eml
) -> None:
    letter = make_letter(make_official(), status=LetterStatus.delivered)
    raw = eml(to=f"Plaidoyer <plaidoyer+{letter.reply_token}@reponses.asso.example>")
    reply, _ = record_inbound_reply(session, raw=raw, actor=ACTOR)
    assert reply.letter_id == letter.id and reply.matched_by == "reply_address"
    assert letter.status == LetterStatus.replied


def test_delivered_to_header_carries_the_token_too(
    session: Session, make_official, make_letter, eml: Eml
) -> None:
    letter = make_letter(make_official())
    raw = eml(extra=f"Delivered-To: plaidoyer+{letter.reply_token}@reponses.asso.example")
    assert record_inbound_reply(session, raw=raw, actor=ACTOR)[0].letter_id == letter.id


def test_sender_address_finds_the_official_and_their_latest_letter(
    session: Session, make_official, make_letter, eml: Eml
) -> None:
    official = make_official(email="Eloise.Dupre@Assemblee-Nationale.fr")
    make_letter(official, sent_days_ago=400)
    make_letter(official, sent_days_ago=30)
    recent = make_letter(official, sent_days_ago=3)
    raw = eml(sender="Éloïse Dupré <eloise.dupre@assemblee-nationale.fr>")
    # The e-mail's own date is in the past: use now so the 3-day-old letter is in the window.
    raw = raw.replace(b"Date: Mon, 23 Nov 2026 09:30:00 +0100\r\n", b"")
    reply, _ = record_inbound_reply(session, raw=raw, actor=ACTOR)
    assert reply.matched_by == "sender" and reply.official_id == official.id
    assert reply.letter_id == recent.id


def test_sender_without_recent_letter_is_linked_to_the_official_only(
    session: Session, make_official, eml: Eml
) -> None:
    official = make_official(email="senateur@senat.fr")
    reply, _ = record_inbound_reply(session, raw=eml(sender="senateur@senat.fr"), actor=ACTOR)
    assert (reply.official_id, reply.letter_id, reply.matched_by) == (official.id, None, "sender")


def test_unknown_sender_goes_to_the_unmatched_tray(session: Session, eml: Eml) -> None:
    reply, created = record_inbound_reply(session, raw=eml(sender="inconnu@ex.fr"), actor=ACTOR)
    assert created and reply.official_id is None and reply.matched_by is None
    tray, total = list_replies(session, matched=False)
    assert [r.id for r, _ in tray] == [reply.id] and total == 1


def test_same_message_id_twice_is_not_duplicated(session: Session, eml: Eml) -> None:
    raw = eml(message_id="<unique-1@client.example>")
    first, created = record_inbound_reply(session, raw=raw, actor=ACTOR)
    again, created_again = record_inbound_reply(session, raw=raw, actor=ACTOR)
    assert created and not created_again and again.id == first.id
    assert session.scalar(select(Reply.id).where(Reply.message_id == "<unique-1@client.example>"))


def test_message_without_id_is_deduplicated_by_content(session: Session) -> None:
    raw = b"From: a@b.fr\r\nSubject: sans identifiant\r\n\r\nBonjour"
    first, _ = record_inbound_reply(session, raw=raw, actor=ACTOR)
    again, created = record_inbound_reply(session, raw=raw, actor=ACTOR)
    assert not created and again.id == first.id


def test_manual_reply_on_a_letter(session: Session, make_official, make_letter) -> None:
    official = make_official()
    letter = make_letter(official)
    reply = record_manual_reply(
        session,
        official_id=None,
        letter_id=letter.id,
        text="Reçu en permanence : « je soutiens la demande 2 ».",
        received_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
        channel="meeting",
        actor=ACTOR,
    )
    assert (reply.official_id, reply.matched_by) == (official.id, "manual")
    assert letter.status == LetterStatus.replied
    assert replies_for_official(session, official_id=official.id) == [reply]


def test_manual_reply_refuses_a_letter_of_another_official(
    session: Session, make_official, make_letter
) -> None:
    letter = make_letter(make_official())
    with pytest.raises(Invalid):
        record_manual_reply(
            session,
            official_id=make_official(last_name="Autre").id,
            letter_id=letter.id,
            text="x",
            received_at=datetime(2026, 11, 20, tzinfo=UTC),
            channel="post",
            actor=ACTOR,
        )


def test_attach_from_the_tray(session: Session, make_official, make_letter, eml: Eml) -> None:
    official = make_official()
    letter = make_letter(official)
    reply, _ = record_inbound_reply(session, raw=eml(sender="assistant@gmail.com"), actor=ACTOR)
    attach_reply(session, reply_id=reply.id, official_id=None, letter_id=letter.id, actor=ACTOR)
    assert (reply.official_id, reply.letter_id, reply.matched_by) == (
        official.id,
        letter.id,
        "manual",
    )
    assert letter.status == LetterStatus.replied
    assert list_replies(session, matched=False)[1] == 0


def test_the_outbox_reply_address_is_understood(
    session: Session, make_official, make_letter, eml: Eml
) -> None:
    letter = make_letter(make_official())
    settings = Settings(mail_from="Asso <Contact@asso.example>", mail_reply_domain="r.asso.example")
    address = reply_address(letter.reply_token, settings)
    assert reply_tokens([address.upper()]) == [letter.reply_token]
    reply, _ = record_inbound_reply(session, raw=eml(to=address), actor=ACTOR)
    assert reply.letter_id == letter.id and reply.matched_by == "reply_address"
