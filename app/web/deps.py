"""`Annotated` dependencies: the request's session, the current user, role checks, CSRF."""

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.config import Settings
from app.db import TURN_WAIT_SECONDS, DatabaseLimits
from app.errors import Forbidden, Unauthorized, Unavailable
from app.security import same_token

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class LoginRequired(Unauthorized):
    """A page needs a signed-in user: answered with a redirect to /connexion."""

    page = "login_page"


class SecondFactorRequired(LoginRequired):
    """A page needs its user to enrol a second factor first: redirected to the account page."""

    page = "account_security_page"


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


class DatabaseTurn:
    """A request's turn at the database: to read (who is signed in, then a read's work), then,
    for a write, to write. Turns are few (one writer on SQLite) and waited for on the event loop,
    holding neither a thread nor a connection, so that a request that holds the database never
    waits behind threads that wait for it. No turn in time: 503, nothing changed."""

    def __init__(self, reads: anyio.Semaphore, writes: anyio.Semaphore) -> None:
        self._reads = reads
        self._writes = writes
        self._held: anyio.Semaphore | None = None

    async def _take(self, turns: anyio.Semaphore) -> None:
        if self._held is turns:
            return
        self.give_back()
        try:
            with anyio.fail_after(TURN_WAIT_SECONDS):
                await turns.acquire()
        except TimeoutError:
            raise Unavailable() from None
        self._held = turns

    async def read(self) -> None:
        await self._take(self._reads)

    async def write(self) -> None:
        await self._take(self._writes)

    def give_back(self) -> None:
        if self._held is not None:
            self._held.release()
            self._held = None


async def database_turn(request: Request) -> AsyncIterator[DatabaseTurn]:
    state = request.app.state
    if not hasattr(state, "database_turns"):
        limits = DatabaseLimits.for_backend(state.engine.dialect.name)
        state.database_turns = (anyio.Semaphore(limits.readers), anyio.Semaphore(limits.writers))
    turn = DatabaseTurn(*state.database_turns)
    try:
        yield turn
    finally:
        turn.give_back()


TurnDep = Annotated[DatabaseTurn, Depends(database_turn, scope="function")]


async def read_turn(turn: TurnDep) -> DatabaseTurn:
    """The request's turn, taken to read before its first read."""
    await turn.read()
    return turn


def get_session(request: Request, turn: TurnDep) -> Iterator[Session]:
    """The request's unit of work: the only place that commits; rolled back on any error.
    It depends on the turn so that the turn, taken later, is given back after the commit."""
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
        finally:
            # A page rendered after this (an error page) must not reopen a finished unit of work.
            request.state.session = None


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
RequestSession = Annotated[Session, Depends(get_session, scope="function")]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def bearer_token(request: Request) -> str:
    """The API token of the Authorization header, read without declaring anything: a route is
    documented as needing the token only where a role is required (BearerCredentials)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


# Declared as a security scheme, so the OpenAPI document (and Swagger's « Authorize ») know it.
bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="bearerAuth", description="Jeton d'API (plt_…)"
)
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


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


async def posted_form(request: Request) -> FormData:
    """The posted form, read on the event loop so that the route itself can be a plain `def`."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]
