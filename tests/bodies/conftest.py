"""The project's shipped directory and bodies, loaded once per test into the rolled-back session."""

import pytest
from sqlalchemy.orm import Session

from app.officials.sync import load_project_bodies, load_project_data
from tests.factories import ACTOR, DATA


@pytest.fixture
def shipped(session: Session) -> Session:
    """The session with data/'s officials, bodies and memberships, as `plaidoyer setup` loads."""
    load_project_data(session, DATA, ACTOR)
    load_project_bodies(session, DATA, ACTOR)
    return session
