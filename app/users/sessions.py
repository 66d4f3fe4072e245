"""Server-side sessions: the browser holds a random id, the table says whether it still counts.
One indexed lookup per request; `last_seen_at` is written at most once a minute."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.security import hash_session_token, new_session_token
from app.users.models import User, UserSession

TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class FoundSession:
    """A live session and its user; `stale` when it must be written (last seen, new role)."""

    user: User
    session_id: int
    stale: bool
    role_changed: bool


def _expired(settings: Settings, now: datetime) -> tuple[datetime, datetime]:
    idle = now - timedelta(minutes=settings.session_idle_minutes)
    absolute = now - timedelta(hours=settings.session_absolute_hours)
    return idle, absolute


def start_session(session: Session, *, user: User, ip: str, settings: Settings) -> str:
    """Opens a session for the user and returns its id (the cookie's); expired ones go."""
    now = utcnow()
    idle, absolute = _expired(settings, now)
    session.execute(
        delete(UserSession).where(
            or_(UserSession.last_seen_at < idle, UserSession.created_at < absolute)
        )
    )
    token = new_session_token()
    session.add(
        UserSession(
            token_hash=hash_session_token(token),
            user_id=user.id,
            role=user.role,
            ip=ip[:64],
            created_at=now,
            last_seen_at=now,
        )
    )
    session.flush()
    return token


def find_session(session: Session, *, token: str, settings: Settings) -> FoundSession | None:
    """The live session of this id and its active user, if any (one indexed query)."""
    query = (
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == hash_session_token(token), User.is_active)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    user, user_session = row
    now = utcnow()
    idle, absolute = _expired(settings, now)
    if user_session.last_seen_at < idle or user_session.created_at < absolute:
        return None
    role_changed = user_session.role != user.role
    stale = role_changed or now - user_session.last_seen_at >= TOUCH_EVERY
    return FoundSession(
        user=user, session_id=user_session.id, stale=stale, role_changed=role_changed
    )


def refresh_session(session: Session, *, found: FoundSession) -> str | None:
    """Writes that the session was seen now; after a role change, gives it a new id (returned)."""
    user_session = session.get(UserSession, found.session_id)
    if user_session is None:
        return None
    user_session.last_seen_at = utcnow()
    new_token = None
    if found.role_changed:
        new_token = new_session_token()
        user_session.token_hash = hash_session_token(new_token)
        user_session.role = found.user.role
    session.flush()
    return new_token


def end_session(session: Session, *, token: str) -> None:
    """Ends one session (sign-out)."""
    session.execute(delete(UserSession).where(UserSession.token_hash == hash_session_token(token)))


def end_all_sessions(session: Session, *, user_id: int) -> int:
    """Ends every session of the user (sign-out everywhere, deactivation, new password)."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def count_sessions(session: Session, *, user_id: int, settings: Settings) -> int:
    """How many browsers are signed in to this account."""
    idle, absolute = _expired(settings, utcnow())
    query = select(func.count(UserSession.id)).where(
        UserSession.user_id == user_id,
        UserSession.last_seen_at >= idle,
        UserSession.created_at >= absolute,
    )
    return session.scalar(query) or 0
