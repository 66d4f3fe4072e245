"""The « to chase » list: sent, unanswered after N days, not followed up; one-click follow-up."""

import pytest
from sqlalchemy.orm import Session

from app.campaigns.outreach import chase
from app.config import Settings
from app.errors import Conflict
from app.letters.models import LetterStatus
from app.replies.chase import letters_to_chase
from app.replies.service import record_inbound_reply
from app.security import Actor

ACTOR = Actor.system("tests")


def _ids(session: Session, days: int) -> list[int]:
    rows, total = letters_to_chase(session, days=days)
    assert total == len(rows)
    return [letter.id for letter, _ in rows]


def test_only_old_unanswered_letters_without_follow_up(
    session: Session, make_official, make_letter, eml
) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    old = make_letter(official, sent_days_ago=30)
    delivered = make_letter(official, status=LetterStatus.delivered, sent_days_ago=22)
    make_letter(official, sent_days_ago=10)  # too recent
    make_letter(official, status=LetterStatus.failed, sent_days_ago=40)
    make_letter(official, status=LetterStatus.draft, sent_days_ago=40)
    answered = make_letter(official, sent_days_ago=40)
    record_inbound_reply(session, raw=eml(in_reply_to=answered.message_id), actor=ACTOR)
    followed = make_letter(official, sent_days_ago=50)
    make_letter(official, status=LetterStatus.draft, follow_up_of=followed)
    assert _ids(session, 21) == [old.id, delivered.id]
    assert _ids(session, 25) == [old.id]
    assert len(_ids(session, 5)) == 3


def test_paginated_oldest_first(session: Session, make_official, make_letter) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    letters = [make_letter(official, sent_days_ago=30 + n) for n in range(5)]
    rows, total = letters_to_chase(session, days=21, offset=2, limit=2)
    assert total == 5
    assert [letter.id for letter, _ in rows] == [letters[2].id, letters[1].id]


def test_follow_up_generated_once(
    session: Session, settings: Settings, make_official, make_letter
) -> None:  # type: ignore[no-untyped-def]
    letter = make_letter(make_official(), sent_days_ago=30)
    follow_up = chase(session, letter_id=letter.id, actor=ACTOR, settings=settings)
    assert follow_up.follow_up_of_id == letter.id and follow_up.id != letter.id
    assert _ids(session, 21) == []
    with pytest.raises(Conflict):
        chase(session, letter_id=letter.id, actor=ACTOR, settings=settings)
