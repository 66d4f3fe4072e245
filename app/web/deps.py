"""`Annotated` dependencies: the request's session, the current user, role checks, CSRF."""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.config import Settings
from app.errors import Forbidden, Unauthorized
from app.security import same_token
from app.users.models import Role, User
from app.users.service import user_for_token

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class LoginRequired(Unauthorized):
    """A page needs a signed-in user: answered with a redirect to /connexion."""


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def write_turn(request: Request) -> AsyncIterator[None]:
    """SQLite has one writer: a process's writers wait their turn here, in order and without
    holding a thread, instead of racing in SQLite's busy handler until some fail (locked)."""
    lock: asyncio.Lock | None = request.app.state.write_lock
    if lock is None or request.method in READ_METHODS:
        yield
        return
    async with lock:
        yield


def get_session(
    request: Request, _turn: Annotated[None, Depends(write_turn, scope="function")]
) -> Iterator[Session]:
    """The request's unit of work: the only place that commits; rolled back on any error."""
    write = request.method not in READ_METHODS
    factory = request.app.state.write_sessions if write else request.app.state.read_sessions
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            # Detach first: a rollback would expire the signed-in user, whom the error page shows.
            session.expunge_all()
            session.rollback()
            raise


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def optional_user(request: Request, session: SessionDep) -> User | None:
    """The signed-in user: from the Bearer token on /api, from the session cookie on pages."""
    user = _find_user(request, session)
    request.state.user = user
    return user


def _find_user(request: Request, session: Session) -> User | None:
    if request.url.path.startswith("/api"):
        token = _bearer_token(request)
        return user_for_token(session, token=token) if token else None
    user_id = request.session.get("user_id")
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        request.session.clear()
        return None
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def current_user(request: Request, user: OptionalUser) -> User:
    if user is not None:
        return user
    if request.url.path.startswith("/api"):
        raise Unauthorized("Jeton d'API manquant ou invalide (en-tête Authorization: Bearer …).")
    raise LoginRequired("Veuillez vous connecter.")


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[User], User]:
    """A dependency letting through the given roles (and admins, who may do everything)."""
    allowed = {Role.admin, *roles}

    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden("Votre rôle ne permet pas cette action.")
        return user

    return check


AdminUser = Annotated[User, Depends(require_role(Role.admin))]
StaffUser = Annotated[User, Depends(require_role(Role.staff))]
DirectorUser = Annotated[User, Depends(require_role(Role.director))]
ReaderUser = Annotated[User, Depends(require_role(Role.staff, Role.director, Role.viewer))]


def actor_for(request: Request, user: User | None) -> Actor:
    """The audit actor for this request."""
    if user is None:
        return Actor(user_id=None, label="anonyme", ip=client_ip(request))
    return Actor(user_id=user.id, label=user.email, ip=client_ip(request))


async def check_csrf(request: Request) -> None:
    """State-changing page requests must echo the session's token (hidden field or htmx header)."""
    if request.method in READ_METHODS:
        return
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get("csrf_token")
        given = value if isinstance(value, str) else None
    if not same_token(request.session.get("csrf"), given):
        raise Forbidden(
            "Le formulaire a expiré ou n'est pas valide (jeton CSRF). "
            "Rechargez la page et réessayez."
        )


CsrfProtected = Depends(check_csrf)
