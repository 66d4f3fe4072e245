"""The /agir page cache: a visitor gets their own CSRF token in a stored page, and a pause, an
approved stance or a personal cookie show at once."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from supporters_support import SLUG, campaign_id, csrf, make_settings, officials_offered

from app.campaigns.service import set_paused
from app.db import build_engine, unit_of_work
from app.demands.models import Demand
from app.main import create_app
from app.security import Actor
from app.stances.models import EvidenceKind, Position
from app.stances.service import Evidence, Proposal, propose_stance, review_stances

ACTOR = Actor.system("tests")


@pytest.fixture(scope="module")
def engine(own_url: str) -> Iterator[Engine]:
    engine = build_engine(own_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app_client(own_url: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(make_settings(own_url, tmp_path))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    app.state.engine.dispose()


def without_token(page: str) -> str:
    return page.replace(csrf(page), "")


def test_stored_pages_carry_each_visitors_token(app_client: TestClient) -> None:
    first = app_client.get(f"/agir/{SLUG}", params={"q": "29200"}).text
    again = app_client.get(f"/agir/{SLUG}", params={"q": "29200"}).text
    assert first == again  # same visitor, same token
    other = TestClient(app_client.app, base_url="http://127.0.0.1")
    token = csrf(other.get("/trouver-mon-elu").text)
    theirs = other.get(f"/agir/{SLUG}", params={"q": "29200"}).text
    assert csrf(theirs) == token != csrf(first)
    assert without_token(theirs) == without_token(first)
    newcomer = TestClient(app_client.app, base_url="http://127.0.0.1")
    stored = newcomer.get(f"/agir/{SLUG}", params={"q": "29200"})
    assert 'name="csrf-token" content=""' in stored.text  # the page posts nothing
    assert "set-cookie" not in stored.headers
    assert "csrf-" not in stored.text.split("<main", 1)[1]
    assert app_client.get("/agir", params={"q": "29200"}).status_code == 200


def test_a_pause_and_an_approved_stance_show_at_once(
    app_client: TestClient, engine: Engine
) -> None:
    page = app_client.get(f"/agir/{SLUG}", params={"q": "29200"}).text
    assert "en pause" not in page
    deputies, _ = officials_offered(page)
    with unit_of_work(engine) as session:
        set_paused(session, campaign_id=campaign_id(engine, SLUG), paused=True, actor=ACTOR)
    assert "en pause" in app_client.get(f"/agir/{SLUG}", params={"q": "29200"}).text
    with unit_of_work(engine) as session:
        set_paused(session, campaign_id=campaign_id(engine, SLUG), paused=False, actor=ACTOR)
    assert "en pause" not in app_client.get(f"/agir/{SLUG}", params={"q": "29200"}).text

    with unit_of_work(engine) as session:
        demand = session.scalars(select(Demand).order_by(Demand.number)).first()
        assert demand is not None
        evidence = Evidence(
            kind=EvidenceKind.statement,
            text="Tribune",
            source_url="https://exemple.fr/tribune",
            evidence_date=date(2026, 3, 1),
        )
        proposal = Proposal(
            official_id=int(deputies[0]),
            demand_id=demand.id,
            position=Position.committed,
            evidence=evidence,
        )
        stance = propose_stance(session, proposal=proposal, actor=ACTOR)
        title = demand.title
    assert "Déjà dit" not in app_client.get(f"/agir/{SLUG}", params={"q": "29200"}).text
    with unit_of_work(engine) as session:
        review_stances(session, stance_ids=[stance.id], approved=True, comment="", actor=ACTOR)
    page = app_client.get(f"/agir/{SLUG}", params={"q": "29200"}).text
    assert "Déjà dit" in page and title in page
