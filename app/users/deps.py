"""Who is calling: the signed-in user (token or session cookie), role checks, the audit actor,
and the request's session once its caller is known (a write waits for its turn only then)."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from sqlalchemy.orm import Session

from app.db import separate_reads
from app.errors import Forbidden, Unauthorized
from app.security import Actor
from app.users.models import Role, User
from app.users.service import user_for_token
from app.web.deps import (
    READ_METHODS,
    BearerCredentials,
    DatabaseTurn,
    LoginRequired,
    RequestSession,
    TurnDep,
    bearer_token,
    client_ip,
    read_turn,
)


def optional_user(
    request: Request,
    session: RequestSession,
    turn: Annotated[DatabaseTurn, Depends(read_turn)],
) -> User | None:
    """The signed-in user: from the Bearer token on /api, from the session cookie on pages."""
    token = bearer_token(request)
    with separate_reads(session):
        user = _find_user(request, session, token)
    request.state.user = user
    request.state.session = session  # for template globals that read (the footer's name)
    return user


def _find_user(request: Request, session: Session, token: str) -> User | None:
    if request.url.path.startswith("/api"):
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


async def session_in_turn(
    request: Request, session: RequestSession, user: OptionalUser, turn: TurnDep
) -> Session:
    """The request's session; a write waits for its turn only once its user is known."""
    if request.method not in READ_METHODS:
        await turn.write()
    return session


SessionDep = Annotated[Session, Depends(session_in_turn)]


async def current_user(
    request: Request, user: OptionalUser, credentials: BearerCredentials
) -> User:
    """The signed-in user, required; `credentials` declares the bearer scheme in the schema."""
    if user is not None:
        return user
    if request.url.path.startswith("/api"):
        raise Unauthorized("Jeton d'API manquant ou invalide (en-tête Authorization: Bearer …).")
    raise LoginRequired("Veuillez vous connecter.")


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
