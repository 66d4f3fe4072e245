"""Follow-ups in bulk: letters picked on « À relancer », a confirmation with the count, then
all their follow-ups at once (or none)."""

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.campaigns.outreach import chase, chase_many
from app.config import Settings
from app.db import utcnow
from app.errors import Conflict, Invalid
from app.letters.models import Letter, LetterStatus
from app.security import Actor
from app.users.models import Role
from tests.factories import add_campaign, add_letter

ACTOR = Actor.system("tests")


@pytest.fixture
def unanswered(session: Session, campaign: Campaign, make_official) -> list[Letter]:  # type: ignore[no-untyped-def]
    sent = utcnow() - timedelta(days=30)
    return [
        add_letter(session, campaign=campaign, official=make_official(), at=sent) for _ in range(3)
    ]


def follow_ups(session: Session) -> dict[int, Letter]:
    rows = session.scalars(select(Letter).where(Letter.follow_up_of_id.is_not(None)))
    return {letter.follow_up_of_id: letter for letter in rows if letter.follow_up_of_id}


def test_all_follow_ups_at_once(
    session: Session, settings: Settings, unanswered: list[Letter]
) -> None:
    ids = [letter.id for letter in unanswered]
    made = chase_many(session, letter_ids=ids, expected=3, actor=ACTOR, settings=settings)
    assert len(made) == 3
    done = follow_ups(session)
    assert sorted(done) == sorted(ids)
    assert {letter.status for letter in done.values()} == {LetterStatus.draft}
    assert {done[o.id].official_id for o in unanswered} == {o.official_id for o in unanswered}


def test_none_when_one_cannot_be_chased(
    session: Session, settings: Settings, unanswered: list[Letter]
) -> None:
    ids = [letter.id for letter in unanswered]
    chase(session, letter_id=ids[1], actor=ACTOR, settings=settings)
    with pytest.raises(Conflict):
        chase_many(session, letter_ids=ids, expected=3, actor=ACTOR, settings=settings)
    assert sorted(follow_ups(session)) == [ids[1]]


def test_the_confirmed_count_must_still_hold(
    session: Session, settings: Settings, unanswered: list[Letter]
) -> None:
    ids = [letter.id for letter in unanswered]
    with pytest.raises(Conflict, match="3 courriers et non 2"):
        chase_many(session, letter_ids=ids, expected=2, actor=ACTOR, settings=settings)
    with pytest.raises(Invalid, match="Cochez"):
        chase_many(session, letter_ids=[], expected=0, actor=ACTOR, settings=settings)
    assert follow_ups(session) == {}


def test_a_campaign_without_follow_up_template_is_named(
    session: Session, settings: Settings, make_official
) -> None:  # type: ignore[no-untyped-def]
    bare = add_campaign(session, name="Sans relance")
    letter = add_letter(
        session, campaign=bare, official=make_official(), at=utcnow() - timedelta(days=30)
    )
    with pytest.raises(Invalid, match="« Sans relance »"):
        chase_many(session, letter_ids=[letter.id], expected=1, actor=ACTOR, settings=settings)


def test_select_confirm_and_generate_from_the_pages(
    client: TestClient, session: Session, sign_in_as, unanswered: list[Letter]
) -> None:  # type: ignore[no-untyped-def]
    csrf = sign_in_as(Role.staff)
    page = client.get("/a-relancer").text
    for letter in unanswered:
        assert f'name="courrier" value="{letter.id}" form="chase-selection"' in page
    picked = [unanswered[0].id, unanswered[2].id]
    confirm = client.get("/a-relancer/selection", params={"courrier": picked})
    assert confirm.status_code == 200
    assert re.search(r'id="chase-count">2 relances seront préparées', confirm.text)
    assert "Générer les 2 relances" in confirm.text
    done = client.post(
        "/a-relancer/selection",
        data={"csrf_token": csrf, "expected": "2", "courrier": [str(i) for i in picked]},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/a-relancer"
    assert sorted(follow_ups(session)) == sorted(picked)
    after = client.get("/a-relancer").text
    assert "2 relances préparées" in after
    assert f'value="{unanswered[1].id}" form="chase-selection"' in after
    assert f'value="{picked[0]}" form="chase-selection"' not in after


def test_an_empty_selection_goes_back_with_a_message(
    client: TestClient, session: Session, sign_in_as, unanswered: list[Letter]
) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.staff)
    response = client.get("/a-relancer/selection")
    assert response.status_code == 200  # followed back to the list
    assert "Cochez au moins un courrier à relancer." in response.text
    assert session.scalar(select(func.count()).where(Letter.follow_up_of_id.is_not(None))) == 0


def test_viewers_cannot_select(client: TestClient, sign_in_as, unanswered: list[Letter]) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.viewer)
    assert 'form="chase-selection"' not in client.get("/a-relancer").text
