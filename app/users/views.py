from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.users.models import Role
from app.users.service import authenticate, create_user, list_users, update_user
from app.web.deps import (
    AdminUser,
    CsrfProtected,
    OptionalUser,
    SessionDep,
    SettingsDep,
    actor_for,
    client_ip,
)
from app.web.pages import flash, redirect, render

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only same-site paths, so the login form cannot send people elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/connexion", response_class=HTMLResponse, name="login_page")
def login_page(request: Request, user: OptionalUser, suivant: str = "/") -> Response:
    if user is not None:
        return redirect(request, _safe_next(suivant))
    return render(request, "users/login.html", {"next": _safe_next(suivant)})


@router.post("/connexion", name="login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    suivant: Annotated[str, Form()] = "/",
) -> Response:
    user = authenticate(
        session, email=email, password=password, ip=client_ip(request), settings=settings
    )
    if user is None:
        return render(
            request,
            "users/login.html",
            {"next": _safe_next(suivant), "email": email, "error": "Identifiants incorrects."},
            status_code=400,
        )
    request.session.clear()
    request.session["user_id"] = user.id
    flash(request, f"Bienvenue, {user.full_name or user.email}.")
    if user.role == Role.director and suivant == "/":  # directors land on their screen
        suivant = str(request.app.url_path_for("dashboard_page"))
    return redirect(request, _safe_next(suivant))


@router.post("/deconnexion", name="logout")
def logout(request: Request) -> Response:
    request.session.clear()
    flash(request, "Vous êtes déconnecté.")
    return redirect(request, "/connexion")


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
    return redirect(request, "/admin/utilisateurs")


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
    return redirect(request, "/admin/utilisateurs")
