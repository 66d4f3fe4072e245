from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.audit.changes import changes
from app.audit.service import list_events
from app.config import Settings
from app.errors import Conflict
from app.users.browser import (
    await_second_step,
    current_token,
    is_known_device,
    open_session,
    pending_user_id,
    remember_device,
)
from app.users.deps import AdminUser, OptionalUser, SessionDep, actor_for
from app.users.models import Role, User
from app.users.service import (
    authenticate,
    create_user,
    get_user,
    list_users,
    record_sign_in,
    update_user,
    verify_second_factor,
)
from app.users.sessions import end_session
from app.users.totp import reset as reset_totp
from app.web.deps import CsrfProtected, SettingsDep, client_ip
from app.web.pages import flash, path_for, redirect, render
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


def _safe_next(request: Request, target: str) -> str:
    """Only same-site paths, so the login form cannot send people elsewhere; home otherwise."""
    if target.startswith("/") and not target.startswith("//"):
        return target
    return path_for(request, "home")


@router.get("/connexion", response_class=HTMLResponse, name="login_page")
def login_page(request: Request, user: OptionalUser, suivant: str = "") -> Response:
    if user is not None:
        return redirect(request, _safe_next(request, suivant))
    return render(request, "users/login.html", {"next": _safe_next(request, suivant)})


def _landing(request: Request, user: User, suivant: str) -> str:
    if suivant in ("", path_for(request, "home")):
        # Directors land on their screen, the advocacy team on its day.
        if user.role == Role.director:
            return path_for(request, "dashboard_page")
        if user.role in (Role.admin, Role.staff):
            return path_for(request, "my_day")
    return _safe_next(request, suivant)


def _signed_in(
    request: Request, session: Session, settings: Settings, user: User, target: str
) -> Response:
    record_sign_in(session, user=user, ip=client_ip(request))
    open_session(request, session, user=user, settings=settings)
    flash(request, f"Bienvenue, {user.full_name or user.email}.")
    response = redirect(request, target)
    remember_device(request, response, user=user, settings=settings)
    return response


@router.post("/connexion", name="login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
    suivant: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    known = is_known_device(request, email=email, settings=settings)
    user = authenticate(
        session,
        email=email,
        password=password,
        ip=client_ip(request),
        settings=settings,
        known_device=known,
    )
    if user is None:
        return render(
            request,
            "users/login.html",
            {
                "next": _safe_next(request, suivant),
                "email": email,
                "error": "Identifiants incorrects.",
            },
            status_code=400,
        )
    target = _landing(request, user, suivant)
    if user.totp_secret is None:
        return _signed_in(request, session, settings, user, target)
    await_second_step(request, user=user)
    return redirect(
        request, path_for(request, "login_code_page") + "?" + urlencode({"suivant": target})
    )


@router.get("/connexion/code", response_class=HTMLResponse, name="login_code_page")
def login_code_page(request: Request, suivant: str = "") -> Response:
    if pending_user_id(request) is None:
        return redirect(request, path_for(request, "login_page"))
    return render(request, "users/login_code.html", {"next": _safe_next(request, suivant)})


@router.post("/connexion/code", name="login_code")
def login_code(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: Annotated[str, Form(max_length=50)],
    suivant: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    user_id = pending_user_id(request)
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active:
        request.session.clear()
        flash(request, "La connexion a expiré : saisissez à nouveau votre mot de passe.", "error")
        return redirect(request, path_for(request, "login_page"))
    known = is_known_device(request, email=user.email, settings=settings)
    ip = client_ip(request)
    if not verify_second_factor(
        session, user=user, code=code, ip=ip, settings=settings, known_device=known
    ):
        context = {"next": _safe_next(request, suivant), "error": "Code incorrect."}
        return render(request, "users/login_code.html", context, status_code=400)
    return _signed_in(request, session, settings, user, _safe_next(request, suivant))


@router.post("/deconnexion", name="logout")
def logout(request: Request, session: SessionDep) -> Response:
    token = current_token(request)
    if token is not None:
        end_session(session, token=token)
    request.session.clear()
    flash(request, "Vous êtes déconnecté.")
    return redirect(request, path_for(request, "login_page"))


@router.get("/admin/utilisateurs", response_class=HTMLResponse, name="users_page")
def users_page(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    return render(request, "users/list.html", {"users": list_users(session), "roles": list(Role)})


@router.post("/admin/utilisateurs", name="user_create")
def user_create(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[Role, Form()],
    full_name: Annotated[str, Form()] = "",
) -> Response:
    user = create_user(
        session,
        email=email,
        password=password,
        role=role,
        full_name=full_name,
        actor=actor_for(request, admin),
    )
    flash(request, f"Compte créé pour {user.email}.")
    return redirect(request, path_for(request, "users_page"))


@router.post("/admin/utilisateurs/{user_id}", name="user_update")
def user_update(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    user_id: int,
    role: Annotated[Role, Form()],
    is_active: Annotated[bool, Form()] = False,
) -> Response:
    user = update_user(
        session, user_id=user_id, role=role, is_active=is_active, actor=actor_for(request, admin)
    )
    flash(request, f"Compte {user.email} mis à jour.")
    return redirect(request, path_for(request, "users_page"))


@router.get(
    "/admin/utilisateurs/{user_id}/double-authentification",
    response_class=HTMLResponse,
    name="totp_reset_page",
)
def totp_reset_page(
    request: Request, session: SessionDep, admin: AdminUser, user_id: int
) -> Response:
    """Asks before removing someone's second factor: it cannot be undone."""
    return render(
        request, "users/totp_reset.html", {"account": _other_with_totp(session, admin, user_id)}
    )


@router.post("/admin/utilisateurs/{user_id}/double-authentification", name="totp_reset")
def totp_reset(request: Request, session: SessionDep, admin: AdminUser, user_id: int) -> Response:
    account = _other_with_totp(session, admin, user_id)
    reset_totp(session, user=account, actor=actor_for(request, admin))
    flash(
        request,
        f"Double authentification de {account.email} réinitialisée : ses sessions sont fermées, "
        "elle ou il la réactivera à sa prochaine connexion.",
    )
    return redirect(request, path_for(request, "users_page"))


def _other_with_totp(session: Session, admin: User, user_id: int) -> User:
    account = get_user(session, user_id=user_id)
    if account.id == admin.id:
        raise Conflict(
            "Votre propre double authentification se gère depuis « Sécurité du compte »."
        )
    if account.totp_secret is None:
        raise Conflict(f"{account.email} n'a pas activé la double authentification.")
    return account


@router.get("/admin/journal", response_class=HTMLResponse, name="audit_page")
def audit_page(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    action: str = "",
    objet: str = "",
    auteur: str = "",
    page: int = 1,
) -> Response:
    pager = Page.of(page)
    events, total = list_events(
        session,
        action=action or None,
        object_type=objet or None,
        actor=auteur or None,
        offset=pager.offset,
        limit=pager.size,
    )
    return render(
        request,
        "audit/list.html",
        {
            "events": [(event, changes(event)) for event in events],
            "pager": pager.with_total(total),
            "filters": {"action": action, "objet": objet, "auteur": auteur},
        },
    )
