"""Fresh migrated databases the ops tests can commit to, on SQLite and PostgreSQL."""

from collections.abc import Iterator
from typing import Any

import pytest
from ops_support import migrate
from sqlalchemy import Engine

from app.db import build_engine


@pytest.fixture
def fresh_url(backend: str, make_database_url: Any) -> str:
    url: str = make_database_url(backend)
    migrate(url)
    return url


@pytest.fixture
def fresh_engine(fresh_url: str) -> Iterator[Engine]:
    engine = build_engine(fresh_url)
    yield engine
    engine.dispose()
