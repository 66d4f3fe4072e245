"""« Ma journée »: replies to code, letters to chase, failed sends with their reason, the queue,
and a warning when queued mail is old and no worker is alive."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.config import Settings
from app.daily.service import my_day
from app.db import utcnow
from app.demands.models import Demand
from app.letters.models import LetterStatus
from app.mailing.models import OutboxMessage, OutboxStatus, WorkerHeartbeat
from app.officials.models import Official
from app.replies.models import Reply
from app.stances.models import Stance
from app.users.models import Role, User
from tests.conftest import page_csrf
from tests.factories import PASSWORD, add_letter

REFUSAL = "550 5.1.1 Recipient address rejected: user unknown"


def outbox_row(session: Session, *, letter_id: int | None, status: str, minutes_ago: float) -> None:
    at = utcnow() - timedelta(minutes=minutes_ago)
    session.add(
        OutboxMessage(
            letter_id=letter_id,
            message_id=f"<{letter_id}-{status}-{minutes_ago}@asso.example>",
            from_address="Asso <contact@asso.example>",
            to_address="elu@assemblee-nationale.fr",
            subject="Nos quatre demandes",
            body="Madame la Députée, …",
            status=status,
            attempts=1 if status == OutboxStatus.failed else 0,
            next_attempt_at=at,
            last_error=REFUSAL if status == OutboxStatus.failed else "",
            created_at=at,
        )
    )
    session.flush()


def fill_the_day(session: Session, campaign: Campaign, official: Official) -> None:
    """2 replies to code (one more coded), 1 in the tray, 1 letter to chase, 1 failed send,
    1 message queued 10 minutes ago."""
    demand = session.scalars(select(Demand).order_by(Demand.number)).first()
    assert demand is not None
    replies = [Reply(official_id=official.id, channel="email", subject=f"R{n}") for n in range(3)]
    session.add_all([*replies, Reply(official_id=None, channel="email", subject="Inconnu")])
    session.flush()
    session.add(
        Stance(
            official_id=official.id,
            demand_id=demand.id,
            position="supportive",
            evidence_kind="reply",
            reply_id=replies[0].id,
        )
    )
    add_letter(session, campaign=campaign, official=official, at=utcnow() - timedelta(days=30))
    failed = add_letter(session, campaign=campaign, official=official, status=LetterStatus.failed)
    outbox_row(session, letter_id=failed.id, status=OutboxStatus.failed, minutes_ago=60)
    queued = add_letter(session, campaign=campaign, official=official, status=LetterStatus.queued)
    outbox_row(session, letter_id=queued.id, status=OutboxStatus.pending, minutes_ago=10)


def beat(session: Session, *, seconds_ago: float) -> None:
    at = utcnow() - timedelta(seconds=seconds_ago)
    session.add(WorkerHeartbeat(worker_id="w1", hostname="h", pid=1, started_at=at, beat_at=at))
    session.flush()


def test_the_day_counts_what_waits(
    session: Session, settings: Settings, campaign: Campaign, make_official
) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    fill_the_day(session, campaign, official)
    day = my_day(session, settings=settings)
    assert day.replies_to_code == 2
    assert day.replies_to_attach == 1
    assert day.letters_to_chase == 1
    assert day.waiting == 1
    assert day.failed == 1
    assert [f.error for f in day.failures] == [REFUSAL]
    assert day.failures[0].official.id == official.id
    assert day.stalled  # queued for 10 minutes, no worker ever seen


def test_no_warning_while_a_worker_is_alive_or_the_mail_is_fresh(
    session: Session, settings: Settings, campaign: Campaign, make_official
) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    queued = add_letter(session, campaign=campaign, official=official, status=LetterStatus.queued)
    outbox_row(session, letter_id=queued.id, status=OutboxStatus.pending, minutes_ago=2)
    assert not my_day(session, settings=settings).stalled  # fresh: the worker may be on it
    session.execute(
        OutboxMessage.__table__.update().values(created_at=utcnow() - timedelta(minutes=6))
    )
    assert my_day(session, settings=settings).stalled
    beat(session, seconds_ago=5)
    assert not my_day(session, settings=settings).stalled
    session.execute(
        WorkerHeartbeat.__table__.update().values(beat_at=utcnow() - timedelta(minutes=10))
    )
    assert my_day(session, settings=settings).stalled  # the last worker went silent


def sign_in(client: TestClient, user: User) -> str:
    response = client.post(
        "/connexion",
        data={"email": user.email, "password": PASSWORD, "csrf_token": page_csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return response.headers["location"]


def test_staff_land_on_their_day(
    client: TestClient,
    session: Session,
    users: dict[Role, User],
    campaign: Campaign,
    make_official,
) -> None:  # type: ignore[no-untyped-def]
    fill_the_day(session, campaign, make_official())
    assert sign_in(client, users[Role.staff]) == "/ma-journee"
    html = client.get("/ma-journee").text
    assert 'id="replies-to-code">2<' in html
    assert 'id="letters-to-chase">1<' in html
    assert 'id="outbox-waiting">1<' in html
    assert 'id="failed-sends">1<' in html
    assert REFUSAL in html
    assert 'id="outbox-stalled"' in html and "Les e-mails ne partent plus" in html


def test_quiet_day_without_warning(client: TestClient, users: dict[Role, User]) -> None:
    assert sign_in(client, users[Role.admin]) == "/ma-journee"
    html = client.get("/ma-journee").text
    assert 'id="outbox-stalled"' not in html
    assert "Aucun message en attente." in html


def test_viewers_keep_the_home_page_and_may_read_the_day(
    client: TestClient, users: dict[Role, User]
) -> None:
    assert sign_in(client, users[Role.viewer]) == "/"
    assert client.get("/ma-journee").status_code == 200
