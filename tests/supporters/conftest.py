"""A database holding the project's geography and officials plus a public campaign, committed
once per backend; an app on it, sending mail to a folder (or to aiosmtpd when a test asks)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from supporters_support import build_database, make_settings

from app.config import Settings
from app.db import build_engine
from app.main import create_app


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
