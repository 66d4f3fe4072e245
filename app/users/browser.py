"""What a browser keeps about its user: the session id (signed cookie), the sign-in waiting for
its second step, and the "known device" cookie that spares a colleague the account's delays."""

import hashlib
import time

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from app.config import Settings
from app.users.models import User
from app.users.sessions import end_session, start_session
from app.web.deps import client_ip

SESSION_KEY = "sid"
PENDING_KEY = "second_step"
PENDING_SECONDS = 300
DEVICE_COOKIE = "plaidoyer_device"
DEVICE_SECONDS = 365 * 24 * 3600
DEVICE_ACCOUNTS = 10


def open_session(request: Request, session: Session, *, user: User, settings: Settings) -> None:
    """A new session id for this browser: whatever the cookie held before is dropped."""
    if (previous := current_token(request)) is not None:
        end_session(session, token=previous)
    request.session.clear()
    token = start_session(session, user=user, ip=client_ip(request), settings=settings)
    request.session[SESSION_KEY] = token


def current_token(request: Request) -> str | None:
    token = request.session.get(SESSION_KEY)
    return token if isinstance(token, str) else None


def await_second_step(request: Request, *, user: User) -> None:
    """The password was right: remember who, for a few minutes, until the code is given."""
    request.session.clear()
    request.session[PENDING_KEY] = {"user_id": user.id, "at": int(time.time())}


def pending_user_id(request: Request) -> int | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user_id = pending.get("user_id")
    return user_id if isinstance(user_id, int) else None


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.session_secret(), salt="plaidoyer-device")


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def _known(request: Request, settings: Settings) -> list[str]:
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return []
    try:
        known = _serializer(settings).loads(cookie)
    except BadSignature:
        return []
    return [str(item) for item in known] if isinstance(known, list) else []


def is_known_device(request: Request, *, email: str, settings: Settings) -> bool:
    """Whether this account signed in from this browser before."""
    return _digest(email) in _known(request, settings)


def remember_device(
    request: Request, response: Response, *, user: User, settings: Settings
) -> None:
    """Marks this browser as one where the account signed in (the last few accounts)."""
    digest = _digest(user.email)
    known = [digest, *(item for item in _known(request, settings) if item != digest)]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer(settings).dumps(known[:DEVICE_ACCOUNTS]),
        max_age=DEVICE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
