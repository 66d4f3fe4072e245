"""Readiness: may a load balancer send traffic here, and is the outbox moving?"""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.mailing import outbox
from app.mailing.heartbeat import last_beat

ALEMBIC_INI = Path(__file__).resolve().parent.parent.parent / "alembic.ini"


@lru_cache(maxsize=1)
def expected_heads() -> frozenset[str]:
    """The migration heads this code expects (read once from migrations/)."""
    return frozenset(ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_heads())


class Readiness(BaseModel):
    status: Literal["ready", "unready"] = "ready"
    reasons: list[str] = []
    database: str = ""
    migrations: list[str] = []
    outbox_pending: int | None = None
    outbox_oldest_age_seconds: float | None = None
    heartbeat_age_seconds: float | None = None


def check(session: Session, *, settings: Settings) -> Readiness:
    """Database reachable, schema at head, and the outbox not stuck."""
    result = _check(session, settings=settings)
    result.status = "unready" if result.reasons else "ready"
    return result


def _check(session: Session, *, settings: Settings) -> Readiness:
    result = Readiness(database=session.get_bind().dialect.name)
    try:
        session.execute(text("SELECT 1"))
        result.migrations = sorted(
            MigrationContext.configure(session.connection()).get_current_heads()
        )
    except DBAPIError:
        session.rollback()
        result.reasons.append("Base de données injoignable.")
        return result
    if set(result.migrations) != expected_heads():
        result.reasons.append(
            "Migrations en retard : lancez « plaidoyer db upgrade » "
            f"(base : {', '.join(result.migrations) or 'aucune'}, "
            f"attendu : {', '.join(sorted(expected_heads()))})."
        )
        return result
    _check_outbox(session, settings=settings, result=result)
    return result


def _check_outbox(session: Session, *, settings: Settings, result: Readiness) -> None:
    now = utcnow()
    counts = outbox.counts(session)
    beat = last_beat(session)
    result.outbox_pending = counts.pending
    if counts.oldest_pending_at is not None:
        result.outbox_oldest_age_seconds = round((now - counts.oldest_pending_at).total_seconds())
    if beat is not None:
        result.heartbeat_age_seconds = round((now - beat).total_seconds())
    oldest = result.outbox_oldest_age_seconds
    if oldest is not None and oldest > settings.ready_outbox_max_age_seconds:
        result.reasons.append(
            f"File d'envoi bloquée : le plus ancien e-mail attend depuis {oldest:.0f} s "
            f"(seuil {settings.ready_outbox_max_age_seconds:.0f} s)."
        )
    if counts.pending:
        age = result.heartbeat_age_seconds
        if age is None:
            result.reasons.append(
                "Des e-mails attendent mais aucun processus d'envoi (plaidoyer outbox run) "
                "ne s'est jamais signalé."
            )
        elif age > settings.ready_heartbeat_max_age_seconds:
            result.reasons.append(
                f"Des e-mails attendent mais aucun processus d'envoi ne s'est signalé depuis "
                f"{age:.0f} s (seuil {settings.ready_heartbeat_max_age_seconds:.0f} s)."
            )
