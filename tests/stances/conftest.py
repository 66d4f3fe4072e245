"""Officials and replies built in the rolled-back test session, for the stance tests."""

import secrets
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session
from stances_support import ACTOR

from app.officials.models import Official
from app.replies.models import Reply
from app.replies.service import record_manual_reply

MakeOfficial = Callable[..., Official]


@pytest.fixture
def make_official(session: Session) -> MakeOfficial:
    def make(*, kind: str = "deputy", group_code: str = "SOC", **fields: object) -> Official:
        official = Official(
            kind=kind,
            source_id=str(fields.pop("source_id", f"PA{secrets.token_hex(4)}")),
            civility="Mme",
            first_name="Éloïse",
            last_name=str(fields.pop("last_name", "Dupré")),
            search_name="eloise dupre",
            group_code=group_code,
            **fields,
        )
        session.add(official)
        session.flush()
        return official

    return make


@pytest.fixture
def make_reply(session: Session) -> Callable[[Official], Reply]:
    def make(official: Official) -> Reply:
        return record_manual_reply(
            session,
            official_id=official.id,
            letter_id=None,
            text="Je m'engage à soutenir vos demandes 1 et 3.",
            received_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
            channel="email",
            actor=ACTOR,
        )

    return make
