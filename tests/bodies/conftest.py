"""The project's shipped directory and bodies, loaded once per test into the rolled-back session."""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.officials.sync import load_project_bodies, load_project_data
from app.security import Actor

DATA = Path(__file__).resolve().parents[2] / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
ACTOR = Actor.system("tests")


@pytest.fixture
def shipped(session: Session) -> Session:
    """The session with data/'s officials, bodies and memberships, as `plaidoyer setup` loads."""
    load_project_data(session, DATA, ACTOR)
    load_project_bodies(session, DATA, ACTOR)
    return session
