"""One's own account: second factor, recovery codes, password, sessions."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Invalid
from app.security import verify_password
from app.users.browser import open_session
from app.users.deps import SessionDep, SignedInUser, actor_for
from app.users.models import User
from app.users.service import change_password, sign_out_everywhere
from app.users.sessions import count_sessions
from app.users.totp import (
    disable,
    enrol,
    must_enrol,
    new_secret,
    provisioning_uri,
    qr_code,
    recovery_codes_left,
    regenerate_recovery_codes,
)
from app.web.deps import CsrfProtected, SettingsDep
from app.web.pages import flash, path_for, redirect, render

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)

PENDING_SECRET = "totp_pending"  # noqa: S105 (the session key, not a secret)


def _security_page(
    request: Request,
    session: Session,
    settings: Settings,
    user: User,
    *,
    error: Invalid | None = None,
    form: str = "",
) -> Response:
    context = {
        "must_enrol": must_enrol(user, settings=settings),
        "codes_left": recovery_codes_left(session, user_id=user.id),
        "sessions": count_sessions(session, user_id=user.id, settings=settings),
        "errors": {f"{form}.{error.field}": error.message} if error else {},
    }
    return render(request, "users/security.html", context, status_code=422 if error else 200)


def _wrong_password(password: str, user: User) -> Invalid | None:
    if verify_password(password, user.password_hash):
        return None
    return Invalid("Mot de passe incorrect.", field="password")


@router.get("/compte/securite", response_class=HTMLResponse, name="account_security_page")
def account_security_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: SignedInUser
) -> Response:
    return _security_page(request, session, settings, user)


@router.post("/compte/securite/totp/nouveau", name="totp_start")
def totp_start(request: Request, user: SignedInUser) -> Response:
    request.session[PENDING_SECRET] = new_secret()
    return redirect(request, path_for(request, "totp_enrol_page"))


def _enrol_page(request: Request, email: str, error: str = "", status_code: int = 200) -> Response:
    secret = request.session.get(PENDING_SECRET)
    if not isinstance(secret, str):
        return redirect(request, path_for(request, "account_security_page"))
    uri = provisioning_uri(secret=secret, email=email)
    context = {"secret": secret, "uri": uri, "qr": qr_code(uri), "error": error}
    return render(request, "users/totp_enrol.html", context, status_code=status_code)


@router.get("/compte/securite/totp", response_class=HTMLResponse, name="totp_enrol_page")
def totp_enrol_page(request: Request, user: SignedInUser) -> Response:
    return _enrol_page(request, user.email)


@router.post("/compte/securite/totp", name="totp_enrol")
def totp_enrol(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
    code: Annotated[str, Form(max_length=50)],
) -> Response:
    secret = request.session.get(PENDING_SECRET)
    if not isinstance(secret, str):
        return redirect(request, path_for(request, "account_security_page"))
    try:
        codes = enrol(
            session,
            user=user,
            secret=secret,
            code=code,
            actor=actor_for(request, user),
            settings=settings,
        )
    except Invalid as exc:
        return _enrol_page(request, user.email, exc.message, status_code=422)
    request.session.pop(PENDING_SECRET, None)
    return render(request, "users/recovery_codes.html", {"codes": codes, "enrolled": True})


@router.post("/compte/securite/codes", name="recovery_codes_renew")
def recovery_codes_renew(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    settings: SettingsDep,
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    if error := _wrong_password(password, user):
        return _security_page(request, session, settings, user, error=error, form="codes")
    codes = regenerate_recovery_codes(session, user=user, actor=actor_for(request, user))
    return render(request, "users/recovery_codes.html", {"codes": codes, "enrolled": False})


@router.post("/compte/securite/totp/desactiver", name="totp_disable")
def totp_disable(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    if error := _wrong_password(password, user):
        return _security_page(request, session, settings, user, error=error, form="disable")
    disable(session, user=user, settings=settings, actor=actor_for(request, user))
    flash(request, "La double authentification est désactivée.")
    return redirect(request, path_for(request, "account_security_page"))


@router.post("/compte/mot-de-passe", name="password_change")
def password_change(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInUser,
    current_password: Annotated[str, Form(max_length=1000)],
    new_password: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        change_password(
            session,
            user=user,
            current=current_password,
            new=new_password,
            actor=actor_for(request, user),
        )
    except Invalid as exc:
        return _security_page(request, session, settings, user, error=exc, form="password")
    # Every session ended with the old password; this browser gets a new one.
    open_session(request, session, user=user, settings=settings)
    flash(request, "Mot de passe changé : vos autres sessions sont fermées.")
    return redirect(request, path_for(request, "account_security_page"))


@router.post("/compte/deconnexion-partout", name="logout_everywhere")
def logout_everywhere(request: Request, session: SessionDep, user: SignedInUser) -> Response:
    sign_out_everywhere(session, user=user, actor=actor_for(request, user))
    request.session.clear()
    flash(request, "Toutes vos sessions sont fermées, sur tous les appareils.")
    return redirect(request, path_for(request, "login_page"))
