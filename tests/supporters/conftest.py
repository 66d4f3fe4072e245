"""A database holding the project's geography and officials plus a public campaign, committed
once per backend; an app on it, sending mail to a folder (or to aiosmtpd when a test asks)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from supporters_support import FIXED_SLUG, ROOT, SLUG, make_settings

from app.campaigns.models import Campaign
from app.config import Settings
from app.db import build_engine, unit_of_work
from app.geography.service import load_project_geography
from app.main import create_app
from app.officials.sync import load_project_data


def build_database(url: str) -> str:
    """Migrate, load the project's geography and officials, add the public campaigns."""
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["url"] = url
    command.upgrade(config, "head")
    engine = build_engine(url)
    with unit_of_work(engine) as session:
        load_project_geography(session, ROOT / "data")
        load_project_data(session, ROOT / "data", None)
        session.add(
            Campaign(
                name="Avant l'audition",
                slug=FIXED_SLUG,
                is_public=True,
                targeting="fixed",
                target_filter={"kind": "minister", "q": "justice"},
            )
        )
        session.flush()
        session.add(Campaign(name="Écrivez à vos élus", slug=SLUG, is_public=True))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sup_url(backend: str, make_database_url) -> str:  # type: ignore[no-untyped-def]
    return build_database(make_database_url(backend))


@pytest.fixture(scope="module")
def own_url(backend: str, make_database_url) -> str:  # type: ignore[no-untyped-def]
    """A database of its own, for a module whose clock jumps (retention) or that counts all."""
    return build_database(make_database_url(backend))


@pytest.fixture(scope="session")
def sup_engine(sup_url: str) -> Iterator[Engine]:
    engine = build_engine(sup_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sup_settings(sup_url: str, tmp_path: Path) -> Settings:
    return make_settings(sup_url, tmp_path)


@pytest.fixture
def sup_client(sup_settings: Settings) -> Iterator[TestClient]:
    app = create_app(sup_settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    app.state.engine.dispose()
