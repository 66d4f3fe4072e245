"""500 confirmations arriving at once at the real server (plus 50 duplicate clicks in the same
burst), on SQLite and PostgreSQL: every letter queued exactly once, no 5xx; wall time and p99."""

import asyncio
import secrets
import statistics
import time
from pathlib import Path

import httpx
import pytest
from served import environment
from sqlalchemy import func, select
from supporters_support import SLUG, build_database, csrf, make_settings

from app.db import build_engine, unit_of_work
from app.mailing.models import OutboxMessage
from app.officials.models import Official
from app.supporters import tokens
from app.supporters.models import (
    ActionKind,
    ActionStatus,
    Supporter,
    SupporterAction,
    SupporterLetter,
)
from app.supporters.service import public_campaign
from tests.live import served

COUNT = 500
DUPLICATES = 50

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def pending_requests(url: str, data_dir: Path) -> list[str]:
    """COUNT requests to one deputy and the senators of the Ain, waiting for the click (written
    in bulk: the submission is tested elsewhere, this test is about confirmations); their tokens."""
    settings = make_settings(url, data_dir)
    engine = build_engine(url)
    with unit_of_work(engine) as session:
        campaign = public_campaign(session, slug=SLUG)
        officials = list(
            session.scalars(
                select(Official.id)
                .where(Official.department_code == "01", Official.email != "")
                .where((Official.kind == "senator") | (Official.circonscription == 1))
            )
        )
        people = [
            Supporter(email=f"charge.{n}@exemple.fr", name=f"Sympathisant {n}", postcode="01000")
            for n in range(COUNT)
        ]
        session.add_all(people)
        session.flush()
        actions = [
            SupporterAction(
                supporter_id=person.id,
                campaign_id=campaign.id,
                kind=ActionKind.letters,
                status=ActionStatus.pending,
                nonce=secrets.token_hex(16),
                name=person.name,
                postcode="01000",
            )
            for person in people
        ]
        session.add_all(actions)
        session.flush()
        session.add_all(
            SupporterLetter(
                action_id=action.id,
                official_id=official_id,
                subject="Protéger les enfants en ligne",
                body=f"Madame, Monsieur,\n\nLettre n° {action.id}.",
            )
            for action in actions
            for official_id in officials
        )
        found = [tokens.sign(settings, tokens.CONFIRM, [a.id, a.nonce]) for a in actions]
    engine.dispose()
    return found


async def confirm_all(
    base: str, links: list[str]
) -> tuple[list[int], list[str], list[float], float]:
    """Open every confirmation page, then post every confirmation at the same instant."""
    clients = [httpx.AsyncClient(base_url=base, timeout=120) for _ in links]
    try:
        gate = asyncio.Semaphore(50)

        async def open_page(client: httpx.AsyncClient, path: str) -> str:
            async with gate:
                # Closed after the page: an idle kept-alive connection would time out before
                # the burst, and a POST is never retried on a dead connection.
                return csrf((await client.get(path, headers={"Connection": "close"})).text)

        csrfs = await asyncio.gather(
            *(open_page(c, p) for c, p in zip(clients, links, strict=True))
        )
        start = asyncio.Event()
        durations: list[float] = []

        async def post(client: httpx.AsyncClient, path: str, token: str) -> httpx.Response:
            await start.wait()
            began = time.perf_counter()
            response = await client.post(path, data={"csrf_token": token})
            durations.append(time.perf_counter() - began)
            return response

        tasks = [
            asyncio.create_task(post(c, p, t))
            for c, p, t in zip(clients, links, csrfs, strict=True)
        ]
        await asyncio.sleep(0.2)
        began = time.perf_counter()
        start.set()
        responses = await asyncio.gather(*tasks)
        wall = time.perf_counter() - began
        return [r.status_code for r in responses], [r.text for r in responses], durations, wall
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def test_500_confirmations_at_once(
    backend: str, make_database_url, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    url = build_database(make_database_url(backend))
    paths = [f"/agir/confirmer/{token}" for token in pending_requests(url, tmp_path)]
    env = environment(tmp_path, url, 9, PLAIDOYER_SUPPORTER_BURST_LETTERS="1000000")
    with served(env, tmp_path / "server.log") as base:
        statuses, texts, durations, wall = asyncio.run(
            confirm_all(base, paths + paths[:DUPLICATES])
        )
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses == [200] * len(statuses)
    thanked = sum("Merci ! Votre lettre part" in text for text in texts)
    already = sum("déjà confirmée" in text for text in texts)
    assert (thanked, already) == (COUNT, DUPLICATES)
    engine = build_engine(url)
    with unit_of_work(engine) as session:
        letters = session.scalar(select(func.count()).select_from(SupporterLetter))
        linked = session.scalar(select(func.count(func.distinct(SupporterLetter.letter_id))))
        queued = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .join(SupporterLetter, SupporterLetter.letter_id == OutboxMessage.letter_id)
        )
        confirmed = session.scalar(
            select(func.count()).where(SupporterAction.status == ActionStatus.confirmed)
        )
    engine.dispose()
    assert confirmed == COUNT
    assert linked == letters == queued, "every letter queued, exactly once"
    p99 = statistics.quantiles(durations, n=100)[98]
    with capsys.disabled():
        print(
            f"\n[{backend}] {len(durations)} confirmations ({COUNT} + {DUPLICATES} doublons), "
            f"{letters} lettres : {wall:.2f} s, p50 {statistics.median(durations) * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms"
        )
