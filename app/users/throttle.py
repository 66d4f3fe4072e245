"""Sign-in throttling a stranger cannot turn against a colleague: hard limits per (account,
address) and per address; for one account from everywhere, growing delays, never a lock, and
none at all for a browser where the account signed in before."""

import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.errors import TooManyAttempts
from app.users.models import LoginAttempt


def _failures(
    session: Session, since: datetime, *where: ColumnElement[bool]
) -> tuple[int, datetime | None]:
    query = select(func.count(LoginAttempt.id), func.max(LoginAttempt.created_at)).where(
        LoginAttempt.created_at >= since, *where
    )
    count, last = session.execute(query).one()
    return int(count or 0), last


def account_delay(failures: int, *, settings: Settings) -> int:
    """Seconds to wait after the last failure once an account has had `failures` of them:
    none up to the per-address limit, then 1, 2, 4… up to the cap."""
    excess = failures - settings.login_max_failures
    if excess < 0:
        return 0
    delay: int = 2 ** min(excess, 30)
    return min(delay, settings.login_delay_max_seconds)


def check_allowed(
    session: Session, *, settings: Settings, email: str, ip: str, known_device: bool
) -> None:
    """Raises TooManyAttempts (429) when this attempt must not be checked."""
    now = utcnow()
    since = now - timedelta(minutes=settings.login_window_minutes)
    window = f"Réessayez dans {settings.login_window_minutes} minutes."
    pair, _ = _failures(session, since, LoginAttempt.email == email, LoginAttempt.ip == ip)
    if pair >= settings.login_max_failures:
        raise TooManyAttempts(f"Trop de tentatives de connexion pour ce compte. {window}")
    by_ip, _ = _failures(session, since, LoginAttempt.ip == ip)
    if by_ip >= settings.login_ip_max_failures:
        raise TooManyAttempts(f"Trop de tentatives de connexion depuis cette adresse. {window}")
    if known_device:
        return
    account, last = _failures(session, since, LoginAttempt.email == email)
    delay = account_delay(account, settings=settings)
    if delay and last is not None:
        remaining = (last + timedelta(seconds=delay) - now).total_seconds()
        if remaining > 0:
            raise TooManyAttempts(
                "Trop de tentatives de connexion pour ce compte. "
                f"Réessayez dans {math.ceil(remaining)} secondes."
            )


def record_failure(session: Session, *, email: str, ip: str) -> None:
    """Counts one failed attempt (a wrong password or a wrong second-factor code)."""
    session.add(LoginAttempt(email=email, ip=ip[:64]))
