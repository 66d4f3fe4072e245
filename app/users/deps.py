"""Who is calling: the signed-in user (token or session cookie), role checks, the audit actor,
and the request's session once its caller is known (a write waits for its turn only then)."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.db import separate_reads, separate_write
from app.errors import Forbidden, Unauthorized
from app.security import Actor
from app.users.browser import SESSION_KEY
from app.users.models import Role, User
from app.users.service import user_for_token
from app.users.sessions import FoundSession, find_session, refresh_session
from app.users.totp import must_enrol
from app.web.deps import (
    READ_METHODS,
    BearerCredentials,
    DatabaseTurn,
    LoginRequired,
    RequestSession,
    SecondFactorRequired,
    TurnDep,
    bearer_token,
    client_ip,
    read_turn,
)


async def optional_user(
    request: Request,
    session: RequestSession,
    turn: Annotated[DatabaseTurn, Depends(read_turn)],
) -> User | None:
    """The signed-in user: from the Bearer token on /api, from the session cookie on pages."""
    if request.url.path.startswith("/api"):
        token = bearer_token(request)
        user = await run_in_threadpool(_token_user, session, token) if token else None
    else:
        user = await _session_user(request, session, turn)
    request.state.user = user
    request.state.session = session  # for template globals that read (the footer's name)
    return user


def _token_user(session: Session, token: str) -> User | None:
    with separate_reads(session):
        return user_for_token(session, token=token)


def _find_session(session: Session, token: str, settings: Settings) -> FoundSession | None:
    with separate_reads(session):
        return find_session(session, token=token, settings=settings)


def _refresh_session(session: Session, found: FoundSession) -> str | None:
    with separate_write(session):
        return refresh_session(session, found=found)


async def _session_user(request: Request, session: Session, turn: DatabaseTurn) -> User | None:
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    found = await run_in_threadpool(_find_session, session, token, request.app.state.settings)
    if found is not None and found.stale:
        # At most once a minute per session: the write waits for its turn like any other.
        await turn.write()
        new_token = await run_in_threadpool(_refresh_session, session, found)
        if request.method in READ_METHODS:
            await turn.read()
        if new_token is not None:
            request.session[SESSION_KEY] = new_token
    if found is None:
        request.session.clear()
        return None
    return found.user


OptionalUser = Annotated[User | None, Depends(optional_user)]


async def session_in_turn(
    request: Request, session: RequestSession, user: OptionalUser, turn: TurnDep
) -> Session:
    """The request's session; a write waits for its turn only once its user is known."""
    if request.method not in READ_METHODS:
        await turn.write()
    return session


SessionDep = Annotated[Session, Depends(session_in_turn)]


async def signed_in_user(
    request: Request, user: OptionalUser, credentials: BearerCredentials
) -> User:
    """The signed-in user, required; `credentials` declares the bearer scheme in the schema."""
    if user is not None:
        return user
    if request.url.path.startswith("/api"):
        raise Unauthorized("Jeton d'API manquant ou invalide (en-tête Authorization: Bearer …).")
    raise LoginRequired("Veuillez vous connecter.")


SignedInUser = Annotated[User, Depends(signed_in_user)]


async def current_user(request: Request, user: SignedInUser) -> User:
    """The signed-in user, who must first enrol a second factor where the settings say so."""
    settings: Settings = request.app.state.settings
    if not request.url.path.startswith("/api") and must_enrol(user, settings=settings):
        raise SecondFactorRequired(
            "Activez la double authentification pour continuer (obligatoire pour votre rôle)."
        )
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[User], Coroutine[Any, Any, User]]:
    """A dependency letting through the given roles (and admins, who may do everything)."""
    allowed = {Role.admin, *roles}
    # OpenAPI 3.1 lets a bearer requirement list the roles it needs: the schema shows them.
    scopes = sorted(role.value for role in allowed)

    # `async` for no I/O: a check is not worth a trip to the thread pool.
    async def check(user: Annotated[User, Security(current_user, scopes=scopes)]) -> User:
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
